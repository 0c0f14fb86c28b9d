"""The audit trail. No foreign keys: an entry outlives the person, account or object it is about."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import db
from planner.schema import one_of
from planner.timekeeping import UTCDateTime, utcnow


class AuditAction(enum.StrEnum):
    VIEW = "view"
    EXPORT = "export"
    CHANGE = "change"
    DELETE = "delete"


class AuditEvent(db.Model):
    """One access to personal data. Names are never written here, only ids and kinds."""

    __tablename__ = "audit_event"
    __table_args__ = (CheckConstraint(one_of("action", AuditAction), name="action_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The staff account (by id and e-mail at the time), or "participant" / "system".
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(10))
    # What was touched, e.g. ("person", 12), ("attendance", session 4), ("evaluation_response", …).
    object_type: Mapped[str] = mapped_column(String(40), index=True)
    object_id: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")
    # From where: the client's address and the page or command.
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    source: Mapped[str] = mapped_column(String(200), default="")
