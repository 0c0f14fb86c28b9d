"""The questions of the forms used, lined up by key, and the grouped counts every figure rests on.

The database does the counting: a handful of GROUP BY queries, whatever the number of responses,
give answers per session × role × question key × cell. What a grouped row counts as (its cell),
and whether a question's cells add up to the people who answered it, the question's kind says
(``kinds``). Questions are lined up across form versions by their ``key``, options by theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, union
from sqlalchemy.orm import selectinload

from planner.attendance.models import Attendance, Presence
from planner.evaluations.disclosure import ANONYMOUS, UNKNOWN, Counts, Question
from planner.evaluations.kinds import QuestionKindSpec, kind_of
from planner.evaluations.kinds.base import ScaleKind
from planner.evaluations.models import (
    Condition,
    EvaluationAnswer,
    EvaluationForm,
    EvaluationOption,
    EvaluationQuestion,
    EvaluationResponse,
    SessionEvaluation,
)
from planner.extensions import db
from planner.people.models import PersonRole

ROLE_ORDER = [r.value for r in PersonRole] + [UNKNOWN, ANONYMOUS]


def role_label(role: str):
    if role == ANONYMOUS:
        return _l("No role (anonymous answers)")
    if role == UNKNOWN:
        return _l("Role not known")
    return PersonRole(role).label if role in PersonRole._value2member_map_ else role


# --- The questions, lined up by key across the forms (and versions) used.


@dataclass
class QuestionInfo:
    key: str
    kind: str
    question: EvaluationQuestion  # the newest version, for its text
    options: list[EvaluationOption] = field(default_factory=list)  # one per key, in the newest order
    versions: list[EvaluationQuestion] = field(default_factory=list)  # this key in every form used

    @property
    def spec(self) -> QuestionKindSpec:
        return kind_of(self.kind)

    @property
    def condition(self) -> str | None:
        return self.question.condition

    @property
    def condition_label(self):
        return Condition(self.condition).label if self.condition else None

    def text(self, language: str) -> str:
        return self.question.text(language)

    @property
    def scale_range(self) -> tuple[int, int]:
        spec = self.spec
        if not isinstance(spec, ScaleKind):
            raise TypeError(f"a {self.kind} question has no scale")
        return spec.scale_range(self.options)

    def cell_keys(self, seen: set) -> list:
        """The cells of this question's distribution, in reading order."""
        return self.spec.cell_keys(self.options, seen)

    def cell_label(self, cell, language: str) -> str:
        return self.spec.cell_label(cell, self.options, language)

    def disclosed(self, seen: set) -> Question:
        """What the disclosure pass needs to know of this question."""
        spec = self.spec
        low, high = self.scale_range if spec.scale else (0, 1)
        return Question(
            self.key,
            self.cell_keys(seen),
            additive=spec.additive,
            scale=spec.scale,
            free_text=spec.free_text,
            low=low,
            high=high,
            condition=self.condition,
            pair_key=self.question.pair_key,
            moment=self.question.moment,
        )


def forms_of(session_ids: list[int]) -> list[int]:
    if not session_ids:
        return []
    used = union(
        select(EvaluationResponse.form_id).where(EvaluationResponse.session_id.in_(session_ids)),
        select(SessionEvaluation.form_id).where(SessionEvaluation.session_id.in_(session_ids)),
    )
    return sorted(set(db.session.scalars(used).all()))


def lined_up_questions(form_ids: list[int]) -> list[QuestionInfo]:
    if not form_ids:
        return []
    questions = db.session.scalars(
        select(EvaluationQuestion)
        .join(EvaluationForm, EvaluationForm.id == EvaluationQuestion.form_id)
        .where(EvaluationQuestion.form_id.in_(form_ids))
        .order_by(EvaluationForm.version.desc(), EvaluationForm.id.desc(), EvaluationQuestion.position)
        .options(selectinload(EvaluationQuestion.options))
    ).all()
    infos: dict[str, QuestionInfo] = {}
    for question in questions:  # newest first: its text and option order win
        info = infos.setdefault(question.key, QuestionInfo(question.key, question.kind, question))
        info.versions.append(question)
        known = {o.key for o in info.options}
        info.options.extend(o for o in question.options if o.key not in known)
    return list(infos.values())


# --- Counting, in the database.


def _role_key(anonymous, role) -> str:
    return ANONYMOUS if anonymous else (role or UNKNOWN)


def count_answers(session_ids: list[int], questions: list[QuestionInfo]) -> Counts:
    counts = Counts({}, {}, {}, {})
    if not session_ids:
        return counts.index()
    for session_id, n in db.session.execute(
        select(Attendance.session_id, func.count(Attendance.id))
        .where(Attendance.session_id.in_(session_ids), Attendance.status == Presence.PRESENT)
        .group_by(Attendance.session_id)
    ):
        counts.present[session_id] = n
    R = EvaluationResponse
    for session_id, anonymous, role, n in db.session.execute(
        select(R.session_id, R.anonymous, R.role, func.count(R.id))
        .where(R.session_id.in_(session_ids))
        .group_by(R.session_id, R.anonymous, R.role)
    ):
        key = (session_id, _role_key(anonymous, role))
        counts.responses[key] = counts.responses.get(key, 0) + n
    if not questions:
        return counts.index()
    A = EvaluationAnswer
    # The rows name question and option by id; which key, kind and position that is, the
    # questions already loaded say (all versions), so the database need not join them in.
    versions = {q.id: q for info in questions for q in info.versions}
    options = {o.id: o for q in versions.values() for o in q.options}
    # One answer per response and question, except where several options may be ticked (one row
    # per option): only there do we need to count the responses separately.
    several = [qid for qid, q in versions.items() if not kind_of(q).additive]
    if several:
        for session_id, anonymous, role, question_id, n in db.session.execute(
            select(R.session_id, R.anonymous, R.role, A.question_id, func.count(func.distinct(R.id)))
            .select_from(A)
            .join(R, R.id == A.response_id)
            .where(A.question_id.in_(several), R.session_id.in_(session_ids))
            .group_by(R.session_id, R.anonymous, R.role, A.question_id)
        ):
            respondents = (session_id, _role_key(anonymous, role), versions[question_id].key)
            counts.respondents[respondents] = counts.respondents.get(respondents, 0) + n
    for session_id, anonymous, role, question_id, option_id, v, not_applicable, n in db.session.execute(
        select(
            R.session_id, R.anonymous, R.role, A.question_id, A.option_id, A.value, A.not_applicable, func.count(A.id)
        )
        .select_from(A)
        .join(R, R.id == A.response_id)
        .where(R.session_id.in_(session_ids))
        .group_by(R.session_id, R.anonymous, R.role, A.question_id, A.option_id, A.value, A.not_applicable)
    ):
        question = versions.get(question_id)
        if question is None:
            continue
        qkey, option = question.key, (options.get(option_id) if option_id is not None else None)
        option_key = option.key if option is not None else None
        if v is None and option is not None:
            v = option.position
        role_key = _role_key(anonymous, role)
        spec = kind_of(question)  # the kind of the version answered
        if spec.additive:
            answering = (session_id, role_key, qkey)
            counts.respondents[answering] = counts.respondents.get(answering, 0) + n
        cell = spec.cell(option_key, v, not_applicable)
        if cell is None:
            continue
        answer_key = (session_id, role_key, qkey, cell)
        counts.answers[answer_key] = counts.answers.get(answer_key, 0) + n
    return counts.index()
