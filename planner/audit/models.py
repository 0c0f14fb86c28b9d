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


# The kinds of object the trail names, as words for its page and export (the codes stay in the
# database, so old entries and filters keep working). A code without a label shows as itself.
OBJECT_TYPE_LABELS = {
    "attendance": _l("Attendance"),
    "attendance_figures": _l("Attendance figures"),
    "audit_trail": _l("Audit trail"),
    "breakout_groups": _l("Breakout groups"),
    "consent": _l("Consent"),
    "evaluation_answer": _l("Evaluation answer"),
    "evaluation_answers": _l("Evaluation answers"),
    "evaluation_open_answers": _l("Open evaluation answers"),
    "evaluation_response": _l("Evaluation response"),
    "invitation_list": _l("Invitation list"),
    "mail_log": _l("Mail log"),
    "letter": _l("Letter"),
    "needs": _l("Needs to take part"),
    "person": _l("Person"),
    "rsvp": _l("Answer to an invitation"),
    "series": _l("Series"),
}


def object_type_label(code: str) -> str:
    return str(OBJECT_TYPE_LABELS.get(code, code))


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
    # Never a secret: personal-link tokens and codes in a page's path are stored as <token>, <code>.
    source: Mapped[str] = mapped_column(String(200), default="")

    @property
    def object_type_label(self) -> str:
        return object_type_label(self.object_type)
