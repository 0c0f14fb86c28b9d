"""Answers and seats: a yes takes a seat or a place on the waiting list, freed seats move it up.

Seats are counted with the session's row locked (``SELECT ... FOR UPDATE`` on PostgreSQL,
the database write lock on SQLite), so answers that arrive at the same moment are handled
one after the other; the unique and check constraints on ``rsvp`` back this up.
Services add and flush; the caller commits. Mails are outbox rows in the same transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, func, select, update

from planner.extensions import db
from planner.invitations.calendar import after_answer, in_calendar, partstat, queue_cancel, queue_request
from planner.invitations.errors import InvitationError
from planner.invitations.models import Answer, AnsweredVia, Invitation, Rsvp, Seat
from planner.series.models import Session
from planner.timekeeping import utcnow

SQLITE_BUSY_TIMEOUT_MS = 30_000


def lock_session(session: Session) -> None:
    """Hold the session's row until commit, so its seats are counted by one writer at a time.

    PostgreSQL locks the row. SQLite has no row locks: a no-op write takes the database's
    write lock, and other writers wait for it (up to the busy timeout) instead of failing.
    """
    with db.session.no_autoflush:
        connection = db.session.connection()
        if connection.dialect.name == "sqlite":
            if not connection.info.get("busy_timeout"):  # once per connection: it keeps it
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
                connection.info["busy_timeout"] = SQLITE_BUSY_TIMEOUT_MS
            table = cast("Table", Session.__table__)
            db.session.execute(update(table).where(table.c.id == session.id).values(id=table.c.id))
        else:
            db.session.execute(select(Session.id).where(Session.id == session.id).with_for_update())


def confirmed_count(session: Session) -> int:
    return db.session.scalars(
        select(func.count(Rsvp.id)).where(Rsvp.session_id == session.id, Rsvp.seat == Seat.CONFIRMED)
    ).one()


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
    via: AnsweredVia | None = None,
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
    if answer == Answer.YES:
        if rsvp.seat is None:
            _take_seat(rsvp, session)
        rsvp.answer, rsvp.answered_at, rsvp.answered_via = Answer.YES, now, via  # one UPDATE, after the count
        db.session.flush()
        after_answer(rsvp, was_in, was_partstat, now)
        return rsvp
    gave_up = rsvp.seat == Seat.CONFIRMED
    rsvp.answer, rsvp.seat, rsvp.waitlist_position = Answer(answer), None, None
    rsvp.answered_at, rsvp.answered_via = now, via
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


def revoke_invitation(invitation: Invitation, *, now: datetime | None = None) -> None:
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


def place_by_hand(invitation: Invitation, session: Session, *, now: datetime | None = None) -> Rsvp:
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
    invitation: Invitation, from_session: Session, to_session: Session, *, now: datetime | None = None
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
    rsvp = place_by_hand(invitation, to_session, now=now)
    if gave_up and not from_session.is_cancelled and from_session.starts_at > now:
        promote_from_waitlist(from_session, now=now)
    return rsvp


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
