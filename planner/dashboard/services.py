"""The organiser's home: the series they organise, their coming sessions with the answers so far."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from planner.dashboard.counting import count_sessions
from planner.extensions import db
from planner.programmes.models import ProgrammeMember, ProgrammeRole
from planner.query_plans import not_by_index
from planner.series.loaders import organised_series_ids
from planner.series.models import Series, SeriesStatus, Session, SessionStatus
from planner.series.numbers import SessionNumbers

COMING_LIMIT = 12


def trekker_programme_ids(user) -> Select:
    return select(ProgrammeMember.programme_id).where(
        ProgrammeMember.user_id == user.id, ProgrammeMember.role == ProgrammeRole.TREKKER
    )


def organises_anything(user) -> bool:
    return user.is_admin or any(m.role == ProgrammeRole.ORGANISER for m in user.memberships)


def follows_anything(user) -> bool:
    return not user.is_admin and any(m.role == ProgrammeRole.TREKKER for m in user.memberships)


@dataclass(frozen=True)
class ComingSession:
    session: Session
    numbers: SessionNumbers

    @property
    def free(self) -> int | None:
        """Places left (None: no maximum)."""
        capacity = self.session.capacity
        return None if capacity is None else max(capacity - self.numbers.confirmed, 0)


def coming_sessions(user, now: datetime, limit: int = COMING_LIMIT) -> list[ComingSession]:
    """The next sessions of the published series ``user`` organises, soonest first, with their answers."""
    sessions = db.session.scalars(
        select(Session)
        .join(Series, Series.id == not_by_index(Session.series_id))
        .where(
            not_by_index(Session.series_id).in_(organised_series_ids(user)),  # start from the index on ends_at
            Series.status == SeriesStatus.PUBLISHED,
            Session.status == SessionStatus.SCHEDULED,
            Session.ends_at > now,
        )
        .options(joinedload(Session.series).joinedload(Series.programme), joinedload(Session.venue))
        .order_by(not_by_index(Session.starts_at), Session.id)
        .limit(limit)
    ).all()
    numbers = count_sessions([s.id for s in sessions])
    return [ComingSession(s, numbers[s.id]) for s in sessions]
