"""The audit trail. No foreign keys: an entry outlives the person, account or object it is about."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from planner.extensions import Model
from planner.schema import LabelledEnum, enum_column
from planner.timekeeping import UTCDateTime, utcnow


class AuditAction(LabelledEnum):
    VIEW = "view", _l("Viewed")
    EXPORT = "export", _l("Exported")
    CHANGE = "change", _l("Changed")
    DELETE = "delete", _l("Deleted")


class AuditEvent(Model):
    """One access to personal data. Names are never written here, only ids and kinds."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The staff account (by id and e-mail at the time), or "participant" / "system".
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[AuditAction] = enum_column(AuditAction, length=10, name="action_known")
    # What was touched, e.g. ("person", 12), ("attendance", session 4), ("evaluation_response", …).
    object_type: Mapped[str] = mapped_column(String(40), index=True)
    object_id: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")
    # From where: the client's address and the page or command.
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    source: Mapped[str] = mapped_column(String(200), default="")
