"""Reading a filled-in form and saving it as one response, in one transaction.

``read_answers`` has each question's kind (``kinds``) check its posted values and returns the
answers, or the problems per question (nothing is saved then). ``save_response`` stores
them; when the answer comes through a personal link, the request is marked answered with a
compare-and-set update, so two submits at once make one response.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from planner.attendance.models import Attendance, Presence
from planner.evaluations.errors import EvaluationError
from planner.evaluations.kinds import Answer, kind_of
from planner.evaluations.models import (
    EvaluationAnswer,
    EvaluationForm,
    EvaluationQuestion,
    EvaluationRequest,
    EvaluationResponse,
)
from planner.extensions import db, rowcount
from planner.people.models import Person
from planner.plain_text import clean_text
from planner.timekeeping import utcnow


def field_name(question: EvaluationQuestion) -> str:
    return f"q{question.id}"


def _posted(data, name: str) -> list[str]:
    values = data.getlist(name) if hasattr(data, "getlist") else [data.get(name, "")]
    return [clean_text(value) for value in values]


def read_answers(form: EvaluationForm, data) -> tuple[list[Answer], dict[int, str]]:
    """(answers, {question id: problem code}); nothing is saved when there are problems."""
    answers, problems = [], {}
    for question in form.questions:
        found, problem = kind_of(question).read(question, _posted(data, field_name(question)))
        if problem:
            problems[question.id] = problem
        answers.extend(found)
    return answers, problems


def posted_values(form: EvaluationForm, data) -> dict[int, list[str]]:
    """What was posted per question, to show the form again with the answers kept."""
    return {question.id: _posted(data, field_name(question)) for question in form.questions}


def save_response(
    session,
    form: EvaluationForm,
    answers: list[Answer],
    *,
    channel: str,
    request: EvaluationRequest | None = None,
    person=None,
    entered_by=None,
    now: datetime | None = None,
) -> EvaluationResponse:
    """Store one response. Anonymous forms store no person, role or time; raises already_answered."""
    now = now or utcnow()
    if request is not None:
        person = request.person
        flagged = db.session.execute(
            update(EvaluationRequest)
            .where(EvaluationRequest.id == request.id, EvaluationRequest.answered.is_(False))
            .values(answered=True)
            .execution_options(synchronize_session=False)
        )
        if rowcount(flagged) != 1:
            raise EvaluationError("already_answered")
        db.session.expire(request, ["answered"])
    response = EvaluationResponse(
        session_id=session.id,
        form_id=form.id,
        anonymous=form.anonymous,
        channel=channel,
        entered_by_id=entered_by.id if entered_by is not None else None,
    )
    if not form.anonymous:
        response.submitted_at = now
        if person is not None:
            response.person_id = person.id
            response.role = person.role
    response.answers = [
        EvaluationAnswer(
            question_id=a.question.id,
            value=a.value,
            option_id=a.option.id if a.option else None,
            not_applicable=a.not_applicable,
            text=a.text,
        )
        for a in answers
    ]
    try:
        with db.session.begin_nested():
            db.session.add(response)
    except IntegrityError:  # the same person, answering the same session twice
        raise EvaluationError("already_answered") from None
    return response


def mark_paper_request_answered(session, person) -> None:
    """A named paper form for someone who was asked by mail: their link now says answered."""
    db.session.execute(
        update(EvaluationRequest)
        .where(EvaluationRequest.session_id == session.id, EvaluationRequest.person_id == person.id)
        .values(answered=True)
        .execution_options(synchronize_session=False)
    )


def present_people(session) -> Sequence[Person]:
    """Who was marked present at ``session`` (and not anonymised), by name: whose paper form it may be."""
    return db.session.scalars(
        select(Person)
        .join(Attendance, Attendance.person_id == Person.id)
        .where(
            Attendance.session_id == session.id, Attendance.status == Presence.PRESENT, Person.anonymised_at.is_(None)
        )
        .order_by(Person.name, Person.id)
    ).all()
