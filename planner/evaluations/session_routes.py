"""Organisers: the evaluation of a series (a form per session, counts), the screen, the printed
form and typing in paper forms. The form builder of a learning studio is in routes.py."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from planner.audit.models import AuditAction
from planner.audit.web import audit
from planner.auth.access import can_organise
from planner.evaluations.answering import (
    mark_paper_request_answered,
    posted_values,
    present_people,
    read_answers,
    save_response,
)
from planner.evaluations.display import questions_view
from planner.evaluations.errors import EvaluationCode
from planner.evaluations.forms import DelayForm
from planner.evaluations.models import Channel
from planner.evaluations.sending import may_send_now, send_now as send_evaluation_now
from planner.evaluations.services import (
    choose_forms,
    evaluation_of,
    evaluations_of,
    form_with_questions,
    forms_for_programme,
    set_screen_open,
)
from planner.evaluations.session_counts import session_counts
from planner.extensions import db
from planner.forms import given
from planner.invitations.letters import qr_data_uri
from planner.links import external_url
from planner.mail.confirm import Sent, preview_or_send
from planner.series.loaders import series_or_404, session_or_404
from planner.timekeeping import utcnow
from planner.web import current_language, service_call

bp = Blueprint("evaluation_sessions", __name__)


def _series_page(series, delay_form, status=200):
    evaluations = evaluations_of([s for s in series.sessions if not s.is_cancelled])
    forms = db.session.scalars(forms_for_programme(series.programme)).all()
    return render_template(
        "evaluations/series.html",
        series=series,
        evaluations=evaluations,
        forms=forms,
        delay_form=delay_form,
        counts=session_counts(series, evaluations),
        language=current_language(),
        sendable={s.id for s in series.sessions if may_send_now(s, utcnow())},
    ), status


@bp.get("/series/<int:series_id>/evaluation")
@login_required
def series_page(series_id: int):
    series = series_or_404(series_id, can_organise)
    return _series_page(series, DelayForm(obj=series))


@bp.post("/series/<int:series_id>/evaluation")
@login_required
def choose(series_id: int):
    series = series_or_404(series_id, can_organise)
    delay_form = DelayForm()
    if not delay_form.validate_on_submit():
        return _series_page(series, delay_form, status=422)
    choices = {}
    for session in series.sessions:
        raw = request.form.get(f"form-{session.id}")
        if raw is None or session.is_cancelled:
            continue
        try:
            choices[session.id] = int(raw)
        except ValueError:
            abort(400)
    with service_call(delay_form):
        choose_forms(series, choices, given(delay_form.evaluation_delay_hours.data))
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("evaluation_sessions.series_page", series_id=series.id))
    # The rollback expired the series: load it again, as it is now.
    return _series_page(series_or_404(series_id, can_organise), delay_form, status=422)


def _organised_session(series_id: int, session_id: int):
    """The series, the session and its evaluation; 404 for a cancelled session."""
    series = series_or_404(series_id, can_organise)
    session = session_or_404(series, session_id)
    evaluation = evaluation_of(session, create=False)
    if session.is_cancelled or evaluation is None:
        abort(404)
    return series, session, evaluation


def _organised_form(series_id: int, session_id: int):
    """The series, the session and the questions of its form, for the paper pages."""
    series, session, evaluation = _organised_session(series_id, session_id)
    form = form_with_questions(evaluation.form_id)
    if form is None:  # the evaluation's foreign key keeps its form
        abort(404)
    return series, session, form


@bp.post("/series/<int:series_id>/sessions/<int:session_id>/evaluation/send")
@login_required
def send_now(series_id: int, session_id: int):
    """The evaluation of a finished session now, shown first when it reaches more than one person."""
    series = series_or_404(series_id, can_organise)
    session = session_or_404(series, session_id)
    back_url = url_for("evaluation_sessions.series_page", series_id=series.id)
    with service_call():
        done = preview_or_send(
            "evaluation",
            series.id,
            lambda: send_evaluation_now(session),
            title=_("Send the evaluation now"),
            back_url=back_url,
        )
        if not isinstance(done, Sent):
            return done
        db.session.commit()
        flash(
            ngettext("The evaluation goes to %(num)s person.", "The evaluation goes to %(num)s people.", done.result),
            "success",
        )
    return redirect(back_url)


def short_link(evaluation) -> str:
    return external_url("evaluation_participant.answer", code=evaluation.short_code)


@bp.route("/series/<int:series_id>/sessions/<int:session_id>/evaluation/screen", methods=["GET", "POST"])
@login_required
def screen(series_id: int, session_id: int):
    series, session, evaluation = _organised_session(series_id, session_id)
    if request.method == "POST":
        set_screen_open(evaluation, request.form.get("open") == "1")
        db.session.commit()
        flash(
            _("The screen link is open again.") if evaluation.screen_open else _("The screen link is closed."),
            "success",
        )
        return redirect(url_for("evaluation_sessions.screen", series_id=series.id, session_id=session.id))
    link = short_link(evaluation)
    return render_template(
        "evaluations/screen.html",
        series=series,
        session=session,
        evaluation=evaluation,
        link=link,
        qr=qr_data_uri(link),
        language=current_language(),
    )


@bp.get("/series/<int:series_id>/sessions/<int:session_id>/evaluation/print")
@login_required
def print_form(series_id: int, session_id: int):
    series, session, form = _organised_form(series_id, session_id)
    return render_template("evaluations/print.html", **_form_of_session(series, session, form))


def _form_of_session(series, session, form) -> dict:
    """What the printed form and the paper typing-in page both show: the form's questions."""
    language = current_language()
    return {
        "series": series,
        "session": session,
        "form": form,
        "views": questions_view(form, language),
        "language": language,
    }


def _paper_page(series, session, form, *, problems=None, person_id="", status=200):
    return render_template(
        "evaluations/paper.html",
        **_form_of_session(series, session, form),
        values=posted_values(form, request.form) if request.method == "POST" else {},
        problems=problems or {},
        people=[] if form.anonymous else present_people(session),
        person_id=person_id,
        # An anonymous form's count only where the organiser's evaluation page shows it too.
        entered=session_counts(series, evaluations_of([s for s in series.sessions if not s.is_cancelled]))[
            session.id
        ].responses,
    ), status


@bp.route("/series/<int:series_id>/sessions/<int:session_id>/evaluation/paper", methods=["GET", "POST"])
@login_required
def paper(series_id: int, session_id: int):
    series, session, form = _organised_form(series_id, session_id)
    if request.method == "GET":
        return _paper_page(series, session, form)
    person = None
    person_id = request.form.get("person_id", "")
    if person_id and not form.anonymous:
        person = next((p for p in present_people(session) if str(p.id) == person_id), None)
        if person is None:
            flash(EvaluationCode.NOT_PRESENT.message(), "error")
            return _paper_page(series, session, form, person_id=person_id, status=422)
    answers, codes = read_answers(form, request.form)
    if codes:
        problems = {qid: EvaluationCode(code).message() for qid, code in codes.items()}
        return _paper_page(series, session, form, problems=problems, person_id=person_id, status=422)
    with service_call():
        response = save_response(session, form, answers, channel=Channel.PAPER, person=person, entered_by=current_user)
        if person is not None:
            mark_paper_request_answered(session, person)
        if not form.anonymous:
            audit(AuditAction.CHANGE, "evaluation_response", response.id, "paper")
        db.session.commit()
        flash(_("The paper form has been saved. You can type in the next one."), "success")
        return redirect(url_for("evaluation_sessions.paper", series_id=series.id, session_id=session.id))
    return _paper_page(series, session, form, person_id=person_id, status=422)
