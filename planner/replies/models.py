"""Each message read from the reply mailbox, once: what it was and what became of it.

The unique ``message_key`` makes "processed" a fact of the database, written in the same
transaction as the answer it carried. A worker that dies before moving the message away
finds it here on its next run and only moves it, so no reply is ever applied twice.
Rows hold ids, kinds and reasons, never names, addresses or message text.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import Model
from planner.schema import enum_column
from planner.timekeeping import UTCDateTime, utcnow


class Outcome(enum.StrEnum):
    APPLIED = "applied"  # the answer changed
    UNCHANGED = "unchanged"  # the same answer was already on record
    IGNORED = "ignored"  # a reply, but nothing to change: older, past, cancelled, withdrawn...
    PROPOSAL = "proposal"  # a proposed new time (COUNTER), kept for the organiser
    REFUSED = "refused"  # a calendar reply that cannot be read or matched
    AUTO_REPLY = "auto_reply"  # out of office and the like
    NOT_CALENDAR = "not_calendar"  # any other mail, for a person to read


class CalendarReply(Model):
    __tablename__ = "calendar_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the Message-ID (or, without one, of the whole message), hex.
    message_key: Mapped[str] = mapped_column(String(64), unique=True)
    processed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    outcome: Mapped[Outcome] = enum_column(Outcome, length=12, name="outcome_known")
    reason: Mapped[str] = mapped_column(String(300), default="")
    method: Mapped[str] = mapped_column(String(20), default="")
    partstat: Mapped[str] = mapped_column(String(20), default="")
    # The reply's own DTSTAMP: a reply older than one already applied changes nothing.
    stamped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rsvp_id: Mapped[int | None] = mapped_column(ForeignKey("rsvp.id", ondelete="SET NULL"), index=True)
