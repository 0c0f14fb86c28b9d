"""Summaries for trekkers: per session and series, series side by side, quotes, exports, report.

Organisers and trekkers of the programme (and admins) read them; others get a 404.
Organisers also moderate open answers here and may download the answers themselves.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.audit.models import AuditAction
from planner.audit.web import audit, audited
from planner.auth.access import can_organise, can_view
from planner.downloads import content_disposition
from planner.evaluations import exports
from planner.evaluations.charts import bar_chart, line_chart, side_by_side
from planner.evaluations.counting import forms_of, lined_up_questions
from planner.evaluations.figures import FEW, NONE, WITHHELD
from planner.evaluations.models import Moderation
from planner.evaluations.moderation import answer_in_series, moderate, open_answers, placed, quotes, star
from planner.evaluations.report import report_context
from planner.evaluations.research import FORMATS, research_file
from planner.evaluations.services import SERIES_TERM_LENGTH, series_to_choose
from planner.evaluations.summaries import compare, series_pages, summarise
from planner.extensions import db
from planner.programmes.loaders import programme_or_404
from planner.series.loaders import series_or_404, session_or_404
from planner.series.models import Series, Session
from planner.spreadsheets import spreadsheet_download
from planner.web import current_language, service_call

bp = Blueprint("evaluation_reports", __name__)
PROFILE = "__profile__"  # the key of the social-quality chart among the questions' charts


@bp.app_template_filter("evaluation_figure")
def evaluation_figure(figure, decimals: int = 0, percent: bool = False, signed: bool = False) -> str:
    """A figure as shown: the number in the reader's language (``signed``: a change, +0.4), or why it is hidden."""
    if not figure.shown:
        return {FEW: _("fewer than 5"), NONE: "–", WITHHELD: _("not by role")}.get(figure.hidden) or _("hidden")
    value = figure.value * 100 if percent else figure.value
    text = format_decimal(round(value, decimals), format="#,##0" + ("." + "0" * decimals if decimals else ""))
    if signed and value > 0:
        text = "+" + text
    return f"{text}%" if percent else text


def _sessions(series: Series) -> list[Session]:
    return [s for s in series.sessions if not s.is_cancelled]


def _charts(summary):
    """Chart geometry per question, and one line chart per scale question for the trend."""
    charts = {q.info.key: bar_chart([(c.label, c.figure) for c in q.cells]) for q in summary.questions}
    charts[PROFILE] = bar_chart([(p.label, p.score) for p in summary.profile if p.questions], maximum=100)
    # Under the chart only the sessions' numbers ("Sessions 3–4" → "3–4"); the table beside it says all.
    trend = {
        row.info.key: line_chart(
            [(label.split(" ", 1)[-1], f) for label, f, _code in row.points], *row.info.scale_range
        )
        for row in summary.trend
    }
    return charts, trend


def _summary_page(template: str, series: Series, session: Session | None, **context):
    summary = summarise(_sessions(series), current_language(), session=session)
    charts, trend_charts = _charts(summary)
    return render_template(
        template,
        series=series,
        session=session,
        summary=summary,
        charts=charts,
        trend_charts=trend_charts,
        may_organise=can_organise(current_user, series.programme),
        zip=zip,
        **context,
    )


@bp.route("/series/<int:series_id>/evaluation/summary")
@login_required
def series_summary(series_id: int):
    series = series_or_404(series_id, can_view)
    return _summary_page("evaluations/summary.html", series, None)


@bp.route("/series/<int:series_id>/sessions/<int:session_id>/evaluation/summary")
@login_required
def session_summary(series_id: int, session_id: int):
    series = series_or_404(series_id, can_view)
    session = session_or_404(series, session_id)
    if session.is_cancelled:
        # Its answers (if any came before) are no longer summarised: say why, not only "not found".
        message = _("%(title)s was cancelled, so it has no evaluation summary.", title=session.title)
        return render_template("error.html", code=404, message=message), 404
    return _summary_page("evaluations/summary.html", series, session)


@bp.route("/programmes/<slug>/evaluations")
@login_required
def compare_series(slug: str):
    programme = programme_or_404(slug)
    wanted = set(request.args.getlist("series", type=int))
    term = request.args.get("q", "").strip()[:SERIES_TERM_LENGTH]
    choice = series_to_choose(programme.id, term, wanted)
    chosen = list(
        db.session.scalars(
            select(Series)
            .where(Series.programme_id == programme.id, Series.id.in_(wanted))
            .order_by(Series.title, Series.id)
            .options(selectinload(Series.sessions))
        )
    )
    questions, compared = compare(chosen, current_language()) if chosen else ([], [])
    means = {
        q.key: [next((x for x in c.summary.scale_questions if x.info.key == q.key), None) for c in compared]
        for q in questions
    }
    return render_template(
        "evaluations/summary_compare.html",
        programme=programme,
        choice=choice,
        term=term,
        chosen=chosen,
        wanted=wanted,
        questions=questions,
        compared=compared,
        means=means,
        language=current_language(),
        chart=side_by_side(compared),
        zip=zip,
    )


# --- Open answers: quotes for trekkers, moderation for organisers.


@bp.route("/series/<int:series_id>/evaluation/quotes")
@login_required
def quotes_page(series_id: int):
    series = series_or_404(series_id, can_view)
    starred_only = request.args.get("starred") == "1"
    answers, places = placed(series, db.session.scalars(quotes(series, starred=starred_only)).all())
    return render_template(
        "evaluations/summary_quotes.html",
        series=series,
        answers=answers,
        starred_only=starred_only,
        places=places,
        language=current_language(),
    )


@bp.post("/series/<int:series_id>/evaluation/answers/<answer_id>/star")
@login_required
def star_quote(series_id: int, answer_id: str):
    series = series_or_404(series_id, can_view)
    answer = answer_in_series(series, answer_id)
    if answer is None or answer.moderation != Moderation.APPROVED:
        abort(404)  # pending and hidden answers do not exist for trekkers
    star(answer, request.form.get("starred") == "1", actor=current_user)
    db.session.commit()
    starred: dict[str, Any] = {"starred": "1"} if request.form.get("starred_only") == "1" else {}
    back = url_for("evaluation_reports.quotes_page", series_id=series.id, **starred)
    return redirect(f"{back}#answer-{answer.public_id}", 303)


MODERATION_FILTERS = (*Moderation, "all")


@bp.route("/series/<int:series_id>/evaluation/moderation")
@login_required
def moderation_page(series_id: int):
    series = series_or_404(series_id, can_organise)
    return _moderation(series, request.args.get("show", Moderation.PENDING))


def _moderation(series: Series, shown: str, status: int = 200):
    if shown not in MODERATION_FILTERS:
        shown = Moderation.PENDING
    answers, places = placed(
        series, db.session.scalars(open_answers(series, moderation=None if shown == "all" else shown)).all()
    )
    named = sum(1 for a in answers if not a.response.anonymous)
    page = render_template(
        "evaluations/moderation.html",
        series=series,
        answers=answers,
        shown=shown,
        filters=MODERATION_FILTERS,
        places=places,
        language=current_language(),
    )
    if named:
        # Open answers of named forms are personal data, even shown without a name.
        return audited(
            page,
            AuditAction.VIEW,
            "evaluation_open_answers",
            series.id,
            f"{named} named open answers ({shown})",
            status=status,
        )
    return page, status


@bp.post("/series/<int:series_id>/evaluation/answers/<answer_id>/moderate")
@login_required
def moderate_answer(series_id: int, answer_id: str):
    series = series_or_404(series_id, can_organise)
    answer = answer_in_series(series, answer_id)
    if answer is None:
        abort(404)
    shown = request.form.get("show", Moderation.PENDING)
    with service_call() as outcome:
        moderate(
            answer, request.form.get("action", ""), actor=current_user, redacted_text=request.form.get("redacted_text")
        )
        if not answer.response.anonymous:
            audit(AuditAction.CHANGE, "evaluation_answer", answer.id, f"moderation: {answer.moderation}")
        db.session.commit()
        flash(_("Saved."), "success")
    if outcome.refused:
        return _moderation(series, shown, status=400)
    return redirect(
        url_for(
            "evaluation_reports.moderation_page",
            series_id=series.id,
            show=shown if shown in MODERATION_FILTERS else Moderation.PENDING,
        ),
        303,
    )


# --- Downloads and the printable report.


def _answers(series: Series):
    sessions = _sessions(series)
    questions = lined_up_questions(forms_of([s.id for s in sessions]))
    table = exports.answer_table(sessions, questions, current_language())
    if table.named:
        audit(AuditAction.EXPORT, "evaluation_answers", series.id, f"{len(table.rows)} responses, roles without names")
        db.session.commit()
    return table


@bp.route("/series/<int:series_id>/evaluation/answers.<any(csv, xlsx, sav, dta):kind>")
@login_required
def answers_download(series_id: int, kind: str):
    # Only organisers: one row per response with roles can point at a person in a small group.
    series = series_or_404(series_id, can_organise)
    table = _answers(series)
    if kind in FORMATS:
        return Response(
            research_file(table, kind),
            mimetype=FORMATS[kind],
            headers={
                "Content-Disposition": content_disposition("attachment", f"evaluation-answers-{series.id}.{kind}"),
                "Cache-Control": "private, no-store",
            },
        )
    header = [v.label for v in table.variables]
    return spreadsheet_download(
        kind, header, table.text_rows, title=_("Answers"), filename=f"evaluation-answers-{series.id}"
    )


@bp.route("/series/<int:series_id>/evaluation/summary.<any(csv, xlsx):kind>")
@login_required
def summary_download(series_id: int, kind: str):
    series = series_or_404(series_id, can_view)
    summary, session_pages = series_pages(_sessions(series), current_language())
    header, rows = exports.summary_table(summary, series.title, session_pages)
    return spreadsheet_download(kind, header, rows, title=_("Summary"), filename=f"evaluation-summary-{series.id}")


@bp.route("/series/<int:series_id>/evaluation/report")
@login_required
def report(series_id: int):
    series = series_or_404(series_id, can_view)
    starred, places = placed(series, db.session.scalars(quotes(series, starred=True)).all())
    return _summary_page(
        "evaluations/report.html",
        series,
        None,
        printable=True,
        language=current_language(),
        places=places,
        appendix=request.args.get("appendix") == "1",
        **report_context(series, _sessions(series), starred),
    )
