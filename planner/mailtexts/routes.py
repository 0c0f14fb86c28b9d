"""A learning studio's mail texts: the overview, editing one with its preview, and the reset."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from planner.auth.access import can_organise
from planner.extensions import db
from planner.mail.compose import Composed
from planner.mail.kinds import KINDS, LANGUAGES, MailKind
from planner.mail.placeholders import PLACEHOLDERS
from planner.mail.texts import TextSource, reset_text, save_text, text_in_use, texts_of
from planner.mailtexts.forms import MailTextForm, ResetForm
from planner.mailtexts.preview import PreviewData, preview, preview_data
from planner.programmes.loaders import programme_or_404
from planner.programmes.models import Programme
from planner.web import MAIL_PREVIEW_POLICY, form_status, service_call

bp = Blueprint("mailtexts", __name__, url_prefix="/programmes/<slug>/mail-texts")

LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


def _kind_or_404(kind: str, language: str) -> MailKind:
    if kind not in KINDS or language not in LANGUAGES:
        abort(404)
    return KINDS[kind]


@bp.get("/")
@login_required
def index(slug: str):
    programme = programme_or_404(slug, can_organise)
    return render_template(
        "mailtexts/index.html",
        programme=programme,
        kinds=list(KINDS.values()),
        languages=LANGUAGES,
        language_names=LANGUAGE_NAMES,
        own=texts_of(programme.id),
    )


def _page(
    programme: Programme,
    kind: MailKind,
    language: str,
    form: MailTextForm,
    composed: Composed | None,
    data: PreviewData | None,
    status: int = 200,
) -> Response:
    response = make_response(
        render_template(
            "mailtexts/edit.html",
            programme=programme,
            kind=kind,
            language=language,
            language_name=LANGUAGE_NAMES[language],
            form=form,
            reset_form=ResetForm(),
            composed=composed,
            data=data,
            placeholders=[PLACEHOLDERS[key] for key in kind.placeholders],
            custom=text_in_use(programme.id, kind, language).custom,
        ),
        status,
    )
    response.headers["Content-Security-Policy"] = MAIL_PREVIEW_POLICY
    return response


@bp.route("/<mail_kind>/<language>", methods=["GET", "POST"])
@login_required
def edit(slug: str, mail_kind: str, language: str):
    programme = programme_or_404(slug, can_organise)
    kind = _kind_or_404(mail_kind, language)
    form = MailTextForm()
    if not form.is_submitted():
        source = text_in_use(programme.id, kind, language)
        form.subject.data, form.body.data = source.subject, source.body
    elif not form.validate():
        return _page(programme, kind, language, form, None, None, 422)
    subject, body = form.subject.data or "", form.body.data or ""
    composed = None
    data = preview_data(programme, kind, language)
    with service_call(form):
        composed = preview(kind, language, TextSource(subject, body), data)
        if form.is_submitted() and request.form.get("action") == "save":
            save_text(programme.id, kind.key, language, subject, body, actor_id=current_user.id)
            db.session.commit()
            flash(_("The text of this mail is saved."), "success")
            return redirect(url_for("mailtexts.edit", slug=slug, mail_kind=kind.key, language=language))
    if form.errors or form.form_errors:
        composed = None
    return _page(programme, kind, language, form, composed, data, form_status(form))


@bp.post("/<mail_kind>/<language>/reset")
@login_required
def reset(slug: str, mail_kind: str, language: str):
    programme = programme_or_404(slug, can_organise)
    kind = _kind_or_404(mail_kind, language)
    if not ResetForm().validate_on_submit():
        abort(400)
    reset_text(programme.id, kind.key, language)
    db.session.commit()
    flash(_("The default text is back for this mail."), "success")
    return redirect(url_for("mailtexts.edit", slug=slug, mail_kind=kind.key, language=language))
