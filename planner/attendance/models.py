"""Who came to a session, every change to that, and the breakout groups drawn for it."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.people.models import Person
from planner.schema import LabelledEnum, enum_column, part_of, staff_member
from planner.series.models import Session
from planner.timekeeping import UTCDateTime, utcnow


class Presence(LabelledEnum):
    PRESENT = "present", _l("Present")
    ABSENT = "absent", _l("Absent")
    EXCUSED = "excused", _l("Excused")


class Via(enum.StrEnum):
    DOOR = "door"  # tapped on the check-in screen
    WALK_IN = "walk_in"  # added at the door
    SELF = "self"  # checked in with their own link or name
    ORGANISER = "organiser"  # marked or corrected afterwards


class Attendance(Model):
    """One person's presence at one session; at most one row each, so two devices never double it."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("session_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = part_of("session")
    person_id: Mapped[int] = part_of("person")
    status: Mapped[Presence] = enum_column(Presence, length=10, name="status_known")
    via: Mapped[Via] = enum_column(Via, length=10, name="via_known")
    changed_by_id: Mapped[int | None] = staff_member()
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[Session] = relationship()
    person: Mapped[Person] = relationship()


class AttendanceChange(Model):
    """History: every mark, correction and undo, with who made it (none: the participant) and when."""

    __tablename__ = "attendance_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = part_of("session")
    person_id: Mapped[int] = part_of("person")
    # None: the mark was taken away (undo).
    status: Mapped[Presence | None] = enum_column(Presence, length=10, name="status_known")
    via: Mapped[Via] = enum_column(Via, length=10, name="via_known")
    changed_by_id: Mapped[int | None] = staff_member()
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DoorCheckIn(Model):
    """Someone typed a name on the door link that matches this person: pending until the organiser
    confirms it (then they are present) or undoes it. Not attendance: it sends no evaluation."""

    __tablename__ = "door_check_in"
    __table_args__ = (UniqueConstraint("session_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = part_of("session")
    person_id: Mapped[int] = part_of("person")
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[Session] = relationship()
    person: Mapped[Person] = relationship()


class BreakoutDrawing(Model):
    """The breakout groups of a session as last drawn (and moved by hand): one drawing per session."""

    __tablename__ = "breakout_drawing"
    __table_args__ = (
        UniqueConstraint("session_id"),
        CheckConstraint("group_count >= 1", name="group_count_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"))
    seed: Mapped[int] = mapped_column(Integer)
    group_count: Mapped[int] = mapped_column(Integer)
    drawn_by_id: Mapped[int | None] = staff_member()
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[Session] = relationship()
    members: Mapped[list[BreakoutMember]] = relationship(
        cascade="all, delete-orphan", order_by="BreakoutMember.group_number"
    )


class BreakoutMember(Model):
    __tablename__ = "breakout_member"
    __table_args__ = (
        UniqueConstraint("drawing_id", "person_id"),
        CheckConstraint("group_number >= 1", name="group_number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    drawing_id: Mapped[int] = part_of("breakout_drawing")
    person_id: Mapped[int] = part_of("person")
    group_number: Mapped[int] = mapped_column(Integer)
    is_facilitator: Mapped[bool] = mapped_column(Boolean, default=False)

    person: Mapped[Person] = relationship()
