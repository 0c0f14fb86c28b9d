"""Evaluation forms, who was asked to fill one in, and the responses.

A form that has responses is frozen: editing makes a new version in the same lineage, and
questions keep their ``key`` across versions so summaries line them up.

Anonymous responses carry no person, no role and no time, and their id is random: nothing in
the database links them back to the request (which only says *whether* someone answered).
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.extensions import Model
from planner.people.models import Person, PersonRole
from planner.schema import InLanguage, LabelledEnum, enum_column, part_of, staff_member
from planner.series.models import Session
from planner.timekeeping import UTCDateTime, utcnow


class QuestionKind(enum.StrEnum):
    SMILEY = "smiley"  # 3 or 5 faces, each with a text label (the options)
    AGREE = "agree"  # 1–5, with "not applicable"
    MARK = "mark"  # 0–10
    YES_NO = "yes_no"
    CHOICE = "choice"  # one option
    MULTIPLE = "multiple"  # any options
    OPEN = "open"


class Condition(LabelledEnum):
    """The four conditions of social quality a question may be tagged with."""

    SECURITY = "socio_economic_security", _l("Socio-economic security")
    INCLUSION = "social_inclusion", _l("Social inclusion")
    COHESION = "social_cohesion", _l("Social cohesion")
    EMPOWERMENT = "social_empowerment", _l("Social empowerment")


class FormPurpose(LabelledEnum):
    SESSION = "session", _l("After each session")
    END_OF_SERIES = "end_of_series", _l("End of the series (before / now)")
    RESIDENTS = "residents", _l("Residents and young people (smileys)")


class Moment(LabelledEnum):
    """Half of a before / now pair."""

    BEFORE = "before", _l("Before")
    NOW = "now", _l("Now")


class Channel(enum.StrEnum):
    MAIL = "mail"  # the personal link in the evaluation mail
    SCREEN = "screen"  # the QR code / short link shown at the end of a session
    PAPER = "paper"  # typed in by an organiser from a paper form


class Moderation(LabelledEnum):
    PENDING = "pending", _l("To moderate")
    APPROVED = "approved", _l("Approved")
    HIDDEN = "hidden", _l("Hidden")


class EvaluationForm(Model):
    """One version of an evaluation form. Built-in forms belong to no programme."""

    __tablename__ = "evaluation_form"
    __table_args__ = (
        UniqueConstraint("lineage", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Shared by every version of the same form.
    lineage: Mapped[str] = mapped_column(String(36), default=lambda: uuid.uuid4().hex, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    programme_id: Mapped[int | None] = part_of("programme")
    # Set for the forms that ship with Reeks (e.g. "session"), so they are loaded once.
    builtin_key: Mapped[str | None] = mapped_column(String(40))
    purpose: Mapped[FormPurpose] = enum_column(
        FormPurpose, length=20, name="purpose_known", default=FormPurpose.SESSION
    )
    title_nl: Mapped[str] = mapped_column(String(160))
    title_en: Mapped[str] = mapped_column(String(160), default="")
    intro_nl: Mapped[str] = mapped_column(Text, default="")
    intro_en: Mapped[str] = mapped_column(Text, default="")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # A newer version replaces this one in lists and pickers.
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = staff_member()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questions: Mapped[list[EvaluationQuestion]] = relationship(
        back_populates="form", cascade="all, delete-orphan", order_by="EvaluationQuestion.position"
    )

    title = InLanguage()
    intro = InLanguage()

    def __repr__(self) -> str:
        return f"<EvaluationForm {self.id} {self.title_nl!r} v{self.version}>"


class EvaluationQuestion(Model):
    __tablename__ = "evaluation_question"
    __table_args__ = (
        UniqueConstraint("form_id", "key"),
        UniqueConstraint("form_id", "position"),
        CheckConstraint("(moment IS NULL) = (pair_key IS NULL)", name="moment_with_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = part_of("evaluation_form")
    position: Mapped[int] = mapped_column(Integer)
    # Stable across the versions of a form: summaries line questions up by it.
    key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[QuestionKind] = enum_column(QuestionKind, length=20, name="kind_known")
    text_nl: Mapped[str] = mapped_column(String(500))
    text_en: Mapped[str] = mapped_column(String(500), default="")
    hint_nl: Mapped[str] = mapped_column(String(300), default="")
    hint_en: Mapped[str] = mapped_column(String(300), default="")
    condition: Mapped[Condition | None] = enum_column(Condition, length=30, name="condition_known")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    # Before / now pairs share a pair_key; each half says which moment it asks about.
    pair_key: Mapped[str | None] = mapped_column(String(40))
    moment: Mapped[Moment | None] = enum_column(Moment, length=10, name="moment_known")

    form: Mapped[EvaluationForm] = relationship(back_populates="questions")
    options: Mapped[list[EvaluationOption]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="EvaluationOption.position"
    )

    text = InLanguage()
    hint = InLanguage()


class EvaluationOption(Model):
    """A choice, or a smiley's face with its text label (value = position, 1 = saddest)."""

    __tablename__ = "evaluation_option"
    __table_args__ = (
        UniqueConstraint("question_id", "key"),
        UniqueConstraint("question_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = part_of("evaluation_question")
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(40))
    label_nl: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200), default="")

    question: Mapped[EvaluationQuestion] = relationship(back_populates="options")

    label = InLanguage()


class SessionEvaluation(Model):
    """The form a session is evaluated with, its on-screen short code, and when mails went out."""

    __tablename__ = "session_evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("session.id", ondelete="CASCADE"), unique=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("evaluation_form.id", ondelete="RESTRICT"), index=True)
    # For the QR code / short link shown on screen at the end of the session.
    short_code: Mapped[str] = mapped_column(String(16), unique=True)
    screen_open: Mapped[bool] = mapped_column(Boolean, default=True)

    session: Mapped[Session] = relationship()
    form: Mapped[EvaluationForm] = relationship()


class EvaluationRequest(Model):
    """One present person asked to evaluate one session: their link, and *whether* they answered.

    There is deliberately no time of answering and no link to the response.
    """

    __tablename__ = "evaluation_request"
    __table_args__ = (UniqueConstraint("session_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = part_of("session")
    person_id: Mapped[int] = part_of("person")
    # None once the link is withdrawn (e.g. after the retention period).
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)

    session: Mapped[Session] = relationship()
    person: Mapped[Person] = relationship()

    @property
    def mail_reference(self) -> str:
        return f"evaluation:{self.id}"


def _random_id() -> str:
    return uuid.uuid4().hex


class EvaluationResponse(Model):
    """One filled-in form for one session. Random id, so row order does not reveal who answered."""

    __tablename__ = "evaluation_response"
    __table_args__ = (
        CheckConstraint(
            "NOT anonymous OR (person_id IS NULL AND role IS NULL AND submitted_at IS NULL)",
            name="anonymous_is_unlinked",
        ),
        UniqueConstraint("session_id", "person_id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_random_id)
    session_id: Mapped[int] = part_of("session")
    form_id: Mapped[int] = mapped_column(ForeignKey("evaluation_form.id", ondelete="RESTRICT"), index=True)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # Only for named forms; None after the retention period (the role stays for the figures).
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    role: Mapped[PersonRole | None] = enum_column(PersonRole, length=30, name="role_known")
    channel: Mapped[Channel] = enum_column(Channel, length=10, name="channel_known", default=Channel.MAIL)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Paper answers typed in: by whom (never shown for anonymous forms).
    entered_by_id: Mapped[int | None] = staff_member()

    session: Mapped[Session] = relationship()
    form: Mapped[EvaluationForm] = relationship()
    answers: Mapped[list[EvaluationAnswer]] = relationship(back_populates="response", cascade="all, delete-orphan")


class EvaluationAnswer(Model):
    """One answer to one question. A multiple-choice answer is one row per option ticked."""

    __tablename__ = "evaluation_answer"
    __table_args__ = (
        CheckConstraint(
            "(value IS NOT NULL) OR (option_id IS NOT NULL) OR (text IS NOT NULL) OR not_applicable",
            name="has_content",
        ),
        CheckConstraint("value IS NULL OR (value >= 0 AND value <= 10)", name="value_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What pages and URLs call it: random, so neighbouring answers do not show they share a response.
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=_random_id)
    response_id: Mapped[str] = part_of("evaluation_response")
    question_id: Mapped[int] = mapped_column(ForeignKey("evaluation_question.id", ondelete="RESTRICT"), index=True)
    # Scales, marks and yes (1) / no (0).
    value: Mapped[int | None] = mapped_column(Integer)
    option_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_option.id", ondelete="RESTRICT"), index=True)
    not_applicable: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str | None] = mapped_column(Text)
    # Open answers: shown to trekkers only once approved; a redaction replaces the text shown.
    moderation: Mapped[Moderation] = enum_column(
        Moderation, length=10, name="moderation_known", default=Moderation.PENDING
    )
    redacted_text: Mapped[str | None] = mapped_column(Text)
    moderated_by_id: Mapped[int | None] = staff_member()
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    starred: Mapped[bool] = mapped_column(Boolean, default=False)
    starred_by_id: Mapped[int | None] = staff_member()

    response: Mapped[EvaluationResponse] = relationship(back_populates="answers")
    question: Mapped[EvaluationQuestion] = relationship()
    option: Mapped[EvaluationOption | None] = relationship()

    @property
    def shown_text(self) -> str:
        return self.redacted_text if self.redacted_text is not None else (self.text or "")
