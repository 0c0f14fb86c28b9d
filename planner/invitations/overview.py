"""What an organiser sees of a series' invitations, computed as plain data in a few queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, func, select
from sqlalchemy.orm import joinedload, selectinload

from planner.extensions import db
from planner.invitations.mails import MailState, mail_states
from planner.invitations.models import Answer, AnsweredVia, Invitation, Rsvp, Seat
from planner.people.models import Person, people_matching
from planner.series.models import Series, Session

PICKER_LIMIT = 50


@dataclass
class SessionLists:
    session: Session
    confirmed: list[Invitation] = field(default_factory=list)
    waiting: list[Invitation] = field(default_factory=list)  # in order: the first moves up next
    no: list[Invitation] = field(default_factory=list)
    maybe: list[Invitation] = field(default_factory=list)
    pending: list[Invitation] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    answered_in_calendar: dict[int, datetime | None] = field(default_factory=dict)  # invitation id → when
    proposals: list[Rsvp] = field(default_factory=list)  # other times proposed from a calendar

    @property
    def has_free_seats_and_waiters(self) -> bool:
        """True after the capacity was raised while people were waiting."""
        capacity = self.session.capacity
        confirmed = self.counts.get(Seat.CONFIRMED, 0)
        return bool(self.counts.get(Seat.WAITING)) and (capacity is None or confirmed < capacity)


@dataclass
class InvitationRow:
    invitation: Invitation
    mail: MailState | None


@dataclass
class Overview:
    sessions: list[SessionLists]
    active: list[InvitationRow]
    revoked: list[InvitationRow]

    @property
    def letters_needed(self) -> int:
        return sum(1 for row in self.active if row.invitation.person.needs_letter)


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


def invitations_overview(series: Series) -> Overview:
    invitations = (
        db.session.scalars(
            select(Invitation)
            .where(Invitation.series_id == series.id)
            .options(
                joinedload(Invitation.person).joinedload(Person.organisation),
                selectinload(Invitation.rsvps),
            )
            .order_by(Invitation.id)
        )
        .unique()
        .all()
    )
    counts = _answer_counts(series)
    lists = {s.id: SessionLists(s, counts=counts.get(s.id, {})) for s in series.sessions}
    waiting: dict[int, list[tuple[int, Invitation]]] = {}
    for invitation in invitations:
        if invitation.is_revoked:
            continue
        for rsvp in invitation.rsvps:
            target = lists.get(rsvp.session_id)
            if target is None:
                continue
            if rsvp.answered_via == AnsweredVia.CALENDAR:
                target.answered_in_calendar[invitation.id] = rsvp.answered_at
            if rsvp.proposed_at is not None:
                target.proposals.append(rsvp)
            if rsvp.seat == Seat.CONFIRMED:
                target.confirmed.append(invitation)
            elif rsvp.seat == Seat.WAITING:
                waiting.setdefault(rsvp.session_id, []).append((rsvp.waitlist_position or 0, invitation))
            elif rsvp.answer == Answer.NO:
                target.no.append(invitation)
            elif rsvp.answer == Answer.MAYBE:
                target.maybe.append(invitation)
            else:
                target.pending.append(invitation)
    for session_id, queue in waiting.items():
        lists[session_id].waiting = [invitation for _, invitation in sorted(queue, key=lambda pair: pair[0])]
    for entry in lists.values():
        for name in (entry.confirmed, entry.no, entry.maybe, entry.pending):
            name.sort(key=lambda i: i.person.name.lower())
    states = mail_states(invitations)
    rows = [InvitationRow(i, states.get(i.id)) for i in sorted(invitations, key=lambda i: i.person.name.lower())]
    return Overview(
        sessions=list(lists.values()),
        active=[r for r in rows if not r.invitation.is_revoked],
        revoked=[r for r in rows if r.invitation.is_revoked],
    )


def find_people(search: str, limit: int = PICKER_LIMIT) -> list[Person]:
    """The first people the people search finds for ``search`` (as on the people list)."""
    return list(db.session.scalars(people_matching(search).limit(limit)))
