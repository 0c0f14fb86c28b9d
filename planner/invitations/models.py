"""Invitations to a series, and each invited person's answer per session."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import db
from planner.people.models import Person
from planner.schema import one_of
from planner.series.models import Series, Session
from planner.timekeeping import UTCDateTime, utcnow



class Answer(enum.StrEnum):
    PENDING = "pending"
    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


class Seat(enum.StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"


class Invitation(db.Model):
    """One person invited to one series; the token is their personal link (no account)."""

    __tablename__ = "invitation"
    __table_args__ = (UniqueConstraint("series_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    # None once the link is withdrawn for good (after the retention period).
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    learning_question: Mapped[str] = mapped_column(Text, default="")
    # What they need to take part.
    needs_access: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_interpreter: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_childcare: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_other: Mapped[str] = mapped_column(String(500), default="")

    series: Mapped[Series] = relationship()
    person: Mapped[Person] = relationship()
    rsvps: Mapped[list[Rsvp]] = relationship(
        back_populates="invitation", cascade="all, delete-orphan", order_by="Rsvp.session_id"
    )

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def mail_reference(self) -> str:
        return f"invitation:{self.id}"

    def __repr__(self) -> str:
        return f"<Invitation {self.id} series={self.series_id} person={self.person_id}>"


class Rsvp(db.Model):
    """An invited person's answer for one session, and the seat it holds.

    Only a yes holds a seat: confirmed, or waiting with a place on the waiting list.
    Waiting-list numbers only grow; a person's place is their rank among those waiting.
    """

    __tablename__ = "rsvp"
    __table_args__ = (
        UniqueConstraint("invitation_id", "session_id"),
        UniqueConstraint("session_id", "waitlist_position"),
        CheckConstraint(one_of("answer", Answer), name="answer_known"),
        CheckConstraint("seat IS NULL OR " + one_of("seat", Seat), name="seat_known"),
        CheckConstraint("seat IS NULL OR answer = 'yes'", name="seat_only_for_yes"),
        CheckConstraint(
            "(seat = 'waiting' AND waitlist_position IS NOT NULL AND waitlist_position >= 1)"
            " OR (seat IS NULL AND waitlist_position IS NULL)"
            " OR (seat = 'confirmed' AND waitlist_position IS NULL)",
            name="position_only_when_waiting",
        ),
        CheckConstraint("answer = 'pending' OR answered_at IS NOT NULL", name="answered_at_set"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str] = mapped_column(String(10), default=Answer.PENDING)
    seat: Mapped[str | None] = mapped_column(String(10))
    waitlist_position: Mapped[int | None] = mapped_column()
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invitation: Mapped[Invitation] = relationship(back_populates="rsvps")
    session: Mapped[Session] = relationship()

    def __repr__(self) -> str:
        return f"<Rsvp {self.invitation_id}/{self.session_id} {self.answer} {self.seat}>"


class CalendarFeed(db.Model):
    """A person's private subscription feed; its own token, revocable apart from invitations."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship()


class SentReminder(db.Model):
    """A reminder queued for an answer: at most one per rsvp, so no run sends it twice."""

    __tablename__ = "sent_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    rsvp_id: Mapped[int] = mapped_column(ForeignKey("rsvp.id", ondelete="CASCADE"), unique=True)
    session_sequence: Mapped[int] = mapped_column()
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def invitation_with_token(token: str):
    return select(Invitation).where(Invitation.token == token)
