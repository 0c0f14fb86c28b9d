"""Status, answer, seat, role and the other kinds of value are enums: the database refuses any other
value, the application refuses it before that, and what is read or set is the member with its label."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError, StatementError

from planner.attendance.models import Presence
from planner.attendance.services import mark
from planner.audit.models import AuditAction
from planner.audit.services import record_event
from planner.auth.models import ThrottledKind
from planner.auth.throttling import TryLimit, record_try
from planner.evaluations.models import (
    Channel,
    EvaluationAnswer,
    EvaluationQuestion,
    EvaluationResponse,
    Moderation,
    QuestionKind,
)
from planner.extensions import db as _db
from planner.invitations.letters import record_letter
from planner.invitations.models import Answer, LetterKind, Rsvp, Seat
from planner.invitations.services import answer
from planner.people.models import ConsentPurpose, Language, Person, PersonRole
from planner.people.services import record_consent
from planner.replies.models import CalendarReply, Outcome
from planner.schema import LabelledEnum
from planner.series.models import Series, SeriesStatus
from planner.timekeeping import utcnow
from tests import factories
from tests.evaluation_data import make_form


def enum_columns() -> list[tuple[str, str]]:
    return sorted(
        (table.name, column.name)
        for table in _db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, sa.Enum)
    )


@pytest.fixture
def every_kind_of_row(db, programme, organiser):
    """At least one row in every table that has an enum column."""
    series = factories.make_series(programme, organiser)
    session = series.sessions[0]
    invitation = factories.make_invitation(series, role="volunteer")  # queues the invitation mail
    person = invitation.person
    record_letter(kind=LetterKind.INVITATION, person=person, series=series, invitation=invitation, body_html="")
    answer(invitation, session, Answer.YES)
    mark(session, person.id, Presence.PRESENT, actor=organiser)  # and its history
    record_consent(person, ConsentPurpose.PHOTOS, True, organiser)
    record_event(actor=organiser, action=AuditAction.VIEW, object_type="person", object_id=person.id)
    form = make_form()
    response = EvaluationResponse(
        session_id=session.id, form_id=form.id, channel=Channel.PAPER, role=person.role, person_id=person.id
    )
    open_question = next(q for q in form.questions if q.kind == QuestionKind.OPEN)
    response.answers = [EvaluationAnswer(question_id=open_question.id, text="Fijn gesprek")]
    db.session.add(response)
    db.session.add(CalendarReply(message_key="0" * 64, outcome=Outcome.NOT_CALENDAR))
    record_try(
        ThrottledKind.CHECK_IN,
        f"session {session.id}",
        "192.0.2.1",
        TryLimit(per_client=30, window=timedelta(minutes=15)),
        utcnow(),
    )
    db.session.commit()
    return series


def test_the_kinds_of_value_are_enum_columns():
    expected = {
        ("series", "status"),
        ("session", "status"),
        ("session_audience", "audience"),
        ("rsvp", "answer"),
        ("rsvp", "seat"),
        ("attendance", "status"),
        ("attendance", "via"),
        ("attendance_change", "status"),
        ("attendance_change", "via"),
        ("evaluation_response", "channel"),
        ("evaluation_response", "role"),
        ("evaluation_answer", "moderation"),
        ("evaluation_form", "purpose"),
        ("evaluation_question", "kind"),
        ("evaluation_question", "condition"),
        ("evaluation_question", "moment"),
        ("person", "role"),
        ("person", "language"),
        ("consent", "purpose"),
        ("rsvp", "answered_via"),
        ("calendar_reply", "outcome"),
        ("programme_member", "role"),
        ("outbox_message", "status"),
        ("audit_event", "action"),
        ("failed_login", "kind"),
        ("letter", "kind"),
    }
    assert expected - set(enum_columns()) == set()


@pytest.mark.parametrize(("table", "column"), enum_columns())
def test_the_database_refuses_a_value_that_is_not_one_of_the_enum(db, every_kind_of_row, table, column):
    rows = db.session.scalar(sa.text(f'SELECT count(*) FROM "{table}"'))
    assert rows > 0, f"no {table} row to change"
    # Plain SQL, past the application's own check: a CHECK constraint is what refuses it.
    with pytest.raises(IntegrityError, match=r"(?i)check"), db.session.begin_nested():
        db.session.execute(sa.text(f'UPDATE "{table}" SET "{column}" = :value'), {"value": "nope"})
    db.session.rollback()
    assert db.session.scalar(sa.text(f"""SELECT count(*) FROM "{table}" WHERE "{column}" = 'nope'""")) == 0


def test_the_application_refuses_an_unknown_value_at_flush_and_keeps_nothing(db, every_kind_of_row):
    rsvp = db.session.scalars(sa.select(Rsvp)).first()
    rsvp.answer = "perhaps"
    with pytest.raises(StatementError, match="perhaps"):
        db.session.flush()
    db.session.rollback()
    db.session.expire_all()
    assert sorted(db.session.scalars(sa.select(Rsvp.answer))) == [Answer.PENDING] * 4 + [Answer.YES]


def test_values_are_read_back_and_set_as_members(db, every_kind_of_row):
    db.session.expire_all()
    series = db.session.scalars(sa.select(Series)).one()
    assert series.status is SeriesStatus.PUBLISHED, "read back"
    rsvp = db.session.scalars(sa.select(Rsvp).where(Rsvp.seat.is_not(None))).one()
    assert (rsvp.answer, rsvp.seat) == (Answer.YES, Seat.CONFIRMED)
    assert rsvp.answer is Answer.YES
    assert rsvp.seat is Seat.CONFIRMED
    person = Person(name="Anja", role="student", language="en")
    assert person.role is PersonRole.STUDENT, "a string set is the member at once, before any flush"
    assert person.language is Language.ENGLISH
    answer_row = db.session.scalars(sa.select(EvaluationAnswer)).one()
    assert answer_row.moderation is Moderation.PENDING, "the column default"
    kind = db.session.scalar(sa.select(EvaluationQuestion.kind).where(EvaluationQuestion.kind == "open"))
    assert kind is QuestionKind.OPEN, "a column read on its own"


def labelled_enums() -> list[type[LabelledEnum]]:
    return [
        column.type.enum_class
        for table in _db.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, sa.Enum) and issubclass(column.type.enum_class, LabelledEnum)
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_label_is_written_out_in_both_languages_and_offered_by_choices(app, language):
    enums = set(labelled_enums())
    assert {Answer, Seat, Presence, PersonRole, Language, Moderation, SeriesStatus} <= enums
    with app.test_request_context(), force_locale(language):
        for enum_class in enums:
            labels = [str(member.label) for member in enum_class]
            assert all(labels), f"{enum_class.__name__}: {labels}"
            assert len(set(labels)) == len(labels), f"{enum_class.__name__}: {labels}"
            choices = [(choice.value, str(choice.label)) for choice in enum_class.choices()]
            assert choices == [(member.value, label) for member, label in zip(enum_class, labels, strict=True)]
        if language == "nl":
            assert str(Answer.MAYBE.label) == "Misschien"
            assert str(Seat.WAITING.label) == "Op de wachtlijst"
        else:
            assert str(Answer.MAYBE.label) == "Maybe"
            assert str(Seat.WAITING.label) == "On the waiting list"
