"""Invitations to a series, and each invited person's answer per session."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.people.models import Person
from planner.schema import LabelledEnum, enum_column
from planner.series.models import Series, Session
from planner.timekeeping import UTCDateTime, utcnow


class Answer(LabelledEnum):
    PENDING = "pending", _l("No answer yet")
    YES = "yes", _l("Yes")
    NO = "no", _l("No")
    MAYBE = "maybe", _l("Maybe")


class Seat(LabelledEnum):
    CONFIRMED = "confirmed", _l("Place confirmed")
    WAITING = "waiting", _l("On the waiting list")


class AnsweredVia(LabelledEnum):
    """Where an answer came from when not from the personal page or an organiser."""

    CALENDAR = "calendar", _l("In the calendar")
    PAPER = "paper", _l("On a reply slip")


class Invitation(Model):
    """One person invited to one series; the token is their personal link (no account)."""

    __tablename__ = "invitation"
    __table_args__ = (UniqueConstraint("series_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    # None once the link is withdrawn for good (after the retention period).
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The code printed on letters, to type instead of the link (planner/invitations/codes.py).
    short_code: Mapped[str | None] = mapped_column(String(8), unique=True)
    # The local part of the ORGANIZER address in its calendar invites (planner.replies reads them).
    reply_token: Mapped[str | None] = mapped_column(String(32), unique=True)
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


class Rsvp(Model):
    """An invited person's answer for one session, and the seat it holds.

    Only a yes holds a seat: confirmed, or waiting with a place on the waiting list.
    Waiting-list numbers only grow; a person's place is their rank among those waiting.
    """

    __tablename__ = "rsvp"
    __table_args__ = (
        UniqueConstraint("invitation_id", "session_id"),
        UniqueConstraint("session_id", "waitlist_position"),
        CheckConstraint("seat IS NULL OR answer = 'yes'", name="seat_only_for_yes"),
        CheckConstraint(
            "(seat = 'waiting' AND waitlist_position IS NOT NULL AND waitlist_position >= 1)"
            " OR (seat IS NULL AND waitlist_position IS NULL)"
            " OR (seat = 'confirmed' AND waitlist_position IS NULL)",
            name="position_only_when_waiting",
        ),
        CheckConstraint("answer = 'pending' OR answered_at IS NOT NULL", name="answered_at_set"),
        CheckConstraint(
            "(proposed_starts_at IS NULL AND proposed_ends_at IS NULL AND proposed_at IS NULL)"
            " OR (proposed_ends_at > proposed_starts_at AND proposed_at IS NOT NULL)",
            name="proposal_complete",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"), index=True)
    answer: Mapped[Answer] = enum_column(Answer, length=10, name="answer_known", default=Answer.PENDING)
    seat: Mapped[Seat | None] = enum_column(Seat, length=10, name="seat_known")
    waitlist_position: Mapped[int | None] = mapped_column()
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # 'calendar' when the answer came as a reply from the person's own calendar program.
    answered_via: Mapped[AnsweredVia | None] = enum_column(AnsweredVia, length=10, name="answered_via_known")
    # Another time the person proposed from their calendar (iTIP COUNTER); never applied.
    proposed_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    proposed_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    proposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    proposal_comment: Mapped[str] = mapped_column(String(500), default="")

    invitation: Mapped[Invitation] = relationship(back_populates="rsvps")
    session: Mapped[Session] = relationship()

    @property
    def is_waiting(self) -> bool:
        return self.seat == Seat.WAITING

    def __repr__(self) -> str:
        return f"<Rsvp {self.invitation_id}/{self.session_id} {self.answer} {self.seat}>"


class CalendarFeed(Model):
    """A person's private subscription feed; its own token, revocable apart from invitations."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    person: Mapped[Person] = relationship()


class SentReminder(Model):
    """A reminder queued for an answer: at most one per rsvp, so no run sends it twice."""

    __tablename__ = "sent_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    rsvp_id: Mapped[int] = mapped_column(ForeignKey("rsvp.id", ondelete="CASCADE"), unique=True)
    session_sequence: Mapped[int] = mapped_column()
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LetterKind(LabelledEnum):
    """What a letter tells: one kind for each mail a person without e-mail would have had."""

    INVITATION = "invitation", _l("Invitation")
    SESSION_CHANGED = "session_changed", _l("Meeting changed")
    SESSION_CANCELLED = "session_cancelled", _l("Meeting cancelled")
    REMINDER = "reminder", _l("Reminder to answer")
    SESSION_REMINDER = "session_reminder", _l("Reminder before the meeting")
    MOVED_UP = "moved_up", _l("Moved up from the waiting list")
    EVALUATION = "evaluation", _l("Evaluation form")


# The kinds about one session: the letter names it (the others are about the whole invitation).
SESSION_LETTERS = ("session_changed", "session_cancelled", "session_reminder", "moved_up", "evaluation")


class Letter(Model):
    """A printed letter owed to someone without e-mail, recorded with the change that calls for it.

    ``body_html`` is what the letter says about that change, rendered in the person's language
    when it was recorded; the page around it (greeting, organiser, link, code, reply slip) is
    rendered when it is printed. ``printed_at`` is None until a staff member marks it printed.
    """

    __tablename__ = "letter"
    __table_args__ = (
        CheckConstraint("printed_by_id IS NULL OR printed_at IS NOT NULL", name="printed_by_when_printed"),
        CheckConstraint(
            "session_id IS NOT NULL OR kind NOT IN ('" + "', '".join(SESSION_LETTERS) + "')",
            name="session_for_session_letters",
        ),
        CheckConstraint("invitation_id IS NOT NULL OR kind = 'evaluation'", name="invitation_unless_evaluation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("series.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LetterKind] = enum_column(LetterKind, length=20, name="kind_known")
    body_html: Mapped[str] = mapped_column(Text, default="")
    # An evaluation letter carries its own link and code (the person may have no invitation);
    # the others the invitation's link and ``Invitation.short_code``.
    link: Mapped[str] = mapped_column(String(250), default="")
    code: Mapped[str | None] = mapped_column(String(8), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    printed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))

    series: Mapped[Series] = relationship()
    person: Mapped[Person] = relationship()
    invitation: Mapped[Invitation | None] = relationship()
    session: Mapped[Session | None] = relationship()

    def __repr__(self) -> str:
        return f"<Letter {self.id} {self.kind} person={self.person_id}>"


def invitation_with_token(token: str):
    return select(Invitation).where(Invitation.token == token)
