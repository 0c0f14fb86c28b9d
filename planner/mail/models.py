"""The outbox: every mail is a row, written in the transaction that causes it."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
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
    # Where a person's answer goes: the organiser of the series, when it has one.
    reply_to: Mapped[str] = mapped_column(String(254), default="")
    # What the mail is about, e.g. "invitation:12", so an area can show its mails' fate.
    # An optional iTIP part (RFC 5546): sent as text/calendar; method=<calendar_method>.
    calendar_method: Mapped[str] = mapped_column(String(10), default="")
    calendar_body: Mapped[str] = mapped_column(Text, default="")
    reference: Mapped[str] = mapped_column(String(80), default="", index=True)
    # For the mail log of a series: which mail it is (its template), about whom, and the sending
    # (one organiser's click) it belongs to. Plain references: the outbox outlives what it names.
    kind: Mapped[str] = mapped_column(String(40), default="")
    series_id: Mapped[int | None] = mapped_column(index=True)
    person_id: Mapped[int | None] = mapped_column(index=True)
    sending_id: Mapped[int | None] = mapped_column(ForeignKey("mail_sending.id", ondelete="SET NULL"), index=True)
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


class MailText(Model):
    """A learning studio's own words for one kind of mail in one language; without a row the
    default text (planner/mail/kinds.py) is used. Checked when saved (planner/mail/texts.py)."""

    __tablename__ = "mail_text"
    __table_args__ = (
        UniqueConstraint("programme_id", "kind", "language"),
        CheckConstraint("language IN ('nl', 'en')", name="language_known"),
        CheckConstraint("length(trim(subject)) > 0 AND length(trim(body)) > 0", name="not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # A string foreign key: the mail area imports no area above it.
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(250))
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<MailText {self.kind} {self.language} of programme {self.programme_id}>"


class MailSending(Model):
    """One organiser's mass sending (invite, remind, a changed session...): what went out at once,
    with the personal note it carried; the mail log and the reminder button read it."""

    __tablename__ = "mail_sending"
    __table_args__ = (CheckConstraint("mail_count >= 0 AND letter_count >= 0", name="counts_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    mail_count: Mapped[int] = mapped_column(default=0)
    letter_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<MailSending {self.kind} of series {self.series_id}: {self.mail_count} mails>"
