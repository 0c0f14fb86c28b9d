"""Every model, imported in one place so Alembic and the app see the whole schema."""

from planner.attendance.models import Attendance, AttendanceChange, BreakoutDrawing, BreakoutMember
from planner.audit.models import AuditEvent
from planner.auth.models import FailedLogin, StaffUser
from planner.evaluations.models import (
    EvaluationAnswer,
    EvaluationForm,
    EvaluationOption,
    EvaluationQuestion,
    EvaluationRequest,
    EvaluationResponse,
    SessionEvaluation,
)
from planner.invitations.models import Invitation, Letter, Rsvp
from planner.mail.models import MailSending, OutboxMessage
from planner.people.models import Consent, Organisation, Person
from planner.programmes.models import BlockedDate, Programme, ProgrammeMember
from planner.replies.models import CalendarReply
from planner.series.models import Series, Session, SessionAudience, Venue

__all__ = [
    "Attendance",
    "AttendanceChange",
    "AuditEvent",
    "BlockedDate",
    "BreakoutDrawing",
    "BreakoutMember",
    "CalendarReply",
    "Consent",
    "EvaluationAnswer",
    "EvaluationForm",
    "EvaluationOption",
    "EvaluationQuestion",
    "EvaluationRequest",
    "EvaluationResponse",
    "FailedLogin",
    "Invitation",
    "Letter",
    "MailSending",
    "Organisation",
    "OutboxMessage",
    "Person",
    "Programme",
    "ProgrammeMember",
    "Rsvp",
    "Series",
    "Session",
    "SessionAudience",
    "SessionEvaluation",
    "StaffUser",
    "Venue",
]
