"""The rules of inviting: who is invited to what, their answers, and the waiting list.

Seats are counted with the session's row locked (``SELECT ... FOR UPDATE`` on PostgreSQL,
the database write lock on SQLite), so answers that arrive at the same moment are handled
one after the other; the unique and check constraints on ``rsvp`` back this up.
Services add and flush; the caller commits. Mails are outbox rows in the same transaction.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from planner.extensions import db
from planner.invitations.calendar import after_answer, in_calendar, partstat, queue_cancel, queue_request
from planner.invitations.errors import InvitationError
from planner.invitations.mails import queue_about
from planner.invitations.models import Answer, CalendarFeed, Invitation, Rsvp, Seat
from planner.mail.models import OutboxMessage
from planner.people.models import Organisation, Person, PersonRole
from planner.people.services import PeopleError, get_or_create_by_email, normalise_email
from planner.series.models import Series, Session, SessionStatus
from planner.timekeeping import utcnow

TOKEN_BYTES = 24  # 192 random bits
SQLITE_BUSY_TIMEOUT_MS = 30_000


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


# Whom to invite.


def people_of_organisation(organisation: Organisation) -> list[Person]:
    return list(
        db.session.scalars(select(Person).where(Person.organisation_id == organisation.id).order_by(Person.name))
    )


def people_with_role(role: str) -> list[Person]:
    if role not in set(PersonRole):
        raise InvitationError("unknown_role", role=role)
    return list(db.session.scalars(select(Person).where(Person.role == role).order_by(Person.name)))


def people_from_addresses(text: str, *, language: str = "nl") -> list[Person]:
    """The persons with these pasted addresses, new ones created; refuses if any address is bad.

    Accepts addresses separated by new lines, commas, semicolons or spaces, also in the
    form ``Name <address>`` as mail programs copy them.
    """
    found = re.findall(r"<([^<>]+)>", text or "")
    rest = re.sub(r"[^,;\n<>]*<[^<>]+>", " ", text or "")
    candidates = found + [part for part in re.split(r"[\s,;]+", rest) if part]
    addresses, bad = [], []
    for candidate in candidates:
        try:
            address = normalise_email(candidate)
        except PeopleError:
            bad.append(candidate)
            continue
        if address and address not in addresses:
            addresses.append(address)
    if bad:
        raise InvitationError("invalid_emails", emails=", ".join(bad))
    return [get_or_create_by_email(address, language=language) for address in addresses]


# Inviting.


@dataclass
class InviteResult:
    invited: list[Invitation] = field(default_factory=list)  # new (or revoked, invited again)
    extended: list[Invitation] = field(default_factory=list)  # already invited, sessions added
    unchanged: list[Invitation] = field(default_factory=list)

    @property
    def letters(self) -> list[Invitation]:
        """New invitations for people without e-mail: they need a printed letter."""
        return [i for i in self.invited if i.person.needs_letter]


def open_sessions(series: Series, now: datetime | None = None) -> list[Session]:
    now = now or utcnow()
    return [s for s in series.sessions if not s.is_cancelled and s.starts_at > now]


def _check_sessions(series: Series, sessions: Iterable[Session], now: datetime) -> list[Session]:
    chosen = list({s.id: s for s in sessions}.values())
    if not chosen:
        raise InvitationError("no_sessions_chosen")
    for session in chosen:
        if session.series_id != series.id:
            raise InvitationError("session_not_in_series")
        if session.is_cancelled or session.starts_at <= now:
            raise InvitationError("session_not_open", title=session.title)
    return chosen


def invite_people(
    series: Series,
    people: Iterable[Person],
    sessions: Iterable[Session] | None = None,
    *,
    actor=None,
    now: datetime | None = None,
) -> InviteResult:
    """Invite people to the chosen sessions (all open ones by default).

    Someone already invited gets the sessions they miss, never a second invitation.
    Each new invitation queues one mail; people without e-mail get a letter instead.
    """
    now = now or utcnow()
    if not series.is_published:
        raise InvitationError("series_not_published")
    chosen = _check_sessions(series, open_sessions(series, now) if sessions is None else sessions, now)
    people = list({p.id: p for p in people}.values())
    if not people:
        raise InvitationError("nobody_chosen")
    existing = {
        invitation.person_id: invitation
        for invitation in db.session.scalars(
            select(Invitation)
            .where(Invitation.series_id == series.id, Invitation.person_id.in_([p.id for p in people]))
            .options(selectinload(Invitation.rsvps))
        )
    }
    result = InviteResult()
    actor_id = getattr(actor, "id", None)
    for person in people:
        invitation = existing.get(person.id)
        is_new = invitation is None or invitation.is_revoked
        if invitation is None:
            invitation = Invitation(
                series=series, person=person, token=new_token(), invited_by_id=actor_id, created_at=now
            )
            db.session.add(invitation)
        elif invitation.is_revoked:
            # Invited again after a revocation: a fresh link and a fresh start; the old link stays dead.
            invitation.revoked_at, invitation.token, invitation.invited_by_id = None, new_token(), actor_id
            for rsvp in invitation.rsvps:
                rsvp.answer, rsvp.seat, rsvp.waitlist_position = Answer.PENDING, None, None
        have = {r.session_id for r in invitation.rsvps}
        missing = [s for s in chosen if s.id not in have]
        invitation.rsvps.extend(Rsvp(session_id=s.id, answer=Answer.PENDING) for s in missing)
        if is_new:
            result.invited.append(invitation)
        else:
            (result.extended if missing else result.unchanged).append(invitation)
    db.session.flush()
    cache: dict = {}
    with db.session.no_autoflush:  # the outbox rows go in with the next flush, all at once
        for invitation in result.invited:
            if invitation.person.can_be_mailed:
                _queue_invitation_mail(invitation, cache)
    return result


def _queue_invitation_mail(invitation: Invitation, cache: dict | None = None) -> OutboxMessage:
    return queue_about(invitation, "invitation", [r.session for r in invitation.rsvps], cache)


def resend_invitation(invitation: Invitation) -> OutboxMessage:
    if invitation.is_revoked:
        raise InvitationError("invitation_revoked")
    person = invitation.person
    if not person.can_be_mailed:
        raise InvitationError(_why_not_mailed(person), name=person.name)
    return _queue_invitation_mail(invitation)


def _why_not_mailed(person: Person) -> str:
    """Which part of ``Person.can_be_mailed`` refuses, for the organiser's message."""
    if person.anonymised_at is not None:
        return "person_anonymised"
    if person.deletion_requested_at is not None:
        return "deletion_requested"
    if person.mail_withdrawn_at is not None:
        return "mail_withdrawn"
    return "no_email"


def remind_unanswered(series: Series, *, now: datetime | None = None) -> int:
    """Queue a reminder for everyone we may mail who has not answered for an open session."""
    now = now or utcnow()
    invitations = (
        db.session.scalars(
            select(Invitation)
            .join(Invitation.person)
            .where(
                Invitation.series_id == series.id,
                Invitation.revoked_at.is_(None),
                Person.can_be_mailed,
                Invitation.rsvps.any(
                    (Rsvp.answer == Answer.PENDING)
                    & Rsvp.session.has((Session.starts_at > now) & (Session.status != SessionStatus.CANCELLED))
                ),
            )
            .options(
                joinedload(Invitation.person),
                selectinload(Invitation.rsvps).selectinload(Rsvp.session).selectinload(Session.venue),
            )
        )
        .unique()
        .all()
    )
    cache: dict = {}
    with db.session.no_autoflush:
        for invitation in invitations:
            pending = [
                r.session
                for r in invitation.rsvps
                if r.answer == Answer.PENDING and r.session.starts_at > now and not r.session.is_cancelled
            ]
            queue_about(invitation, "reminder", pending, cache)
    return len(invitations)


# Answers and seats.


def lock_session(session: Session) -> None:
    """Hold the session's row until commit, so its seats are counted by one writer at a time.

    PostgreSQL locks the row. SQLite has no row locks: a no-op write takes the database's
    write lock, and other writers wait for it (up to the busy timeout) instead of failing.
    """
    with db.session.no_autoflush:
        connection = db.session.connection()
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            table = Session.__table__
            db.session.execute(update(table).where(table.c.id == session.id).values(id=table.c.id))
        else:
            db.session.execute(select(Session.id).where(Session.id == session.id).with_for_update())


def confirmed_count(session: Session) -> int:
    return db.session.scalar(
        select(func.count(Rsvp.id)).where(Rsvp.session_id == session.id, Rsvp.seat == Seat.CONFIRMED)
    )


def _next_waitlist_position(session: Session) -> int:
    highest = db.session.scalar(select(func.max(Rsvp.waitlist_position)).where(Rsvp.session_id == session.id))
    return (highest or 0) + 1


def _has_room(session: Session) -> bool:
    return session.capacity is None or confirmed_count(session) < session.capacity


def _rsvp_for(invitation: Invitation, session: Session) -> Rsvp:
    for rsvp in invitation.rsvps:
        if rsvp.session_id == session.id:
            return rsvp
    raise InvitationError("not_invited_to_session")


def _check_can_answer(invitation: Invitation, session: Session, now: datetime) -> None:
    if invitation.is_revoked:
        raise InvitationError("invitation_revoked")
    if session.is_cancelled:
        raise InvitationError("session_cancelled", title=session.title)
    if session.starts_at <= now:
        raise InvitationError("session_started", title=session.title)


def answer(
    invitation: Invitation,
    session: Session,
    answer: str,
    *,
    now: datetime | None = None,
    via: str | None = None,
) -> Rsvp:
    """Record yes / no / maybe; a yes takes a seat or a place on the waiting list.

    Changeable until the session starts. Giving up a confirmed seat moves the first
    person on the waiting list up, who gets a mail. ``via`` says where the answer came
    from when not from the personal page (``AnsweredVia``).
    """
    now = now or utcnow()
    if answer not in (Answer.YES, Answer.NO, Answer.MAYBE):
        raise InvitationError("unknown_answer")
    rsvp = _rsvp_for(invitation, session)
    _check_can_answer(invitation, session, now)
    lock_session(session)
    db.session.refresh(rsvp)  # someone may have moved it up while we waited for the lock
    was_in, was_partstat = in_calendar(rsvp), partstat(rsvp)
    rsvp.answered_at, rsvp.answered_via = now, via
    if answer == Answer.YES:
        if rsvp.seat is None:
            _take_seat(rsvp, session)
        rsvp.answer = Answer.YES
        db.session.flush()
        after_answer(rsvp, was_in, was_partstat, now)
        return rsvp
    gave_up = rsvp.seat == Seat.CONFIRMED
    rsvp.answer, rsvp.seat, rsvp.waitlist_position = answer, None, None
    db.session.flush()
    after_answer(rsvp, was_in, was_partstat, now)
    if gave_up:
        promote_from_waitlist(session, now=now)
    return rsvp


def _take_seat(rsvp: Rsvp, session: Session) -> None:
    if _has_room(session):
        rsvp.seat, rsvp.waitlist_position = Seat.CONFIRMED, None
    else:
        rsvp.seat, rsvp.waitlist_position = Seat.WAITING, _next_waitlist_position(session)


def promote_from_waitlist(session: Session, *, now: datetime | None = None) -> list[Rsvp]:
    """Give free seats to the waiting list, first come first served; the caller holds the lock."""
    promoted = []
    while _has_room(session):
        rsvp = db.session.scalar(
            select(Rsvp)
            .where(Rsvp.session_id == session.id, Rsvp.seat == Seat.WAITING)
            .order_by(Rsvp.waitlist_position)
            .limit(1)
            .execution_options(populate_existing=True)
        )
        if rsvp is None:
            break
        rsvp.seat, rsvp.waitlist_position = Seat.CONFIRMED, None
        db.session.flush()
        promoted.append(rsvp)
        queue_request(rsvp, now or utcnow(), template="moved_up")  # with the calendar invite
    return promoted


def fill_free_seats(session: Session, *, now: datetime | None = None) -> list[Rsvp]:
    """After the capacity was raised: give the new seats to the waiting list, in order."""
    now = now or utcnow()
    if session.is_cancelled:
        raise InvitationError("session_cancelled", title=session.title)
    lock_session(session)
    db.session.refresh(session)
    return promote_from_waitlist(session, now=now)


def revoke_invitation(invitation: Invitation, *, actor=None, now: datetime | None = None) -> None:
    """The link stops working; seats it held go to the waiting list."""
    now = now or utcnow()
    if invitation.is_revoked:
        raise InvitationError("invitation_revoked")
    invitation.revoked_at = now
    for rsvp in sorted(invitation.rsvps, key=lambda r: r.session_id):
        if rsvp.answer == Answer.MAYBE and not rsvp.session.is_cancelled and rsvp.session.ends_at > now:
            queue_cancel(rsvp, now)  # a maybe holds no seat, but is in their calendar
        if rsvp.seat is None:
            continue
        lock_session(rsvp.session)
        db.session.refresh(rsvp)
        gave_up = rsvp.seat == Seat.CONFIRMED
        rsvp.seat, rsvp.waitlist_position = None, None
        db.session.flush()
        if gave_up and not rsvp.session.is_cancelled and rsvp.session.ends_at > now:
            queue_cancel(rsvp, now)  # out of their calendar too
        if gave_up and not rsvp.session.is_cancelled and rsvp.session.starts_at > now:
            promote_from_waitlist(rsvp.session, now=now)
    db.session.flush()


def place_by_hand(invitation: Invitation, session: Session, *, actor=None, now: datetime | None = None) -> Rsvp:
    """An organiser confirms a seat, also over capacity (e.g. from the waiting list)."""
    now = now or utcnow()
    if invitation.is_revoked:
        raise InvitationError("invitation_revoked")
    if session.series_id != invitation.series_id:
        raise InvitationError("session_not_in_series")
    if session.is_cancelled:
        raise InvitationError("session_cancelled", title=session.title)
    lock_session(session)
    rsvp = next((r for r in invitation.rsvps if r.session_id == session.id), None)
    if rsvp is None:
        rsvp = Rsvp(session=session)
        invitation.rsvps.append(rsvp)
    else:
        db.session.refresh(rsvp)
    was_in, was_partstat = in_calendar(rsvp), partstat(rsvp)
    rsvp.answer, rsvp.seat, rsvp.waitlist_position = Answer.YES, Seat.CONFIRMED, None
    rsvp.answered_at = rsvp.answered_at or now
    db.session.flush()
    after_answer(rsvp, was_in, was_partstat, now)
    return rsvp


def move_to_session(
    invitation: Invitation, from_session: Session, to_session: Session, *, actor=None, now: datetime | None = None
) -> Rsvp:
    """Move a person's seat from one session to another; the freed seat goes to the waiting list."""
    now = now or utcnow()
    if from_session.id == to_session.id:
        raise InvitationError("same_session")
    old = _rsvp_for(invitation, from_session)
    for session in sorted((from_session, to_session), key=lambda s: s.id):
        lock_session(session)  # always in id order, so two moves cannot deadlock
    db.session.refresh(old)
    was_in, was_partstat = in_calendar(old), partstat(old)
    gave_up = old.seat == Seat.CONFIRMED
    old.answer, old.seat, old.waitlist_position, old.answered_at = Answer.NO, None, None, now
    old.answered_via = None
    db.session.flush()
    after_answer(old, was_in, was_partstat, now)
    rsvp = place_by_hand(invitation, to_session, actor=actor, now=now)
    if gave_up and not from_session.is_cancelled and from_session.starts_at > now:
        promote_from_waitlist(from_session, now=now)
    return rsvp


def add_person_by_hand(
    series: Series, person: Person, session: Session, *, actor=None, now: datetime | None = None
) -> Rsvp:
    """Invite someone (if not yet) and confirm their seat in one session."""
    now = now or utcnow()
    if session.series_id != series.id:
        raise InvitationError("session_not_in_series")
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.series_id == series.id, Invitation.person_id == person.id)
    )
    if invitation is None or invitation.is_revoked:
        invitation = invite_people(series, [person], [session], actor=actor, now=now).invited[0]
    return place_by_hand(invitation, session, actor=actor, now=now)


# What the participant tells us.


def save_needs(
    invitation: Invitation,
    *,
    learning_question: str = "",
    access: bool = False,
    interpreter: bool = False,
    childcare: bool = False,
    other: str = "",
) -> None:
    if invitation.is_revoked:
        raise InvitationError("invitation_revoked")
    if len(learning_question) > 2000 or len(other) > 500:
        raise InvitationError("text_too_long")
    invitation.learning_question = learning_question.strip()
    invitation.needs_access = bool(access)
    invitation.needs_interpreter = bool(interpreter)
    invitation.needs_childcare = bool(childcare)
    invitation.needs_other = other.strip()
    db.session.flush()


def waiting_places(invitation: Invitation) -> dict[int, int]:
    """session id → this person's place on that session's waiting list (1 is next)."""
    mine = (
        select(Rsvp.session_id, Rsvp.waitlist_position)
        .where(Rsvp.invitation_id == invitation.id, Rsvp.seat == Seat.WAITING)
        .subquery()
    )
    rows = db.session.execute(
        select(mine.c.session_id, func.count(Rsvp.id))
        .join(Rsvp, (Rsvp.session_id == mine.c.session_id) & (Rsvp.waitlist_position <= mine.c.waitlist_position))
        .group_by(mine.c.session_id)
    )
    return dict(rows.all())


def link_expired(invitation: Invitation, *, grace: timedelta, now: datetime | None = None) -> bool:
    """A personal link stops working ``grace`` after the last of its sessions has ended."""
    ends = [rsvp.session.ends_at for rsvp in invitation.rsvps]
    return bool(ends) and max(ends) + grace < (now or utcnow())


# Personal calendar feeds.


def active_feed(person: Person) -> CalendarFeed | None:
    return db.session.scalar(
        select(CalendarFeed)
        .where(CalendarFeed.person_id == person.id, CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.id.desc())
        .limit(1)
    )


def renew_feed(person: Person, *, now: datetime | None = None) -> CalendarFeed:
    """A new feed address for this person; any old one stops working."""
    now = now or utcnow()
    for old in db.session.scalars(
        select(CalendarFeed).where(CalendarFeed.person_id == person.id, CalendarFeed.revoked_at.is_(None))
    ):
        old.revoked_at = now
    created = CalendarFeed(person=person, token=new_token(), created_at=now)
    db.session.add(created)
    db.session.flush()
    return created
