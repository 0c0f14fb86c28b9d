"""What an organiser does at once to the people chosen on the grid: all of it, or nothing.

Each action takes the chosen invitations (``chosen_invitations`` checks them), checks everything
before it changes anything, and runs inside a savepoint, so a refusal halfway leaves the
transaction as it was; the caller commits. Mass mail is planned first by a pure function
(``plan_reminders``: who would get what, in which language, and who needs a letter instead),
then queued by ``send_mailing``, so a preview can stand between the two.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from planner.extensions import db
from planner.invitations.calendar import in_calendar
from planner.invitations.errors import InvitationError
from planner.invitations.mails import queue_about
from planner.invitations.models import Answer, Invitation, Rsvp, Seat
from planner.invitations.seats import confirmed_count, lock_session, move_to_session, place_by_hand, revoke_invitation
from planner.mail.services import queued_together
from planner.people.models import Person
from planner.series.models import Series, Session
from planner.timekeeping import utcnow


def chosen_invitations(series: Series, ids: Iterable[int]) -> list[Invitation]:
    """The invitations of ``series`` with these ids, by name; refuses none, or any id not of it."""
    wanted = set(ids)
    if not wanted:
        raise InvitationError("nobody_chosen_in_grid")
    found = (
        db.session.scalars(
            select(Invitation)
            .join(Invitation.person)
            .where(Invitation.id.in_(wanted), Invitation.series_id == series.id)
            .options(
                joinedload(Invitation.person),
                selectinload(Invitation.rsvps).selectinload(Rsvp.session).selectinload(Session.venue),
            )
            .order_by(Person.name, Invitation.id)
        )
        .unique()
        .all()
    )
    if len(found) != len(wanted):
        raise InvitationError("unknown_invitations")
    return list(found)


def _check_active(invitations: list[Invitation]) -> None:
    for invitation in invitations:
        if invitation.is_revoked:
            raise InvitationError("chosen_revoked", name=invitation.person.name)


# Reminders: planned, then sent.


@dataclass(frozen=True)
class PlannedMail:
    invitation: Invitation
    sessions: list[Session]


@dataclass
class Mailing:
    """What a mass sending would do: ``mails`` to queue, people who need a printed ``letters``
    instead (no e-mail address), and those left out (nothing to say, or we may not write)."""

    template: str
    mails: list[PlannedMail] = field(default_factory=list)
    letters: list[PlannedMail] = field(default_factory=list)
    left_out: list[Invitation] = field(default_factory=list)

    @property
    def languages(self) -> dict[str, int]:
        """Language → number of mails in it."""
        return dict(Counter(str(planned.invitation.person.language) for planned in self.mails))

    @property
    def is_empty(self) -> bool:
        return not self.mails and not self.letters


def plan_reminders(invitations: Iterable[Invitation], *, now: datetime | None = None) -> Mailing:
    """A reminder for each chosen person about the open sessions they have not answered.

    Pure: reads the loaded invitations and changes nothing."""
    now = now or utcnow()
    mailing = Mailing(template="reminder")
    for invitation in invitations:
        sessions = sorted(
            (
                r.session
                for r in invitation.rsvps
                if r.answer == Answer.PENDING and not r.session.is_cancelled and r.session.starts_at > now
            ),
            key=lambda s: (s.starts_at, s.id),
        )
        person = invitation.person
        if invitation.is_revoked or not sessions:
            mailing.left_out.append(invitation)
        elif person.can_be_mailed:
            mailing.mails.append(PlannedMail(invitation, sessions))
        elif person.needs_letter:
            mailing.letters.append(PlannedMail(invitation, sessions))
        else:
            mailing.left_out.append(invitation)
    return mailing


def send_mailing(mailing: Mailing) -> int:
    """Queue the planned mails in the outbox (sent after the commit) and record the letters to
    print; the number of mails queued."""
    if mailing.is_empty:
        raise InvitationError("nothing_to_remind")
    cache: dict = {}
    with db.session.no_autoflush, queued_together():
        for planned in mailing.mails + mailing.letters:  # a letter is recorded for those without e-mail
            queue_about(planned.invitation, mailing.template, planned.sessions, cache)
    db.session.flush()
    return len(mailing.mails)


def remind_chosen(invitations: list[Invitation], *, now: datetime | None = None) -> Mailing:
    """Plan and queue the reminders in one go (the grid's *Remind* without a preview)."""
    mailing = plan_reminders(invitations, now=now)
    send_mailing(mailing)
    return mailing


# Changes to answers and seats.


def plan_withdrawal(invitations: Iterable[Invitation], *, now: datetime | None = None) -> Mailing:
    """The calendar cancellations withdrawing these invitations would send: to everyone we may
    mail, for each coming session in their calendar (a confirmed yes or a maybe). Pure."""
    now = now or utcnow()
    mailing = Mailing(template="calendar_removed")
    for invitation in invitations:
        sessions = sorted(
            (
                r.session
                for r in invitation.rsvps
                if in_calendar(r) and not r.session.is_cancelled and r.session.ends_at > now
            ),
            key=lambda s: (s.starts_at, s.id),
        )
        if sessions and not invitation.is_revoked and invitation.person.can_be_mailed:
            mailing.mails.append(PlannedMail(invitation, sessions))
        else:
            mailing.left_out.append(invitation)
    return mailing


def withdraw_chosen(invitations: list[Invitation], *, now: datetime | None = None) -> int:
    """Withdraw every chosen invitation (their links stop working, seats go to the waiting list)."""
    now = now or utcnow()
    _check_active(invitations)
    with db.session.begin_nested():
        for invitation in invitations:
            revoke_invitation(invitation, now=now)
    return len(invitations)


def _check_room(session: Session, invitations: list[Invitation], over_capacity: bool) -> None:
    """Refuse when the chosen people who have no seat in ``session`` yet do not fit in it."""
    if session.capacity is None or over_capacity:
        return
    lock_session(session)
    seated = {r.invitation_id for r in session_rsvps(session, invitations) if r.seat == Seat.CONFIRMED}
    needed = sum(1 for i in invitations if i.id not in seated)
    free = max(session.capacity - confirmed_count(session), 0)
    if needed > free:
        raise InvitationError("session_full", title=session.title, free=free, needed=needed)


def session_rsvps(session: Session, invitations: list[Invitation]) -> list[Rsvp]:
    return [r for i in invitations for r in i.rsvps if r.session_id == session.id]


def _check_target(series: Series, session: Session, now: datetime) -> None:
    if session.series_id != series.id:
        raise InvitationError("session_not_in_series")
    if session.is_cancelled or session.starts_at <= now:
        raise InvitationError("session_not_open", title=session.title)


def move_chosen(
    series: Series,
    invitations: list[Invitation],
    from_session: Session,
    to_session: Session,
    *,
    over_capacity: bool = False,
    now: datetime | None = None,
) -> int:
    """Move every chosen person from one session to another (their answer there becomes no)."""
    now = now or utcnow()
    _check_active(invitations)
    if from_session.series_id != series.id:
        raise InvitationError("session_not_in_series")
    if from_session.id == to_session.id:
        raise InvitationError("same_session")
    _check_target(series, to_session, now)
    invited = {r.invitation_id for r in session_rsvps(from_session, invitations)}
    for invitation in invitations:
        if invitation.id not in invited:
            raise InvitationError("chosen_not_invited", name=invitation.person.name, title=from_session.title)
    _check_room(to_session, invitations, over_capacity)
    with db.session.begin_nested():
        for invitation in invitations:
            move_to_session(invitation, from_session, to_session, now=now)
    return len(invitations)


def place_chosen(
    series: Series,
    invitations: list[Invitation],
    session: Session,
    *,
    over_capacity: bool = False,
    now: datetime | None = None,
) -> int:
    """Confirm a seat for every chosen person in ``session``; over the maximum only when asked."""
    now = now or utcnow()
    _check_active(invitations)
    _check_target(series, session, now)
    _check_room(session, invitations, over_capacity)
    with db.session.begin_nested():
        for invitation in invitations:
            place_by_hand(invitation, session, now=now)
    return len(invitations)


def letters_for_chosen(invitations: list[Invitation]) -> list[Invitation]:
    """The chosen invitations to print a letter for (every one must still be active)."""
    _check_active(invitations)
    return invitations
