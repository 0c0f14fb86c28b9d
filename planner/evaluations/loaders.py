"""A form and a question of a URL, or 404."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from planner.auth.access import can_organise
from planner.evaluations.models import EvaluationForm, EvaluationQuestion
from planner.evaluations.services import form_with_questions
from planner.web import found_or_404


def form_or_404(programme, form_id: int, *, edit: bool = False) -> EvaluationForm:
    """A form of ``programme`` or a built-in one; with ``edit``, only the programme's own, for its organisers."""
    form = form_with_questions(form_id)
    if form is None or form.programme_id not in (None, programme.id):
        abort(404)
    if edit and (form.programme_id is None or not can_organise(current_user, programme)):
        abort(404)
    return form


def question_or_404(form: EvaluationForm, key: str) -> EvaluationQuestion:
    return found_or_404(next((q for q in form.questions if q.key == key), None))
