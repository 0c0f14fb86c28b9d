"""The rules of attendance: marking people at the door, walk-ins, self check-in, corrections.

Services add and flush; the route commits. Every change is written to `attendance_change`
with who made it (none: the participant themselves) and when.

The door link (a QR code on the wall, a printed address) is held by anyone in the room and
anyone they pass it on to. Typing a name there therefore answers the same whether or not the
name is on the list, only asks the organiser to confirm (a pending check-in, which sends no
evaluation), counts tries per session and client address, and the organiser can close it or
give it a new code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from planner.attendance.errors import AttendanceError
from planner.attendance.models import Attendance, AttendanceChange, DoorCheckIn, Presence, Via
from planner.auth.models import StaffUser, ThrottledKind
from planner.auth.throttling import TryLimit, record_try, throttled_tries
from planner.extensions import db
from planner.invitations.grid import needs_of
from planner.invitations.models import Answer, Invitation, Rsvp, Seat
from planner.people.details import PersonDetails, normalise_email
from planner.people.models import Organisation, Person, people_matching
from planner.people.services import create_person, person_with_email
from planner.plain_text import name_key
from planner.series.models import Session, new_door_code
from planner.timekeeping import utcnow

# Self check-in opens this long before a session starts and closes when it ends.
CHECK_IN_OPENS_BEFORE = timedelta(minutes=30)


@dataclass
class ListRow:
    person: Person
    answer: Answer | None  # None: not invited (a walk-in)
    seat: Seat | None
    status: Presence | None  # None: not marked
    # What they told us they need to take part, in words (for the organisers at the door only).
    needs: list[str] = field(default_factory=list)

    @property
    def said_yes(self) -> bool:
        return self.answer == Answer.YES and self.seat == Seat.CONFIRMED

    @property
    def yes_but_absent(self) -> bool:
        return self.said_yes and self.status == Presence.ABSENT

    @property
    def is_present(self) -> bool:
        return self.status == Presence.PRESENT

    @property
    def order(self) -> tuple:
        if self.said_yes:
            rank = 0
        elif self.answer is None:
            rank = 1
        else:
            rank = {Answer.YES: 2, Answer.MAYBE: 3, Answer.PENDING: 4, Answer.NO: 5}[self.answer]
        return (rank, self.person.name.casefold(), self.person.id)


def invited_to(session: Session, search: str = ""):
    """Everyone with a live invitation to this session whom the people search finds:
    (person, answer, seat, presence, invitation)."""
    return (
        people_matching(search)
        .add_columns(Rsvp.answer, Rsvp.seat, Attendance.status, Invitation)
        .join(Invitation, Invitation.person_id == Person.id)
        .join(Rsvp, Rsvp.invitation_id == Invitation.id)
        .outerjoin(Attendance, (Attendance.session_id == Rsvp.session_id) & (Attendance.person_id == Person.id))
        .where(Rsvp.session_id == session.id, Invitation.revoked_at.is_(None))
    )


def session_list(session: Session, search: str = "") -> list[ListRow]:
    """The door list: those who said yes first, then walk-ins, maybe, not answered, no; by name.
    With ``search``, those the people search finds (as on the people list).

    Two queries, however long the list.
    """
    rows = [
        ListRow(p, a, s, st, needs_of(invitation))
        for p, a, s, st, invitation in db.session.execute(invited_to(session, search))
    ]
    invited = {row.person.id for row in rows}
    marked = (
        people_matching(search)
        .add_columns(Attendance.status)
        .join(Attendance, Attendance.person_id == Person.id)
        .where(Attendance.session_id == session.id)
    )
    rows += [ListRow(p, None, None, st) for p, st in db.session.execute(marked) if p.id not in invited]
    return sorted(rows, key=lambda row: row.order)


def _on_list(session: Session, person_id: int) -> bool:
    invited = (
        select(Rsvp.id)
        .join(Invitation)
        .where(Rsvp.session_id == session.id, Invitation.person_id == person_id, Invitation.revoked_at.is_(None))
    )
    marked = select(Attendance.id).where(Attendance.session_id == session.id, Attendance.person_id == person_id)
    return db.session.scalar(select(invited.exists() | marked.exists())) or False


def _record(session_id, person_id, status, via, actor, now) -> None:
    db.session.add(
        AttendanceChange(
            session_id=session_id,
            person_id=person_id,
            status=status,
            via=via,
            changed_by_id=actor.id if actor is not None else None,
            changed_at=now,
        )
    )


def _row(session_id: int, person_id: int) -> Attendance | None:
    return db.session.scalar(
        select(Attendance).where(Attendance.session_id == session_id, Attendance.person_id == person_id)
    )


def _set(session: Session, person_id: int, status: str, *, via: str, actor, now: datetime) -> Attendance:
    """Insert or update the one row for (session, person); a second device racing us is not an error."""
    if session.is_cancelled:
        raise AttendanceError("session_cancelled", title=session.title)
    row = _row(session.id, person_id)
    if row is None:
        try:
            with db.session.begin_nested():
                row = Attendance(
                    session_id=session.id,
                    person_id=person_id,
                    status=status,
                    via=via,
                    changed_by_id=actor.id if actor is not None else None,
                    changed_at=now,
                )
                db.session.add(row)
            _record(session.id, person_id, status, via, actor, now)
            db.session.flush()
            return row
        except IntegrityError:
            row = _row(session.id, person_id)  # the other device was first
            assert row is not None, "the unique (session, person) row is there"
    if row.status != status:
        row.status = Presence(status)
        row.via = Via(via)
        row.changed_by_id = actor.id if actor is not None else None
        row.changed_at = now
        _record(session.id, person_id, status, via, actor, now)
        db.session.flush()
    return row


def mark(
    session: Session, person_id: int, status: str, *, actor, via: str = Via.DOOR, now: datetime | None = None
) -> Attendance:
    """Mark someone on the session's list present, absent or excused. Marking twice changes nothing."""
    if status not in set(Presence):
        raise AttendanceError("unknown_presence")
    if not _on_list(session, person_id):
        raise AttendanceError("not_on_list")
    row = _set(session, person_id, status, via=via, actor=actor, now=now or utcnow())
    _forget_door_check_in(session, person_id)  # the organiser decided
    return row


def unmark(session: Session, person_id: int, *, actor, now: datetime | None = None) -> None:
    """Take a mark away (a tap by mistake); the history keeps that it was there."""
    row = _row(session.id, person_id)
    if row is None:
        return
    db.session.delete(row)
    _record(
        session.id, person_id, None, Via.ORGANISER if row.via == Via.ORGANISER else Via.DOOR, actor, now or utcnow()
    )
    db.session.flush()


def find_walk_in(details: PersonDetails) -> Person | None:
    """A person we already know: by e-mail address, else by exact name and organisation.
    PeopleError for an e-mail address that cannot be one."""
    email = normalise_email(details.email)
    if email:
        return db.session.scalar(person_with_email(email))
    organisation = details.organisation
    if isinstance(organisation, Organisation):
        organisation = organisation.name
    organisation = (organisation or "").strip()
    if not organisation:
        return None
    return db.session.scalar(
        select(Person)
        .join(Organisation, Person.organisation_id == Organisation.id)
        .where(Person.name == details.name.strip(), Organisation.name_key == name_key(organisation))
        .order_by(Person.id)
        .limit(1)
    )


def add_walk_in(
    session: Session, details: PersonDetails | None = None, /, *, actor, now: datetime | None = None, **fields
) -> Person:
    """Someone who came without an answer (``details``, or the same as keywords), marked present.

    Someone we know is found and checked in as they are; someone new is added by the service
    and the rules of the person form (so someone under 16 only with a parent's or guardian's
    consent), which refuses before it makes anything, so a refusal leaves nothing behind."""
    if session.is_cancelled:
        raise AttendanceError("session_cancelled", title=session.title)
    details = details or PersonDetails(**fields)
    person = find_walk_in(details) or create_person(details)
    _set(session, person.id, Presence.PRESENT, via=Via.WALK_IN, actor=actor, now=now or utcnow())
    return person


def check_in_window(session: Session, now: datetime) -> None:
    if session.is_cancelled:
        raise AttendanceError("session_cancelled", title=session.title)
    opens = session.starts_at - CHECK_IN_OPENS_BEFORE
    if now < opens:
        raise AttendanceError("check_in_not_open", time=opens.astimezone(session.zone).time())
    if now > session.ends_at:
        raise AttendanceError("check_in_closed")


def self_check_in(invitation: Invitation, session: Session, *, now: datetime | None = None) -> Attendance:
    """A participant checks in with their personal link, from 30 minutes before until the end."""
    now = now or utcnow()
    if invitation.is_revoked or not any(r.session_id == session.id for r in invitation.rsvps):
        raise AttendanceError("not_on_list")
    check_in_window(session, now)
    return _set(session, invitation.person_id, Presence.PRESENT, via=Via.SELF, actor=None, now=now)


def door_limit(config) -> TryLimit:
    return TryLimit(
        per_client=config["CHECK_IN_MAX_TRIES_PER_CLIENT"],
        window=timedelta(minutes=config["CHECK_IN_TRY_WINDOW_MINUTES"]),
    )


def check_in_by_name(session: Session, name: str, *, client: str, limit: TryLimit, now: datetime | None = None) -> None:
    """A participant types their name on the session's door link.

    Whatever the name, the answer is the same ("the organiser will confirm"): whoever holds the
    link must not learn who is invited. A name that matches exactly one person invited becomes
    a pending check-in for the organiser to confirm or undo (not present yet, so no evaluation
    mail); no match, more than one, or someone already present or pending changes nothing.
    Every try counts against this session and ``client`` (AttendanceError "door_throttled").
    """
    now = now or utcnow()
    if not session.door_open:
        raise AttendanceError("door_closed")
    check_in_window(session, now)
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        raise AttendanceError("name_required")
    key = f"session {session.id}"
    minutes = throttled_tries(ThrottledKind.CHECK_IN, key, client, limit, now)
    if minutes is not None:
        raise AttendanceError("door_throttled", minutes=minutes)
    record_try(ThrottledKind.CHECK_IN, key, client, limit, now)
    people = [p for p, *_ in db.session.execute(invited_to(session)) if " ".join(p.name.split()).casefold() == wanted]
    if len(people) != 1:
        return
    marked = _row(session.id, people[0].id)
    if marked is not None and marked.status == Presence.PRESENT:
        return
    try:
        with db.session.begin_nested():
            db.session.add(DoorCheckIn(session_id=session.id, person_id=people[0].id, asked_at=now))
    except IntegrityError:
        pass  # already pending (two phones at once): nothing more to ask


def pending_check_ins(session: Session):
    """Those who checked themselves in at the door and wait for the organiser, first come first."""
    return (
        select(DoorCheckIn)
        .join(Person, Person.id == DoorCheckIn.person_id)
        .where(DoorCheckIn.session_id == session.id)
        .order_by(DoorCheckIn.asked_at, DoorCheckIn.id)
    )


def _pending(session: Session, person_id: int) -> DoorCheckIn:
    row = db.session.scalar(
        select(DoorCheckIn).where(DoorCheckIn.session_id == session.id, DoorCheckIn.person_id == person_id)
    )
    if row is None:
        raise AttendanceError("no_pending_check_in")
    return row


def _forget_door_check_in(session: Session, person_id: int) -> None:
    db.session.execute(
        delete(DoorCheckIn).where(DoorCheckIn.session_id == session.id, DoorCheckIn.person_id == person_id)
    )


def confirm_check_in(session: Session, person_id: int, *, actor, now: datetime | None = None) -> Attendance:
    """The organiser sees the person in the room: their door check-in makes them present."""
    pending = _pending(session, person_id)
    row = _set(session, person_id, Presence.PRESENT, via=Via.SELF, actor=actor, now=now or utcnow())
    db.session.delete(pending)
    db.session.flush()
    return row


def undo_check_in(session: Session, person_id: int) -> None:
    """Someone else typed this name, or by mistake: the pending check-in goes, nothing is marked."""
    db.session.delete(_pending(session, person_id))
    db.session.flush()


def renew_door_code(session: Session) -> str:
    """A new door link (and QR code), open: the old printed or shown link stops working."""
    session.door_code = new_door_code()
    session.door_open = True
    db.session.flush()
    return session.door_code


def close_door(session: Session) -> None:
    """Nobody checks in by name any more; the door link says so. Renewing opens it again."""
    session.door_open = False
    db.session.flush()


def history(session: Session):
    """The changes to a session's attendance, newest first: (change, person's name, staff name or None)."""
    return (
        select(AttendanceChange, Person.name, StaffUser.name)
        .join(Person, Person.id == AttendanceChange.person_id)
        .outerjoin(StaffUser, StaffUser.id == AttendanceChange.changed_by_id)
        .where(AttendanceChange.session_id == session.id)
        .order_by(AttendanceChange.changed_at.desc(), AttendanceChange.id.desc())
    )
