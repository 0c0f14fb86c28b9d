"""Breakout groups of a session: who takes part, drawing and storing the groups, moving people by hand.

Services add and flush; the route commits. The drawing itself is pure (groups.py); this keeps
its seed and result so the same groups come back until the organiser asks for new ones.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import joinedload

from planner.attendance.errors import AttendanceError
from planner.attendance.groups import Member, draw_groups, group_count_for_size
from planner.attendance.models import Attendance, BreakoutDrawing, BreakoutMember, Presence
from planner.extensions import db
from planner.invitations.models import Answer, Invitation, Rsvp, Seat
from planner.people.models import Person
from planner.series.models import Session
from planner.timekeeping import utcnow

MAX_GROUPS = 100


def participants(session: Session) -> list[Person]:
    """Those present; before anyone is marked present, those who said yes (and hold a seat)."""
    present = db.session.scalars(
        select(Person)
        .join(Attendance, Attendance.person_id == Person.id)
        .where(Attendance.session_id == session.id, Attendance.status == Presence.PRESENT)
        .options(joinedload(Person.organisation))
    ).all()
    if present:
        return list(present)
    return list(
        db.session.scalars(
            select(Person)
            .join(Invitation, Invitation.person_id == Person.id)
            .join(Rsvp, Rsvp.invitation_id == Invitation.id)
            .where(
                Rsvp.session_id == session.id,
                Invitation.revoked_at.is_(None),
                Rsvp.answer == Answer.YES,
                Rsvp.seat == Seat.CONFIRMED,
            )
            .options(joinedload(Person.organisation))
        ).all()
    )


def as_member(person: Person) -> Member:
    return Member(
        person.id,
        str(person.organisation_id) if person.organisation_id else None,
        person.role or None,
        (person.municipality or "").strip().lower() or None,
    )


def drawing_of(session: Session) -> BreakoutDrawing | None:
    return db.session.scalar(
        select(BreakoutDrawing)
        .where(BreakoutDrawing.session_id == session.id)
        .options(joinedload(BreakoutDrawing.members).joinedload(BreakoutMember.person).joinedload(Person.organisation))
    )


def draw(
    session: Session,
    *,
    how: str,
    number: int,
    actor,
    seed: int | None = None,
    now: datetime | None = None,
) -> BreakoutDrawing:
    """Draw (or redraw, with a new seed) N groups or groups of size k; facilitators stay in their group."""
    if how not in ("count", "size") or not 1 <= number <= MAX_GROUPS:
        raise AttendanceError("bad_group_request", maximum=MAX_GROUPS)
    people = participants(session)
    if not people:
        raise AttendanceError("nobody_to_divide")
    count = number if how == "count" else group_count_for_size(len(people), number)
    count = min(count, len(people))
    previous = drawing_of(session)
    ids = {p.id for p in people}
    pinned = {}
    if previous is not None:
        pinned = {
            m.person_id: m.group_number - 1
            for m in previous.members
            if m.is_facilitator and m.person_id in ids and m.group_number <= count
        }
        # At most one facilitator per group.
        seen, kept = set(), {}
        for person_id, index in sorted(pinned.items(), key=lambda kv: (kv[1], kv[0])):
            if index not in seen:
                seen.add(index)
                kept[person_id] = index
        pinned = kept
    seed = secrets.randbelow(2**31) if seed is None else seed
    groups = draw_groups([as_member(p) for p in people], count, seed, pinned=pinned)
    if previous is None:
        previous = BreakoutDrawing(session_id=session.id)
        db.session.add(previous)
    else:
        db.session.execute(delete(BreakoutMember).where(BreakoutMember.drawing_id == previous.id))
        db.session.expire(previous, ["members"])
    previous.seed = seed
    previous.group_count = count
    previous.drawn_by_id = actor.id if actor is not None else None
    previous.drawn_at = now or utcnow()
    db.session.flush()
    for number_, group in enumerate(groups, start=1):
        for person_id in group:
            db.session.add(
                BreakoutMember(
                    drawing_id=previous.id,
                    person_id=person_id,
                    group_number=number_,
                    is_facilitator=person_id in pinned,
                )
            )
    db.session.flush()
    return previous


def _member(session: Session, person_id: int) -> BreakoutMember:
    member = db.session.scalar(
        select(BreakoutMember)
        .join(BreakoutDrawing)
        .where(BreakoutDrawing.session_id == session.id, BreakoutMember.person_id == person_id)
    )
    if member is None:
        raise AttendanceError("not_in_a_group")
    return member


def move(session: Session, person_id: int, group_number: int) -> None:
    """Move someone to another group by hand; a facilitator moved stops facilitating."""
    member = _member(session, person_id)
    drawing = db.session.get_one(BreakoutDrawing, member.drawing_id)
    if not 1 <= group_number <= drawing.group_count:
        raise AttendanceError("no_such_group")
    if member.group_number != group_number:
        member.group_number = group_number
        member.is_facilitator = False
    db.session.flush()


def toggle_facilitator(session: Session, person_id: int) -> None:
    """Make someone the facilitator of their group (the previous one is not any more), or stop."""
    member = _member(session, person_id)
    if not member.is_facilitator:
        for other in db.session.scalars(
            select(BreakoutMember).where(
                BreakoutMember.drawing_id == member.drawing_id,
                BreakoutMember.group_number == member.group_number,
                BreakoutMember.is_facilitator.is_(True),
            )
        ):
            other.is_facilitator = False
    member.is_facilitator = not member.is_facilitator
    db.session.flush()


@dataclass
class GroupView:
    number: int
    facilitator: Person | None = None
    people: list[Person] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)


def groups_view(session: Session, drawing: BreakoutDrawing | None) -> list[GroupView]:
    """Each group as plain data: its facilitator first, its people by name, their learning questions."""
    if drawing is None:
        return []
    questions = dict(
        db.session.execute(
            select(Invitation.person_id, Invitation.learning_question).where(
                Invitation.series_id == session.series_id, Invitation.learning_question != ""
            )
        ).all()
    )
    groups = [GroupView(n) for n in range(1, drawing.group_count + 1)]
    for member in sorted(drawing.members, key=lambda m: (not m.is_facilitator, m.person.name.casefold())):
        group = groups[member.group_number - 1]
        if member.is_facilitator:
            group.facilitator = member.person
        group.people.append(member.person)
        if questions.get(member.person_id):
            group.questions.append(questions[member.person_id])
    return groups
