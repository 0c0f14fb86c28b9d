"""Organisers: the form builder of a learning studio (its forms, their questions, versions).

The evaluation of a series (a form per session, the screen, paper) is in session_routes.py."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from planner.auth.access import can_organise, can_view
from planner.evaluations.display import questions_view
from planner.evaluations.forms import FormDetailsForm, QuestionForm
from planner.evaluations.loaders import form_or_404, question_or_404
from planner.evaluations.models import EvaluationForm
from planner.evaluations.questions import (
    QuestionSpec,
    add_question,
    delete_question,
    move_question,
    update_question,
)
from planner.evaluations.services import (
    FormDetails,
    copy_form,
    create_form,
    forms_for_programme,
    is_frozen,
    newest_version,
    response_count,
    update_form_details,
)
from planner.extensions import db
from planner.programmes.loaders import programme_or_404
from planner.web import current_language, form_status, service_call

bp = Blueprint("evaluations", __name__)


# --- The forms of a learning studio.


def _forms_page(programme, details_form):
    forms = db.session.scalars(forms_for_programme(programme).options(selectinload(EvaluationForm.questions))).all()
    return render_template(
        "evaluations/forms.html",
        programme=programme,
        forms=forms,
        details_form=details_form,
        may_organise=can_organise(current_user, programme),
    ), form_status(details_form)


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
    if details_form.validate_on_submit():
        with service_call(details_form):
            form = create_form(programme, _details(details_form), actor=current_user)
            db.session.commit()
            flash(_("The form has been made. Now add questions."), "success")
            return redirect(url_for("evaluations.form", slug=slug, form_id=form.id))
    return _forms_page(programme, details_form)


@bp.post("/programmes/<slug>/evaluation-forms/<int:form_id>/copy")
@login_required
def copy(slug: str, form_id: int):
    programme = programme_or_404(slug, can_organise)
    source = form_or_404(programme, form_id)
    form = copy_form(source, programme, actor=current_user)
    db.session.commit()
    flash(_("The form has been copied. You can change the copy."), "success")
    return redirect(url_for("evaluations.form", slug=slug, form_id=form.id))


def _details(details_form: FormDetailsForm) -> FormDetails:
    return FormDetails(
        title_nl=details_form.title_nl.data or "",
        title_en=details_form.title_en.data or "",
        intro_nl=details_form.intro_nl.data or "",
        intro_en=details_form.intro_en.data or "",
        anonymous=details_form.anonymous.data,
        purpose=details_form.purpose.data,
    )


def _form_page(programme, form, details_form):
    editable = form.programme_id is not None and can_organise(current_user, programme) and not form.superseded
    return render_template(
        "evaluations/form.html",
        programme=programme,
        form=form,
        details_form=details_form,
        editable=editable,
        frozen=is_frozen(form),
        responses=response_count(form),
        views=questions_view(form, current_language()),
    ), form_status(details_form)


@bp.route("/programmes/<slug>/evaluation-forms/<int:form_id>", methods=["GET", "POST"])
@login_required
def form(slug: str, form_id: int):
    programme = programme_or_404(slug, can_view)
    form = form_or_404(programme, form_id, edit=request.method == "POST")
    if form.superseded and request.method == "GET":
        return redirect(url_for("evaluations.form", slug=slug, form_id=newest_version(form).id))
    details_form = FormDetailsForm(obj=form)
    if request.method == "POST" and details_form.validate_on_submit():
        with service_call(details_form):
            return _changed(programme, form, update_form_details(form, _details(details_form), actor=current_user))
    return _form_page(programme, form, details_form)


def _changed(programme, form, target):
    """Commit an edit (``target``: the form it changed); when it made a new version, say so."""
    if isinstance(target, tuple):
        target = target[0]
    db.session.commit()
    if target.id != form.id:
        flash(
            _(
                "This form already has answers, so your change was saved as version %(version)s. Sessions "
                "without answers now use the new version; answers already given stay with the old one.",
                version=target.version,
            ),
            "success",
        )
    else:
        flash(_("Saved."), "success")
    return redirect(url_for("evaluations.form", slug=programme.slug, form_id=target.id))


def _spec(question_form: QuestionForm) -> QuestionSpec:
    return QuestionSpec(
        kind=question_form.kind.data,
        text_nl=question_form.text_nl.data or "",
        text_en=question_form.text_en.data or "",
        hint_nl=question_form.hint_nl.data or "",
        hint_en=question_form.hint_en.data or "",
        condition=question_form.condition.data or None,
        required=question_form.required.data,
        options_nl=(question_form.options_nl.data or "").splitlines(),
        options_en=(question_form.options_en.data or "").splitlines(),
        pair_key=question_form.pair_key.data or None,
        moment=question_form.moment.data or None,
    )


def _question_page(programme, form, question_form, question=None):
    return render_template(
        "evaluations/question.html",
        programme=programme,
        form=form,
        question_form=question_form,
        question=question,
        frozen=is_frozen(form),
    ), form_status(question_form)


@bp.route("/programmes/<slug>/evaluation-forms/<int:form_id>/questions/new", methods=["GET", "POST"])
@login_required
def new_question(slug: str, form_id: int):
    programme = programme_or_404(slug, can_organise)
    form = form_or_404(programme, form_id, edit=True)
    question_form = QuestionForm()
    if question_form.validate_on_submit():
        with service_call(question_form):
            return _changed(programme, form, add_question(form, _spec(question_form), actor=current_user))
    return _question_page(programme, form, question_form)


@bp.route("/programmes/<slug>/evaluation-forms/<int:form_id>/questions/<key>", methods=["GET", "POST"])
@login_required
def edit_question(slug: str, form_id: int, key: str):
    programme = programme_or_404(slug, can_organise)
    form = form_or_404(programme, form_id, edit=True)
    question = question_or_404(form, key)
    question_form = QuestionForm(obj=question)
    if request.method == "GET":
        question_form.options_nl.data = "\n".join(o.label_nl for o in question.options)
        question_form.options_en.data = "\n".join(o.label_en for o in question.options if o.label_en)
        question_form.condition.data = question.condition or ""
        question_form.moment.data = question.moment or ""
        return _question_page(programme, form, question_form, question)
    if question_form.validate_on_submit():
        with service_call(question_form):
            return _changed(programme, form, update_question(form, key, _spec(question_form), actor=current_user))
    return _question_page(programme, form, question_form, question)


def _back_to_form(programme, form):
    return redirect(url_for("evaluations.form", slug=programme.slug, form_id=form.id))


@bp.post("/programmes/<slug>/evaluation-forms/<int:form_id>/questions/<key>/move")
@login_required
def move(slug: str, form_id: int, key: str):
    programme = programme_or_404(slug, can_organise)
    form = form_or_404(programme, form_id, edit=True)
    question_or_404(form, key)
    direction = request.form.get("direction", "")
    if direction not in ("up", "down"):
        abort(400)
    with service_call():
        return _changed(programme, form, move_question(form, key, direction, actor=current_user))
    return _back_to_form(programme, form)


@bp.post("/programmes/<slug>/evaluation-forms/<int:form_id>/questions/<key>/delete")
@login_required
def delete(slug: str, form_id: int, key: str):
    programme = programme_or_404(slug, can_organise)
    form = form_or_404(programme, form_id, edit=True)
    question_or_404(form, key)
    with service_call():
        return _changed(programme, form, delete_question(form, key, actor=current_user))
    return _back_to_form(programme, form)
