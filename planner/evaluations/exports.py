"""Spreadsheets of evaluations: the answers (one row per response) and the summary as shown.

Anonymous responses stay anonymous: no person, no role, no time, and no session either when
their session is shown together with others (they carry the label of that group, e.g.
"Sessions 3–4", and come in random order within it); while the series has too few responses
for any group, they are held back. Named ones carry their session and role, never the name.
Open answers appear only once approved, as shown (redactions applied). Every cell that a
spreadsheet would read as a formula is neutralised (``planner.spreadsheets``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.evaluations.counting import QuestionInfo, count_answers, role_label
from planner.evaluations.disclosure import block_too_small, grouped
from planner.evaluations.figures import FEW, NONE, WITHHELD, Figure
from planner.evaluations.kinds.scales import NOT_APPLICABLE_CODE, NOT_APPLICABLE_LABEL
from planner.evaluations.models import EvaluationAnswer, EvaluationResponse
from planner.evaluations.summaries import Summary, sessions_label
from planner.extensions import db
from planner.people.models import PersonRole
from planner.spreadsheets import neutralise


def figure_text(figure: Figure, decimals: int = 0):
    if figure.shown:
        return round(figure.value, decimals) if decimals and figure.value is not None else figure.value
    return {FEW: _("fewer than 5"), NONE: "", WITHHELD: _("not by role")}.get(figure.hidden or "", _("hidden"))


# --- The answers.


@dataclass
class Variable:
    """One column of the answers: its name for SPSS and Stata, its label, and its value labels."""

    name: str
    label: str
    values: dict | None = None
    text: bool = False


@dataclass
class AnswerTable:
    variables: list[Variable]
    rows: list[list]  # coded values (numbers with value labels, or text)
    text_rows: list[list]  # as a spreadsheet shows them (labels)
    named: bool = False  # any response with a role: the download is audited
    missing: dict = field(default_factory=dict)  # variable → codes that mean "not applicable"


def _name(key: str, suffix: str | None, taken: set) -> str:
    base = "".join(c if c.isalnum() else "_" for c in f"q_{key}" + (f"_{suffix}" if suffix else ""))[:30]
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        name = f"{base[:27]}_{n}"
    taken.add(name.lower())
    return name


def _responses(session_ids: list[int]):
    return (
        db.session.scalars(
            select(EvaluationResponse)
            .where(EvaluationResponse.session_id.in_(session_ids))
            .options(
                selectinload(EvaluationResponse.answers).selectinload(EvaluationAnswer.option),
                selectinload(EvaluationResponse.answers).selectinload(EvaluationAnswer.question),
            )
            .order_by(EvaluationResponse.session_id, EvaluationResponse.id)
        ).all()
        if session_ids
        else []
    )


def answer_table(sessions: list, questions: list[QuestionInfo], language: str) -> AnswerTable:
    """One row per response that may be given out (see the module's text)."""
    ids = [s.id for s in sessions]
    counts, blocks, held = grouped(count_answers(ids, []), ids)
    numbers = {s.id: n for n, s in enumerate(sessions, start=1)}
    block_of = {s: (i, b) for i, b in enumerate(blocks) for s in b}
    too_few = {b for b in blocks if held or block_too_small(counts, b)}
    by_id = {s.id: s for s in sessions}
    roles = {r.value: n for n, r in enumerate(PersonRole, start=1)}

    taken: set = set()
    variables = [
        Variable("response", _("Response")),
        Variable("session", _("Session"), text=True),
        Variable("date", _("Date"), text=True),
        Variable("anonymous", _("Anonymous"), {1: _("yes"), 0: _("no")}),
        Variable("role", _("Role"), {n: str(role_label(r)) for r, n in roles.items()}),
    ]
    taken.update(v.name for v in variables)
    missing = {}
    per_question = []
    for q in questions:
        parts = q.spec.variables(q.options)
        labels = q.spec.value_labels(q.options, language)
        made = []
        for suffix in parts:
            option = next((o for o in q.options if o.key == suffix), None)
            label = q.text(language) + (f": {option.label(language)}" if option is not None else "")
            made.append(Variable(_name(q.key, suffix, taken), label, labels, text=q.spec.free_text))
        if labels and labels.get(NOT_APPLICABLE_CODE) == str(NOT_APPLICABLE_LABEL):
            missing[made[0].name] = [NOT_APPLICABLE_CODE]
        variables.extend(made)
        per_question.append((q, made))

    def order(response):
        index, _block = block_of[response.session_id]
        if response.anonymous:
            return (index, 1, 0, response.id)
        return (index, 0, numbers[response.session_id], response.id)

    kept = [r for r in _responses(ids) if not (r.anonymous and block_of[r.session_id][1] in too_few)]
    rows, text_rows, named = [], [], False
    for number, response in enumerate(sorted(kept, key=order), start=1):
        by_key: dict[str, list] = {}
        for answer in response.answers:
            by_key.setdefault(answer.question.key, []).append(answer)
        session = by_id[response.session_id]
        if response.anonymous:
            where, when, role = sessions_label(block_of[response.session_id][1], numbers), "", None
        else:
            named = True
            where, when, role = session.title, session.local_start.strftime("%Y-%m-%d %H:%M"), response.role
        coded = [number, where, when, 1 if response.anonymous else 0, roles.get(role or "")]
        shown = [
            number,
            where,
            when,
            _("yes") if response.anonymous else _("no"),
            str(role_label(role)) if role else "",
        ]
        for q, made in per_question:
            answers = by_key.get(q.key, [])
            coded.extend(q.spec.coded(answers, q.options))
            text = q.spec.export_value(answers, language) if answers else ""
            shown.extend(
                [text] * len(made)
                if len(made) == 1
                else [("" if v is None else str(v)) for v in q.spec.coded(answers, q.options)]
            )
        rows.append([neutralise(v) for v in coded])
        text_rows.append([neutralise(v) for v in shown])
    return AnswerTable(variables, rows, text_rows, named, missing)


# --- The summary, with the same figures (and the same groups) as on screen.


def summary_table(summary: Summary, scope: str, sessions_pages: Sequence[Summary] = ()) -> tuple[list, list[list]]:
    """The series page's figures and those of each session's page, with each figure's code last."""
    header = [_("Part"), _("Where"), _("Question"), _("Answer"), _("Number or figure"), _("Code")]
    response = _("Response")
    rows = [
        [response, scope, "", _("people present"), summary.present, summary.codes["present"]],
        [response, scope, "", _("responses"), figure_text(summary.responses), summary.codes["responses"]],
        [response, scope, "", _("response rate (%)"), _percent(summary.rate), summary.codes["rate"]],
    ]
    if len(summary.per_session) > 1:
        for block in summary.per_session:
            rows.append([response, block.label, "", _("people present"), block.present, block.codes["present"]])
            rows.append(
                [response, block.label, "", _("responses"), figure_text(block.responses), block.codes["responses"]]
            )
            rows.append([response, block.label, "", _("response rate (%)"), _percent(block.rate), block.codes["rate"]])
    for page in [summary, *sessions_pages]:
        part = _("Answers") if page is summary else _("Answers per session")
        for q in page.questions:
            if page is not summary and any(q.where == r[1] and q.text == r[2] for r in rows):
                continue  # a group shown on several session pages is written once
            for cell in q.cells:
                rows.append(
                    [
                        part,
                        q.where if page is not summary else scope,
                        q.text,
                        cell.label,
                        figure_text(cell.figure),
                        cell.code,
                    ]
                )
            where = q.where if page is not summary else scope
            rows.append([part, where, q.text, _("total"), figure_text(q.total), q.codes["n"]])
            if q.spec.scale:
                rows.append([part, where, q.text, _("mean"), figure_text(q.mean, 1), q.codes["mean"]])
                rows.append([part, where, q.text, _("median"), figure_text(q.median, 1), q.codes["median"]])
    for row in summary.trend:
        for label, mean, fig_code in row.points:
            rows.append([_("Trend"), label, row.text, _("mean"), figure_text(mean, 1), fig_code])
    for role in summary.roles:
        rows.append([_("By role"), role.label, "", _("responses"), figure_text(role.responses), role.codes[0]])
        for q, mean, fig_code in zip(summary.scale_questions, role.means, role.codes[1:], strict=True):
            rows.append([_("By role"), role.label, q.text, _("mean"), figure_text(mean, 1), fig_code])
    for p in summary.profile:
        if p.questions:
            rows.append([_("Social quality (0–100)"), scope, "", p.label, figure_text(p.score, 0), ""])
    for _info, text, n, fig_code in summary.open_questions:
        rows.append([_("Open answers"), scope, text, _("answers"), figure_text(n), fig_code])
    return header, [[neutralise(v) for v in row] for row in rows]


def _percent(figure: Figure):
    return round(figure.value * 100) if figure.shown and figure.value is not None else figure_text(figure)
