"""The participant's evaluation: the personal link from the mail, and the screen's short link.

``/e/<token>`` is the personal link (43 characters); ``/e/<code>`` the short link shown on
screen at the end of a session (8 characters). No account, no password; the personal link
speaks the person's language, the short link the browser's (with the switch in the header).
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Blueprint, current_app, g, redirect, render_template, request, session as cookie, url_for
from flask_babel import refresh
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from planner.evaluations.answering import posted_values, read_answers, save_response
from planner.evaluations.display import questions_view
from planner.evaluations.errors import EvaluationCode
from planner.evaluations.models import (
    Channel,
    EvaluationForm,
    EvaluationRequest,
    SessionEvaluation,
)
from planner.evaluations.personal_links import request_for_link, session_open
from planner.evaluations.services import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH, evaluation_of, form_with_questions
from planner.extensions import db
from planner.invitations.loaders import change_own_language
from planner.link_privacy import keep_link_private
from planner.series.models import Session
from planner.timekeeping import utcnow
from planner.web import current_language, service_call

bp = Blueprint("evaluation_participant", __name__)

SHORT_CODE_PATTERN = re.compile(f"[{SHORT_CODE_ALPHABET}]{{{SHORT_CODE_LENGTH}}}")
SECONDS_PER_QUESTION = 15
SCREEN_HOURS = 24  # the screen link closes this long after the session ends (EVALUATION_SCREEN_HOURS)
ANSWERED_ON_SCREEN = "screen_answered"  # in the signed session cookie: the screen links this browser used
REMEMBERED_SCREENS = 20


bp.after_request(keep_link_private)  # the token or code is in the URL


@bp.before_request
def _find_request():
    """A personal link (not a short screen code): find its request and speak the person's language."""
    token = (request.view_args or {}).get("token") or (request.view_args or {}).get("code") or ""
    if len(token) == SHORT_CODE_LENGTH:
        return
    g.evaluation_request = request_for_link(token)
    if g.evaluation_request is not None:
        g.locale = g.evaluation_request.person.language
        refresh()


def _request_for(token: str) -> EvaluationRequest | None:  # noqa: ARG001 - found by _find_request
    """The request of this page's personal link, found before the view (``_find_request``)."""
    return g.get("evaluation_request")


def _not_found():
    return render_template("evaluations/not_found.html"), 404


def _screen_for(code: str) -> SessionEvaluation | None:
    if not SHORT_CODE_PATTERN.fullmatch(code):
        return None
    found = db.session.scalar(
        select(SessionEvaluation)
        .where(SessionEvaluation.short_code == code)
        .options(joinedload(SessionEvaluation.session).joinedload(Session.series))
    )
    if found is None or not found.screen_open or not session_open(found.session):
        return None
    hours = current_app.config.get("EVALUATION_SCREEN_HOURS", SCREEN_HOURS)
    if utcnow() > found.session.ends_at + timedelta(hours=hours):
        return None
    return found


def answered_here(evaluation: SessionEvaluation) -> bool:
    """This browser already answered with this screen link (one response per browser)."""
    return evaluation.short_code in cookie.get(ANSWERED_ON_SCREEN, [])


def _remember(evaluation: SessionEvaluation) -> None:
    cookie[ANSWERED_ON_SCREEN] = [*cookie.get(ANSWERED_ON_SCREEN, []), evaluation.short_code][-REMEMBERED_SCREENS:]


def progress(form: EvaluationForm) -> tuple[int, int]:
    """(number of questions, minutes it takes, at least 1)."""
    count = len(form.questions)
    return count, max(1, round(count * SECONDS_PER_QUESTION / 60))


def _problems(codes: dict[int, str]) -> dict[int, str]:
    return {question_id: EvaluationCode(code).message() for question_id, code in codes.items()}


def _answer_page(*, session, form, action, values=None, problems=None, language_action=None, status=200):
    count, minutes = progress(form)
    language = current_language()
    return render_template(
        "evaluations/answer.html",
        session=session,
        series=session.series,
        form=form,
        views=questions_view(form, language),
        language=language,
        action=action,
        values=values or {},
        problems=problems or {},
        count=count,
        minutes=minutes,
        language_action=language_action,
    ), status


def _posted_answers(session, form, action, language_action=None):
    """The posted answers, or the page again (422) with each problem beside its question."""
    answers, codes = read_answers(form, request.form)
    if not codes:
        return answers, None
    page = _answer_page(
        session=session,
        form=form,
        action=action,
        values=posted_values(form, request.form),
        problems=_problems(codes),
        language_action=language_action,
        status=422,
    )
    return answers, page


@bp.route("/e/<code>", methods=["GET", "POST"])
def answer(code: str):
    if len(code) == SHORT_CODE_LENGTH:
        return _screen(code)
    return _personal(code)


def _personal(token: str):
    found = _request_for(token)
    if found is None:
        return _not_found()
    session = found.session
    language_action = url_for("evaluation_participant.language", token=token)
    if utcnow() < session.ends_at:
        return render_template(
            "evaluations/not_yet.html",
            session=session,
            series=session.series,
            opens=session.ends_at,
            language_action=language_action,
        )
    if found.answered:
        return render_template(
            "evaluations/thanks.html", series=session.series, already=True, language_action=language_action
        )
    evaluation = evaluation_of(session, create=False)
    if evaluation is None:
        return _not_found()
    form = form_with_questions(evaluation.form_id)
    if form is None:  # the evaluation's foreign key keeps its form
        return _not_found()
    action = url_for("evaluation_participant.answer", code=token)
    if request.method == "POST":
        answers, refused = _posted_answers(session, form, action, language_action)
        if refused:
            return refused
        with service_call(show=False):  # the only refusal: answered meanwhile, which the thanks page says
            save_response(session, form, answers, channel=Channel.MAIL, request=found)
            db.session.commit()
            return redirect(url_for("evaluation_participant.thanks", code=token), code=303)
        return render_template(
            "evaluations/thanks.html", series=session.series, already=True, language_action=language_action
        )
    return _answer_page(session=session, form=form, action=action, language_action=language_action)


def _screen(code: str):
    found = _screen_for(code)
    if found is None:
        return _not_found()
    session = found.session
    if utcnow() < session.starts_at:
        return render_template(
            "evaluations/not_yet.html", session=session, series=session.series, opens=session.starts_at
        )
    if answered_here(found):
        return render_template(
            "evaluations/thanks.html", series=session.series, already=True, language_action=None
        ), 200 if request.method == "GET" else 409
    form = form_with_questions(found.form_id)
    if form is None:  # the evaluation's foreign key keeps its form
        return _not_found()
    action = url_for("evaluation_participant.answer", code=code)
    if request.method == "POST":
        answers, refused = _posted_answers(session, form, action)
        if refused:
            return refused
        save_response(session, form, answers, channel=Channel.SCREEN)
        db.session.commit()
        _remember(found)
        return redirect(url_for("evaluation_participant.thanks", code=code), code=303)
    return _answer_page(session=session, form=form, action=action)


@bp.get("/e/<code>/thanks")
def thanks(code: str):
    if len(code) == SHORT_CODE_LENGTH:
        found = _screen_for(code)
        series = found.session.series if found else None
        language_action = None
    else:
        request_found = _request_for(code)
        series = request_found.session.series if request_found and request_found.answered else None
        language_action = url_for("evaluation_participant.language", token=code)
    if series is None:
        return _not_found()
    return render_template("evaluations/thanks.html", series=series, already=False, language_action=language_action)


@bp.post("/e/<token>/language")
def language(token: str):
    """The header's language switch on a personal link changes the person's own language."""
    found = _request_for(token)
    if found is None:
        return _not_found()
    return change_own_language(found.person, url_for("evaluation_participant.answer", code=token))
