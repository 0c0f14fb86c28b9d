"""Spreadsheets of evaluations: the answers (one row per response) and the summary as shown.

Anonymous responses stay anonymous (no person, no role, no time); named ones carry the role
but never the name. Open answers appear only once approved, as shown (redactions applied).
Every cell that a spreadsheet would read as a formula is neutralised.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.evaluations.counting import QuestionInfo, role_label
from planner.evaluations.models import EvaluationAnswer, EvaluationResponse
from planner.evaluations.summaries import Summary
from planner.evaluations.suppression import FEW, NONE, Figure
from planner.extensions import db
from planner.spreadsheets import neutralise

def figure_text(figure: Figure, decimals: int = 0):
    if figure.shown:
        return round(figure.value, decimals) if decimals else figure.value
    return {FEW: _("fewer than 5"), NONE: ""}.get(figure.hidden) if figure.hidden in (FEW, NONE) else _("hidden")


# --- The answers.


def answer_table(sessions: list, questions: list[QuestionInfo], language: str) -> tuple[list, list[list], bool]:
    """Header, rows and whether any response was named (then the export is audited)."""
    session_ids = [s.id for s in sessions]
    responses = db.session.scalars(
        select(EvaluationResponse)
        .where(EvaluationResponse.session_id.in_(session_ids))
        .options(selectinload(EvaluationResponse.answers).selectinload(EvaluationAnswer.option),
                 selectinload(EvaluationResponse.answers).selectinload(EvaluationAnswer.question))
        .order_by(EvaluationResponse.session_id, EvaluationResponse.id)
    ).all() if session_ids else []
    when = {s.id: s.local_start.strftime("%Y-%m-%d %H:%M") for s in sessions}
    title = {s.id: s.title for s in sessions}
    header = [_("Response"), _("Session"), _("Date"), _("Anonymous"), _("Role")] + [q.text(language) for q in questions]
    rows = []
    named = False
    for number, response in enumerate(responses, start=1):
        by_key: dict[str, list] = {}
        for answer in response.answers:
            by_key.setdefault(answer.question.key, []).append(answer)
        role = ""
        if not response.anonymous:
            named = True
            role = str(role_label(response.role)) if response.role else ""
        row = [number, title[response.session_id], when[response.session_id],
               _("yes") if response.anonymous else _("no"), role]
        for q in questions:
            answers = by_key.get(q.key)
            row.append(q.spec.export_value(answers, language) if answers else "")
        rows.append([neutralise(v) for v in row])
    return header, rows, named


# --- The summary, with the same figures (and the same hiding) as on screen.


def summary_table(summary: Summary, scope: str) -> tuple[list, list[list]]:
    header = [_("Part"), _("Where"), _("Question"), _("Answer"), _("Number or figure")]
    rows = [
        [_("Response"), scope, "", _("people present"), summary.present],
        [_("Response"), scope, "", _("responses"), figure_text(summary.responses)],
        [_("Response"), scope, "", _("response rate (%)"), _percent(summary.rate)],
    ]
    if len(summary.per_session) > 1:
        for rate in summary.per_session:
            where = f"{rate.session.local_start:%Y-%m-%d} {rate.session.title}"
            rows.append([_("Response"), where, "", _("responses"), figure_text(rate.responses)])
            rows.append([_("Response"), where, "", _("response rate (%)"), _percent(rate.rate)])
    for q in summary.questions:
        for cell in q.cells:
            rows.append([_("Answers"), scope, q.text, cell.label, figure_text(cell.figure)])
        rows.append([_("Answers"), scope, q.text, _("total"), figure_text(q.total)])
        if q.spec.scale:
            rows.append([_("Answers"), scope, q.text, _("mean"), figure_text(q.mean, 2)])
            rows.append([_("Answers"), scope, q.text, _("median"), figure_text(q.median, 1)])
    for row in summary.trend:
        for rate, mean in zip(summary.per_session, row.means):
            where = f"{rate.session.local_start:%Y-%m-%d} {rate.session.title}"
            rows.append([_("Trend"), where, row.text, _("mean"), figure_text(mean, 2)])
    for role in summary.roles:
        rows.append([_("By role"), scope, "", role.label, figure_text(role.responses)])
        for q, mean in zip(summary.scale_questions, role.means):
            rows.append([_("By role"), role.label, q.text, _("mean"), figure_text(mean, 2)])
    for p in summary.profile:
        rows.append([_("Social quality (0–100)"), scope, "", p.label, figure_text(p.score, 0)])
    for info, text, n in summary.open_questions:
        rows.append([_("Open answers"), scope, text, _("answers"), figure_text(n)])
    return header, [[neutralise(v) for v in row] for row in rows]


def _percent(figure: Figure):
    return round(figure.value * 100) if figure.shown else figure_text(figure)


# --- Writing files.
