"""Reading a filled-in form and saving it as one response, in one transaction.

``read_answers`` checks the posted values against the form's questions and returns the
answers, or the problems per question (nothing is saved then). ``save_response`` stores
them; when the answer comes through a personal link, the request is marked answered with a
compare-and-set update, so two submits at once make one response.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from planner.errors import DomainError
from planner.evaluations.models import (
    EvaluationAnswer,
    EvaluationForm,
    EvaluationOption,
    EvaluationQuestion,
    EvaluationRequest,
    EvaluationResponse,
    QuestionKind,
)
from planner.extensions import db
from planner.timekeeping import utcnow

MAX_OPEN_ANSWER = 2000
NOT_APPLICABLE = "na"
AGREE_VALUES = range(1, 6)
MARK_VALUES = range(0, 11)


@dataclass
class Answer:
    question: EvaluationQuestion
    value: int | None = None
    option: EvaluationOption | None = None
    not_applicable: bool = False
    text: str | None = None


def field_name(question: EvaluationQuestion) -> str:
    return f"q{question.id}"


def _int(raw: str, allowed: range) -> int | None:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if value in allowed else None


def _read_one(question: EvaluationQuestion, data) -> tuple[list[Answer], str | None]:
    name = field_name(question)
    raw = (data.get(name) or "").strip()
    kind = question.kind
    if kind == QuestionKind.MULTIPLE:
        chosen = set(data.getlist(name)) if hasattr(data, "getlist") else set(filter(None, [raw]))
        by_key = {o.key: o for o in question.options}
        if chosen - set(by_key):
            return [], "answer_unknown_option"
        answers = [Answer(question, option=o) for o in question.options if o.key in chosen]
        if not answers and question.required:
            return [], "answer_required"
        return answers, None
    if not raw:
        return [], ("answer_required" if question.required else None)
    if kind == QuestionKind.OPEN:
        if len(raw) > MAX_OPEN_ANSWER:
            return [], "answer_too_long"
        return [Answer(question, text=raw)], None
    if kind == QuestionKind.AGREE:
        if raw == NOT_APPLICABLE:
            return [Answer(question, not_applicable=True)], None
        value = _int(raw, AGREE_VALUES)
        return ([Answer(question, value=value)], None) if value is not None else ([], "answer_unknown_option")
    if kind == QuestionKind.MARK:
        value = _int(raw, MARK_VALUES)
        return ([Answer(question, value=value)], None) if value is not None else ([], "answer_unknown_option")
    if kind == QuestionKind.YES_NO:
        if raw not in ("yes", "no"):
            return [], "answer_unknown_option"
        return [Answer(question, value=1 if raw == "yes" else 0)], None
    if kind == QuestionKind.SMILEY:
        option = next((o for o in question.options if str(o.position) == raw), None)
        if option is None:
            return [], "answer_unknown_option"
        return [Answer(question, value=option.position, option=option)], None
    if kind == QuestionKind.CHOICE:
        option = next((o for o in question.options if o.key == raw), None)
        if option is None:
            return [], "answer_unknown_option"
        return [Answer(question, option=option)], None
    return [], "answer_unknown_option"


def read_answers(form: EvaluationForm, data) -> tuple[list[Answer], dict[int, str]]:
    """(answers, {question id: problem code}); nothing is saved when there are problems."""
    answers, problems = [], {}
    for question in form.questions:
        found, problem = _read_one(question, data)
        if problem:
            problems[question.id] = problem
        answers.extend(found)
    return answers, problems


def posted_values(form: EvaluationForm, data) -> dict[int, list[str]]:
    """What was posted per question, to show the form again with the answers kept."""
    values = {}
    for question in form.questions:
        name = field_name(question)
        values[question.id] = data.getlist(name) if hasattr(data, "getlist") else [data.get(name, "")]
    return values


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
        if flagged.rowcount != 1:
            raise DomainError("already_answered")
        db.session.expire(request, ["answered"])
    response = EvaluationResponse(
        session_id=session.id, form_id=form.id, anonymous=form.anonymous, channel=channel,
        entered_by_id=entered_by.id if entered_by is not None else None,
    )
    if not form.anonymous:
        response.submitted_at = now
        if person is not None:
            response.person_id = person.id
            response.role = person.role
    response.answers = [
        EvaluationAnswer(
            question_id=a.question.id, value=a.value, option_id=a.option.id if a.option else None,
            not_applicable=a.not_applicable, text=a.text,
        )
        for a in answers
    ]
    try:
        with db.session.begin_nested():
            db.session.add(response)
    except IntegrityError:  # the same person, answering the same session twice
        raise DomainError("already_answered") from None
    return response


def mark_paper_request_answered(session, person) -> None:
    """A named paper form for someone who was asked by mail: their link now says answered."""
    db.session.execute(
        update(EvaluationRequest)
        .where(EvaluationRequest.session_id == session.id, EvaluationRequest.person_id == person.id)
        .values(answered=True)
        .execution_options(synchronize_session=False)
    )
