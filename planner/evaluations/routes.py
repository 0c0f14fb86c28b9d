"""Organisers: the form builder per learning studio, the form of each session, the QR screen, paper."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.attendance.models import Attendance, Presence
from planner.audit.models import AuditAction
from planner.audit.web import audit
from planner.auth.access import can_organise, can_view
from planner.errors import DomainError
from planner.evaluations.answering import mark_paper_request_answered, posted_values, read_answers, save_response
from planner.evaluations.catalogue import ensure_builtin_forms
from planner.evaluations.display import questions_view
from planner.evaluations.forms import DelayForm, FormDetailsForm, QuestionForm
from planner.evaluations.models import Channel, EvaluationForm
from planner.evaluations.questions import (
    QuestionSpec,
    add_question,
    delete_question,
    move_question,
    update_question,
)
from planner.evaluations.services import (
    FormDetails,
    choose_forms,
    copy_form,
    create_form,
    evaluation_of,
    evaluations_of,
    form_with_questions,
    forms_for_programme,
    is_frozen,
    newest_version,
    response_count,
    session_response_counts,
    set_screen_open,
    update_form_details,
)
from planner.evaluations.summaries import session_counts
from planner.extensions import db
from planner.forms import given
from planner.invitations.letters import qr_data_uri
from planner.links import external_url
from planner.messages import MESSAGES, describe
from planner.people.models import Person
from planner.programmes.routes import programme_or_404
from planner.series.routes import series_or_404, session_or_404

bp = Blueprint("evaluations", __name__)


def _language() -> str:
    return str(get_locale())


# --- The forms of a learning studio.


def _form_or_404(programme, form_id: int, *, edit: bool = False) -> EvaluationForm:
    form = form_with_questions(form_id)
    if form is None or form.programme_id not in (None, programme.id):
        abort(404)
    if edit and (form.programme_id is None or not can_organise(current_user, programme)):
        abort(404)
    return form


def _forms_page(programme, details_form, status=200):
    ensure_builtin_forms()
    db.session.commit()
    forms = db.session.scalars(
        forms_for_programme(programme).options(selectinload(EvaluationForm.questions))
    ).all()
    return render_template(
        "evaluations/forms.html", programme=programme, forms=forms, details_form=details_form,
        may_organise=can_organise(current_user, programme),
    ), status


@bp.get("/programmes/<slug>/evaluation-forms")
@login_required
def forms(slug: str):
    programme = programme_or_404(slug, can_view)
    return _forms_page(programme, FormDetailsForm())


@bp.post("/programmes/<slug>/evaluation-forms")
@login_required
def new_form(slug: str):
    programme = programme_or_404(slug, can_organise)
    details_form = FormDetailsForm()
    if not details_form.validate_on_submit():
        return _forms_page(programme, details_form, status=422)
    try:
        form = create_form(programme, _details(details_form), actor=current_user)
    except DomainError as error:
        db.session.rollback()
        details_form.form_errors.append(describe(error))
        return _forms_page(programme, details_form, status=422)
    db.session.commit()
    flash(_("The form has been made. Now add questions."), "success")
    return redirect(url_for("evaluations.form", slug=slug, form_id=form.id))


@bp.post("/programmes/<slug>/evaluation-forms/<int:form_id>/copy")
@login_required
def copy(slug: str, form_id: int):
    programme = programme_or_404(slug, can_organise)
    source = _form_or_404(programme, form_id)
    form = copy_form(source, programme, actor=current_user)
    db.session.commit()
    flash(_("The form has been copied. You can change the copy."), "success")
    return redirect(url_for("evaluations.form", slug=slug, form_id=form.id))


def _details(details_form: FormDetailsForm) -> FormDetails:
    return FormDetails(
        title_nl=details_form.title_nl.data or "", title_en=details_form.title_en.data or "",
        intro_nl=details_form.intro_nl.data or "", intro_en=details_form.intro_en.data or "",
        anonymous=details_form.anonymous.data, purpose=details_form.purpose.data,
    )


def _form_page(programme, form, details_form, status=200):
    editable = form.programme_id is not None and can_organise(current_user, programme) and not form.superseded
    return render_template(
        "evaluations/form.html", programme=programme, form=form, details_form=details_form,
        editable=editable, frozen=is_frozen(form), responses=response_count(form),
        views=questions_view(form, _language()),
    ), status


@bp.route("/programmes/<slug>/evaluation-forms/<int:form_id>", methods=["GET", "POST"])
@login_required
def form(slug: str, form_id: int):
    programme = programme_or_404(slug, can_view)
    form = _form_or_404(programme, form_id, edit=request.method == "POST")
    if form.superseded and request.method == "GET":
        return redirect(url_for("evaluations.form", slug=slug, form_id=newest_version(form).id))
    details_form = FormDetailsForm(obj=form)
    if request.method == "POST":
        if not details_form.validate_on_submit():
            return _form_page(programme, form, details_form, status=422)
        return _changed(programme, form, lambda: update_form_details(form, _details(details_form), actor=current_user),
                        on_error=lambda message: _form_page(programme, form, _with_error(details_form, message), 422))
    return _form_page(programme, form, details_form)


def _with_error(wtform, message):
    wtform.form_errors.append(message)
    return wtform


def _changed(programme, form, change, *, on_error):
    """Run an edit; when it made a new version, say so."""
    try:
        target = change()
        if isinstance(target, tuple):
            target = target[0]
    except DomainError as error:
        db.session.rollback()
        return on_error(describe(error))
    db.session.commit()
    if target.id != form.id:
        flash(_("This form already has answers, so your change was saved as version %(version)s. Sessions "
                "without answers now use the new version; answers already given stay with the old one.",
                version=target.version), "success")
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("evaluations.form", slug=programme.slug, form_id=target.id))


def _spec(question_form: QuestionForm) -> QuestionSpec:
    return QuestionSpec(
        kind=question_form.kind.data, text_nl=question_form.text_nl.data or "",
        text_en=question_form.text_en.data or "", hint_nl=question_form.hint_nl.data or "",
        hint_en=question_form.hint_en.data or "", condition=question_form.condition.data or None,
        required=question_form.required.data,
        options_nl=(question_form.options_nl.data or "").splitlines(),
        options_en=(question_form.options_en.data or "").splitlines(),
        pair_key=question_form.pair_key.data or None, moment=question_form.moment.data or None,
    )


def _question_page(programme, form, question_form, question=None, status=200):
    return render_template(
        "evaluations/question.html", programme=programme, form=form, question_form=question_form,
        question=question, frozen=is_frozen(form),
    ), status


@bp.route("/programmes/<slug>/evaluation-forms/<int:form_id>/questions/new", methods=["GET", "POST"])
@login_required
def new_question(slug: str, form_id: int):
    programme = programme_or_404(slug, can_organise)
    form = _form_or_404(programme, form_id, edit=True)
    question_form = QuestionForm()
    if request.method == "POST":
        if not question_form.validate_on_submit():
            return _question_page(programme, form, question_form, status=422)
        return _changed(programme, form, lambda: add_question(form, _spec(question_form), actor=current_user),
                        on_error=lambda m: _question_page(programme, form, _with_error(question_form, m), status=422))
    return _question_page(programme, form, question_form)


def _question_or_404(form, key: str):
    question = next((q for q in form.questions if q.key == key), None)
    if question is None:
        abort(404)
    return question


@bp.route("/programmes/<slug>/evaluation-forms/<int:form_id>/questions/<key>", methods=["GET", "POST"])
@login_required
def edit_question(slug: str, form_id: int, key: str):
    programme = programme_or_404(slug, can_organise)
    form = _form_or_404(programme, form_id, edit=True)
    question = _question_or_404(form, key)
    question_form = QuestionForm(obj=question)
    if request.method == "GET":
        question_form.options_nl.data = "\n".join(o.label_nl for o in question.options)
        question_form.options_en.data = "\n".join(o.label_en for o in question.options if o.label_en)
        question_form.condition.data = question.condition or ""
        question_form.moment.data = question.moment or ""
        return _question_page(programme, form, question_form, question)
    if not question_form.validate_on_submit():
        return _question_page(programme, form, question_form, question, status=422)
    return _changed(programme, form, lambda: update_question(form, key, _spec(question_form), actor=current_user),
                    on_error=lambda m: _question_page(programme, form, _with_error(question_form, m), question, 422))


def _flash_back(programme, form):
    def on_error(message):
        flash(message, "error")
        return redirect(url_for("evaluations.form", slug=programme.slug, form_id=form.id))
    return on_error


@bp.post("/programmes/<slug>/evaluation-forms/<int:form_id>/questions/<key>/move")
@login_required
def move(slug: str, form_id: int, key: str):
    programme = programme_or_404(slug, can_organise)
    form = _form_or_404(programme, form_id, edit=True)
    _question_or_404(form, key)
    direction = request.form.get("direction", "")
    if direction not in ("up", "down"):
        abort(400)
    return _changed(programme, form, lambda: move_question(form, key, direction, actor=current_user),
                    on_error=_flash_back(programme, form))


@bp.post("/programmes/<slug>/evaluation-forms/<int:form_id>/questions/<key>/delete")
@login_required
def delete(slug: str, form_id: int, key: str):
    programme = programme_or_404(slug, can_organise)
    form = _form_or_404(programme, form_id, edit=True)
    _question_or_404(form, key)
    return _changed(programme, form, lambda: delete_question(form, key, actor=current_user),
                    on_error=_flash_back(programme, form))


# --- The evaluation of a series: a form per session, counts, the screen, paper.


def _series_page(series, delay_form, status=200, errors=()):
    evaluations, made = evaluations_of([s for s in series.sessions if not s.is_cancelled])
    if made:  # committing only then keeps the loaded series from being read again
        db.session.commit()
    forms = db.session.scalars(forms_for_programme(series.programme)).all()
    return render_template(
        "evaluations/series.html", series=series, evaluations=evaluations, forms=forms, delay_form=delay_form,
        counts=session_counts(series, evaluations), errors=errors,
        language=_language(),
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
    try:
        choose_forms(series, choices, given(delay_form.evaluation_delay_hours.data))
    except DomainError as error:
        db.session.rollback()
        series = series_or_404(series_id, can_organise)
        return _series_page(series, delay_form, status=422, errors=[describe(error)])
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("evaluations.series_page", series_id=series.id))


def _organised_session(series_id: int, session_id: int):
    series = series_or_404(series_id, can_organise)
    session = session_or_404(series, session_id)
    if session.is_cancelled:
        abort(404)
    return series, session


def short_link(evaluation) -> str:
    return external_url("evaluation_participant.answer", code=evaluation.short_code)


@bp.route("/series/<int:series_id>/sessions/<int:session_id>/evaluation/screen", methods=["GET", "POST"])
@login_required
def screen(series_id: int, session_id: int):
    series, session = _organised_session(series_id, session_id)
    evaluation = evaluation_of(session)
    if request.method == "POST":
        set_screen_open(evaluation, request.form.get("open") == "1")
        db.session.commit()
        flash(_("The screen link is open again.") if evaluation.screen_open else _("The screen link is closed."),
              "success")
        return redirect(url_for("evaluations.screen", series_id=series.id, session_id=session.id))
    db.session.commit()
    link = short_link(evaluation)
    return render_template(
        "evaluations/screen.html", series=series, session=session, evaluation=evaluation, link=link,
        qr=qr_data_uri(link), language=_language(),
    )


@bp.get("/series/<int:series_id>/sessions/<int:session_id>/evaluation/print")
@login_required
def print_form(series_id: int, session_id: int):
    series, session = _organised_session(series_id, session_id)
    evaluation = evaluation_of(session)
    db.session.commit()
    form = form_with_questions(evaluation.form_id)
    if form is None:  # the evaluation's foreign key keeps its form
        abort(404)
    return render_template(
        "evaluations/print.html", series=series, session=session, form=form,
        views=questions_view(form, _language()), language=_language(),
    )


def _present_people(session) -> Sequence[Person]:
    return db.session.scalars(
        select(Person).join(Attendance, Attendance.person_id == Person.id)
        .where(Attendance.session_id == session.id, Attendance.status == Presence.PRESENT,
               Person.anonymised_at.is_(None))
        .order_by(Person.name, Person.id)
    ).all()


def _paper_page(series, session, form, *, values=None, problems=None, person_id="", status=200):
    return render_template(
        "evaluations/paper.html", series=series, session=session, form=form,
        views=questions_view(form, _language()), values=values or {}, problems=problems or {},
        people=[] if form.anonymous else _present_people(session), person_id=person_id,
        entered=session_response_counts([session.id]).get(session.id, 0), language=_language(),
    ), status


@bp.route("/series/<int:series_id>/sessions/<int:session_id>/evaluation/paper", methods=["GET", "POST"])
@login_required
def paper(series_id: int, session_id: int):
    series, session = _organised_session(series_id, session_id)
    evaluation = evaluation_of(session)
    db.session.commit()
    form = form_with_questions(evaluation.form_id)
    if form is None:  # the evaluation's foreign key keeps its form
        abort(404)
    if request.method == "GET":
        return _paper_page(series, session, form)
    person = None
    person_id = request.form.get("person_id", "")
    if person_id and not form.anonymous:
        person = next((p for p in _present_people(session) if str(p.id) == person_id), None)
        if person is None:
            return _paper_error(series, session, form, MESSAGES["not_present"]({}), person_id)
    answers, codes = read_answers(form, request.form)
    if codes:
        problems = {qid: MESSAGES[code]({}) for qid, code in codes.items()}
        return _paper_page(series, session, form, values=posted_values(form, request.form), problems=problems,
                           person_id=person_id, status=422)
    try:
        response = save_response(session, form, answers, channel=Channel.PAPER, person=person, entered_by=current_user)
        if person is not None:
            mark_paper_request_answered(session, person)
    except DomainError as error:
        db.session.rollback()
        return _paper_error(series, session, form, describe(error), person_id)
    if not form.anonymous:
        audit(AuditAction.CHANGE, "evaluation_response", response.id, "paper")
    db.session.commit()
    flash(_("The paper form has been saved. You can type in the next one."), "success")
    return redirect(url_for("evaluations.paper", series_id=series.id, session_id=session.id))


def _paper_error(series, session, form, message, person_id):
    flash(message, "error")
    return _paper_page(series, session, form, values=posted_values(form, request.form), person_id=person_id,
                       status=422)

