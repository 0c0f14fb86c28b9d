"""What an organiser sees around the grid of a series: counts per session, proposals, withdrawn."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import String, func, select
from sqlalchemy.orm import joinedload

from planner.extensions import db
from planner.invitations.models import Invitation, Rsvp, Seat
from planner.people.models import Person, people_matching
from planner.series.models import Series, Session

PICKER_LIMIT = 50


@dataclass
class SessionSummary:
    session: Session
    counts: dict[str, int] = field(default_factory=dict)  # "confirmed", "waiting", "no", "maybe", "pending"
    proposals: list[Rsvp] = field(default_factory=list)  # other times proposed from a calendar

    def count(self, name: str) -> int:
        return self.counts.get(name, 0)

    @property
    def has_free_seats_and_waiters(self) -> bool:
        """True after the capacity was raised while people were waiting."""
        capacity = self.session.capacity
        confirmed = self.counts.get(Seat.CONFIRMED, 0)
        return bool(self.counts.get(Seat.WAITING)) and (capacity is None or confirmed < capacity)


def _answer_counts(series: Series) -> dict[int, dict[str, int]]:
    """session id → {"confirmed", "waiting", "no", "maybe", "pending"} counted in the database."""
    # Text, not a Seat: a row without a seat counts under its answer.
    bucket = func.coalesce(Rsvp.seat, Rsvp.answer, type_=String)
    rows = db.session.execute(
        select(Rsvp.session_id, bucket, func.count(Rsvp.id))
        .join(Invitation, Invitation.id == Rsvp.invitation_id)
        .where(Invitation.series_id == series.id, Invitation.revoked_at.is_(None))
        .group_by(Rsvp.session_id, bucket)
    )
    counts: dict[int, dict[str, int]] = {}
    for session_id, name, number in rows:
        counts.setdefault(session_id, {})[name] = number
    return counts


def session_summaries(series: Series) -> list[SessionSummary]:
    """Per session its answer counts and the other times proposed from calendars: two queries."""
    counts = _answer_counts(series)
    summaries = {s.id: SessionSummary(s, counts=counts.get(s.id, {})) for s in series.sessions}
    proposals = db.session.scalars(
        select(Rsvp)
        .join(Invitation, Invitation.id == Rsvp.invitation_id)
        .where(Invitation.series_id == series.id, Invitation.revoked_at.is_(None), Rsvp.proposed_at.is_not(None))
        .options(joinedload(Rsvp.invitation).joinedload(Invitation.person))
        .order_by(Rsvp.proposed_at, Rsvp.id)
    )
    for rsvp in proposals:
        if rsvp.session_id in summaries:
            summaries[rsvp.session_id].proposals.append(rsvp)
    return list(summaries.values())


def withdrawn(series: Series) -> list[Invitation]:
    """The withdrawn invitations of the series, by name."""
    return list(
        db.session.scalars(
            select(Invitation)
            .join(Invitation.person)
            .where(Invitation.series_id == series.id, Invitation.revoked_at.is_not(None))
            .options(joinedload(Invitation.person))
            .order_by(Person.name, Invitation.id)
        )
    )


def letters_needed(series: Series) -> int:
    """How many active invitations go to people who need a printed letter."""
    return (
        db.session.scalar(
            select(func.count(Invitation.id))
            .join(Invitation.person)
            .where(Invitation.series_id == series.id, Invitation.revoked_at.is_(None), Person.needs_letter)
        )
        or 0
    )


def find_people(search: str, limit: int = PICKER_LIMIT) -> list[Person]:
    """The first people the people search finds for ``search`` (as on the people list)."""
    return list(db.session.scalars(people_matching(search).limit(limit)))
