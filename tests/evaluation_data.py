"""Builders for evaluation data, straight through the models: forms, responses, answers, presence."""

from __future__ import annotations

from itertools import count

from sqlalchemy import select

from planner.attendance.models import Attendance, Presence, Via
from planner.evaluations.models import (
    EvaluationAnswer,
    EvaluationForm,
    EvaluationOption,
    EvaluationQuestion,
    EvaluationResponse,
    Moderation,
    SessionEvaluation,
)
from planner.extensions import db
from planner.people.models import Person

_numbers = count(1)

SMILEYS = [("sad", "Niet goed"), ("neutral", "Gaat wel"), ("happy", "Goed")]

# key, kind, extra: options, condition, pair
STANDARD_QUESTIONS = [
    ("mood", "smiley", {"options": SMILEYS, "condition": "social_cohesion"}),
    ("useful", "agree", {"condition": "social_empowerment"}),
    ("mark", "mark", {"condition": "social_empowerment"}),
    ("again", "yes_no", {}),
    ("theme", "choice", {"options": [("money", "Geld"), ("care", "Zorg"), ("work", "Werk")]}),
    ("learned", "multiple", {"options": [("signals", "Signalen"), ("network", "Netwerk"), ("rules", "Regels")]}),
    ("contact_before", "agree", {"condition": "social_inclusion", "pair_key": "contact", "moment": "before"}),
    ("contact_now", "agree", {"condition": "social_inclusion", "pair_key": "contact", "moment": "now"}),
    ("remark", "open", {}),
]


def make_form(
    programme=None, *, anonymous: bool = False, questions=STANDARD_QUESTIONS, lineage=None, version=1, title="Evaluatie"
):
    form = EvaluationForm(
        programme_id=programme.id if programme else None,
        title_nl=title,
        anonymous=anonymous,
        version=version,
        **({"lineage": lineage} if lineage else {}),
    )
    for position, (key, kind, extra) in enumerate(questions, start=1):
        question = EvaluationQuestion(
            position=position,
            key=key,
            kind=kind,
            text_nl=f"Vraag {key}",
            text_en=f"Question {key}",
            condition=extra.get("condition"),
            pair_key=extra.get("pair_key"),
            moment=extra.get("moment"),
        )
        for option_position, (option_key, label) in enumerate(extra.get("options", ()), start=1):
            question.options.append(EvaluationOption(position=option_position, key=option_key, label_nl=label))
        form.questions.append(question)
    db.session.add(form)
    db.session.flush()
    return form


def use_form(session, form):
    """The session's evaluation (every session has one from the start) uses ``form``."""
    evaluation = db.session.scalar(select(SessionEvaluation).where(SessionEvaluation.session_id == session.id))
    if evaluation is None:  # a test that emptied the evaluation tables
        evaluation = SessionEvaluation(session_id=session.id)
        db.session.add(evaluation)
    evaluation.form_id, evaluation.short_code = form.id, f"c{next(_numbers)}"
    db.session.flush()


def mark_present(session, n: int, role: str = "resident") -> list[Person]:
    people = []
    for _ in range(n):
        number = next(_numbers)
        person = Person(name=f"Deelnemer {number}", role=role)
        db.session.add(person)
        people.append(person)
    db.session.flush()
    for person in people:
        db.session.add(Attendance(session_id=session.id, person_id=person.id, status=Presence.PRESENT, via=Via.DOOR))
    db.session.flush()
    return people


def question(form, key):
    return next(q for q in form.questions if q.key == key)


def option(form, key, option_key):
    return next(o for o in question(form, key).options if o.key == option_key)


def respond(session, form, answers: dict, *, role: str | None = "resident", person=None, moderation="pending"):
    """One response. ``answers``: question key → value, option key, list of option keys, or text.

    ``"n/a"`` answers an agree question with "not applicable".
    """
    anonymous = form.anonymous
    response = EvaluationResponse(
        session_id=session.id,
        form_id=form.id,
        anonymous=anonymous,
        role=None if anonymous else role,
        person_id=None if anonymous else (person.id if person else None),
    )
    for key, given in answers.items():
        q = question(form, key)
        if q.kind == "open":
            response.answers.append(EvaluationAnswer(question_id=q.id, text=given, moderation=moderation))
        elif q.kind == "multiple":
            for option_key in given:
                response.answers.append(EvaluationAnswer(question_id=q.id, option_id=option(form, key, option_key).id))
        elif q.kind == "choice":
            response.answers.append(EvaluationAnswer(question_id=q.id, option_id=option(form, key, given).id))
        elif q.kind == "smiley":
            chosen = q.options[given - 1]
            response.answers.append(EvaluationAnswer(question_id=q.id, option_id=chosen.id, value=given))
        elif given == "n/a":
            response.answers.append(EvaluationAnswer(question_id=q.id, not_applicable=True))
        else:
            response.answers.append(EvaluationAnswer(question_id=q.id, value=given))
    db.session.add(response)
    db.session.flush()
    return response


def approve_all(responses, moderation=Moderation.APPROVED):
    for response in responses:
        for answer in response.answers:
            if answer.text is not None:
                answer.moderation = moderation
    db.session.flush()
