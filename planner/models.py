"""Every model, imported in one place so Alembic and the app see the whole schema."""

from planner.auth.models import FailedLogin, StaffUser
from planner.people.models import Organisation
from planner.programmes.models import BlockedDate, Programme, ProgrammeMember
from planner.series.models import Series, Session, SessionAudience, Venue

__all__ = [
    "BlockedDate",
    "FailedLogin",
    "Organisation",
    "Programme",
    "ProgrammeMember",
    "Series",
    "Session",
    "SessionAudience",
    "StaffUser",
    "Venue",
]
