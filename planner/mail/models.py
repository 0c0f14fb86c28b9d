"""The outbox: every mail is a row, written in the transaction that causes it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import Model
from planner.schema import enum_column
from planner.timekeeping import UTCDateTime, utcnow


class MailStatus(enum.StrEnum):
    QUEUED = "queued"  # waiting to be sent (again), from next_attempt_at on
    SENDING = "sending"  # claimed by a worker until claimed_until
    SENT = "sent"
    FAILED = "failed"  # permanently: the server refused it


class OutboxMessage(Model):
    __tablename__ = "outbox_message"
    __table_args__ = (CheckConstraint("attempts >= 0", name="attempts_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Fixed when queued, so a retry after a crash carries the same Message-ID.
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    to_address: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(120), default="")
    language: Mapped[str] = mapped_column(String(5), default="nl")
    subject: Mapped[str] = mapped_column(String(250))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # What the mail is about, e.g. "invitation:12", so an area can show its mails' fate.
    # An optional iTIP part (RFC 5546): sent as text/calendar; method=<calendar_method>.
    calendar_method: Mapped[str] = mapped_column(String(10), default="")
    calendar_body: Mapped[str] = mapped_column(Text, default="")
    reference: Mapped[str] = mapped_column(String(80), default="", index=True)
    status: Mapped[MailStatus] = enum_column(
        MailStatus, length=20, name="status_known", default=MailStatus.QUEUED, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.status} to {self.to_address}>"
