"""A form's questions: adding, changing, moving and deleting them in the form builder.

Each question is checked by its kind (``kinds``: which options it needs, how many) before the
form is touched; a change to a form with answers lands in a new version (``services.editable``).
Services add and flush; routes commit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from planner.evaluations.errors import EvaluationError
from planner.evaluations.kinds import KINDS
from planner.evaluations.models import (
    Condition,
    EvaluationForm,
    EvaluationOption,
    EvaluationQuestion,
    Moment,
    QuestionKind,
)
from planner.evaluations.services import editable
from planner.extensions import db


@dataclass
class QuestionSpec:
    kind: str
    text_nl: str
    text_en: str = ""
    hint_nl: str = ""
    hint_en: str = ""
    condition: str | None = None
    required: bool = False
    options_nl: list[str] = field(default_factory=list)
    options_en: list[str] = field(default_factory=list)
    pair_key: str | None = None
    moment: str | None = None


def validate_question(spec: QuestionSpec) -> QuestionSpec:
    spec.text_nl = (spec.text_nl or "").strip()
    spec.text_en = (spec.text_en or "").strip()
    spec.hint_nl = (spec.hint_nl or "").strip()
    spec.hint_en = (spec.hint_en or "").strip()
    if spec.kind not in KINDS:
        raise EvaluationError("unknown_question_kind")
    kind = KINDS[spec.kind]
    if not spec.text_nl:
        raise EvaluationError("question_text_required")
    if len(spec.text_nl) > 500 or len(spec.text_en) > 500:
        raise EvaluationError("too_long", field="question", maximum=500)
    if len(spec.hint_nl) > 300 or len(spec.hint_en) > 300:
        raise EvaluationError("too_long", field="hint", maximum=300)
    spec.condition = spec.condition or None
    if spec.condition is not None and spec.condition not in set(Condition):
        raise EvaluationError("unknown_condition")
    spec.pair_key = (spec.pair_key or "").strip() or None
    spec.moment = spec.moment or None
    if (spec.pair_key is None) != (spec.moment is None):
        raise EvaluationError("pair_incomplete")
    if spec.moment is not None and spec.moment not in set(Moment):
        raise EvaluationError("pair_incomplete")
    if spec.pair_key and len(spec.pair_key) > 40:
        raise EvaluationError("too_long", field="pair", maximum=40)
    spec.options_nl, spec.options_en = kind.clean_options(spec.options_nl, spec.options_en)
    return spec


def _apply(question: EvaluationQuestion, spec: QuestionSpec) -> None:
    question.kind, question.text_nl, question.text_en = QuestionKind(spec.kind), spec.text_nl, spec.text_en
    question.hint_nl, question.hint_en = spec.hint_nl, spec.hint_en
    question.condition = Condition(spec.condition) if spec.condition is not None else None
    question.required = spec.required
    question.pair_key = spec.pair_key
    question.moment = Moment(spec.moment) if spec.moment is not None else None
    wanted = [(nl, spec.options_en[n] if spec.options_en else "") for n, nl in enumerate(spec.options_nl)]
    current = [(o.label_nl, o.label_en) for o in question.options]
    if wanted == current:
        return
    # Options keep their key where the Dutch label stays the same, so answers line up.
    by_label = {o.label_nl.casefold(): o.key for o in question.options}
    used = set(by_label.values())
    question.options = []
    db.session.flush()
    options = []
    for position, (nl, en) in enumerate(wanted, start=1):
        key = by_label.get(nl.casefold())
        if key is None:
            key = uuid.uuid4().hex[:8]
            while key in used:
                key = uuid.uuid4().hex[:8]
        used.add(key)
        options.append(EvaluationOption(position=position, key=key, label_nl=nl, label_en=en))
    question.options = options


def _question(form: EvaluationForm, key: str) -> EvaluationQuestion:
    for question in form.questions:
        if question.key == key:
            return question
    raise EvaluationError("unknown_question")


def add_question(form: EvaluationForm, spec: QuestionSpec, *, actor=None) -> tuple[EvaluationForm, EvaluationQuestion]:
    spec = validate_question(spec)
    target = editable(form, actor=actor)
    keys = {q.key for q in target.questions}
    key = "q" + uuid.uuid4().hex[:8]
    while key in keys:
        key = "q" + uuid.uuid4().hex[:8]
    position = max((q.position for q in target.questions), default=0) + 1
    question = EvaluationQuestion(key=key, position=position, kind=spec.kind, text_nl=spec.text_nl)
    _apply(question, spec)
    target.questions.append(question)
    db.session.flush()
    return target, question


def update_question(form: EvaluationForm, key: str, spec: QuestionSpec, *, actor=None) -> EvaluationForm:
    spec = validate_question(spec)
    _question(form, key)  # an unknown question is refused before a version is made
    target = editable(form, actor=actor)
    _apply(_question(target, key), spec)
    db.session.flush()
    return target


def move_question(form: EvaluationForm, key: str, direction: str, *, actor=None) -> EvaluationForm:
    _question(form, key)
    target = editable(form, actor=actor)
    questions = sorted(target.questions, key=lambda q: q.position)
    index = next(n for n, q in enumerate(questions) if q.key == key)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(questions):
        return target
    a, b = questions[index], questions[other]
    a_position, b_position = a.position, b.position
    # Positions are unique per form: park one out of the way while swapping.
    a.position = -1
    db.session.flush()
    b.position = a_position
    db.session.flush()
    a.position = b_position
    db.session.flush()
    target.questions.sort(key=lambda q: q.position)
    return target


def delete_question(form: EvaluationForm, key: str, *, actor=None) -> EvaluationForm:
    _question(form, key)
    target = editable(form, actor=actor)
    question = _question(target, key)
    target.questions.remove(question)
    db.session.flush()
    for position, remaining in enumerate(sorted(target.questions, key=lambda q: q.position), start=1):
        if remaining.position != position:
            remaining.position = position
            db.session.flush()
    return target
