"""Staff pages of the letters to print (per series, and of all one's series), and the public page
where a code from a letter is typed."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from planner.audit.models import AuditAction
from planner.audit.web import audit, audited, ids_detail
from planner.auth.access import can_manage_people, can_organise
from planner.auth.models import StaffUser
from planner.auth.throttling import client_key
from planner.extensions import db
from planner.invitations.codes import code_limit, follow_code
from planner.invitations.errors import InvitationError
from planner.invitations.forms import answer_field_name, participant_form
from planner.invitations.letter_forms import CodeForm, PrintedForm, UndoPrintedForm
from planner.invitations.letter_views import invitation_view, render_letter, view_of
from planner.invitations.letters import mark_printed, printed_batches, to_print, undo_printed
from planner.invitations.loaders import invitation_or_404
from planner.invitations.models import Invitation, Letter, Rsvp
from planner.invitations.slips import enter_reply_slip
from planner.link_privacy import keep_link_private
from planner.programmes.models import Programme, ProgrammeMember
from planner.series.loaders import organised_series_ids, series_or_404
from planner.series.models import Series, Session
from planner.timekeeping import utcnow
from planner.web import form_status, service_call

bp = Blueprint("letters", __name__)


def _letters(series_ids) -> list[Letter]:
    return list(
        db.session.scalars(
            to_print(series_ids).options(
                joinedload(Letter.person),
                joinedload(Letter.series).options(  # organiser_contact(series) reads these
                    selectinload(Series.programme).selectinload(Programme.members).selectinload(ProgrammeMember.user),
                    selectinload(Series.created_by),
                ),
                selectinload(Letter.session).selectinload(Session.venue),
                selectinload(Letter.invitation)
                .selectinload(Invitation.rsvps)
                .selectinload(Rsvp.session)
                .selectinload(Session.venue),
            )
        ).unique()
    )


def _page(series_ids, *, series=None, status=200):
    letters = _letters(series_ids)
    contacts: dict = {}
    now = utcnow()
    batches = printed_batches(series_ids)
    names = {
        user.id: user.name
        for user in db.session.scalars(select(StaffUser).where(StaffUser.id.in_({b for _a, b, _n in batches if b})))
    }
    html = render_template(
        "invitations/letters.html",
        series=series,
        letters=letters,
        printed=[render_letter(view_of(letter, contacts, now)) for letter in letters],
        printed_form=PrintedForm(ids=",".join(str(letter.id) for letter in letters)),
        batches=[
            (at, names.get(by or 0, ""), count, UndoPrintedForm(printed_at=at.isoformat())) for at, by, count in batches
        ],
    )
    return audited(
        html,
        AuditAction.EXPORT,
        "letter",
        series.id if series is not None else "",
        ids_detail("persons", sorted({letter.person_id for letter in letters})),
        status=status,
    )


def _all_ids():
    """The series of everyone who organises somewhere (every series for an admin)."""
    if not can_manage_people(current_user):
        abort(404)
    return organised_series_ids(current_user)


def _mark(ids, series, back: str):
    form = PrintedForm()
    if not form.validate_on_submit():
        flash(_("These letters are not known. Load the page again."), "error")
        return _page(ids, series=series, status=422)
    count = mark_printed(ids, form.letter_ids, actor=current_user)
    db.session.commit()
    flash(ngettext("%(num)s letter marked as printed.", "%(num)s letters marked as printed.", count), "success")
    return redirect(back)


def _undo(ids, series, back: str):
    form = UndoPrintedForm()
    if not form.validate_on_submit():
        flash(_("These letters are not known. Load the page again."), "error")
        return _page(ids, series=series, status=422)
    count = undo_printed(ids, form.when)
    db.session.commit()
    flash(
        ngettext("%(num)s letter is to be printed again.", "%(num)s letters are to be printed again.", count),
        "success",
    )
    return redirect(back)


@bp.get("/letters")
@login_required
def all_letters():
    return _page(_all_ids())


@bp.post("/letters/printed")
@login_required
def all_printed():
    return _mark(_all_ids(), None, url_for("letters.all_letters"))


@bp.post("/letters/undo")
@login_required
def all_undo():
    return _undo(_all_ids(), None, url_for("letters.all_letters"))


@bp.get("/series/<int:series_id>/letters")
@login_required
def series_letters(series_id: int):
    series = series_or_404(series_id, can_organise)
    return _page([series.id], series=series)


@bp.post("/series/<int:series_id>/letters/printed")
@login_required
def printed(series_id: int):
    series = series_or_404(series_id, can_organise)
    return _mark([series.id], series, url_for("letters.series_letters", series_id=series.id))


@bp.post("/series/<int:series_id>/letters/undo")
@login_required
def undo(series_id: int):
    series = series_or_404(series_id, can_organise)
    return _undo([series.id], series, url_for("letters.series_letters", series_id=series.id))


@bp.get("/series/<int:series_id>/invitations/<int:invitation_id>/letter")
@login_required
def invitation_letter(series_id: int, invitation_id: int):
    """An invitation's letter printed again (a lost one, say): not recorded, nothing marked."""
    series = series_or_404(series_id, can_organise)
    invitation = invitation_or_404(series, invitation_id)
    if invitation.is_revoked:
        abort(404)
    html = render_template(
        "invitations/letters.html",
        series=series,
        letters=[],
        printed=[render_letter(invitation_view(invitation))],
        single=True,
    )
    return audited(html, AuditAction.EXPORT, "letter", series.id, f"person {invitation.person_id}")


@bp.route("/series/<int:series_id>/invitations/<int:invitation_id>/reply-slip", methods=["GET", "POST"])
@login_required
def reply_slip(series_id: int, invitation_id: int):
    """Type in the answers of a reply slip someone handed in."""
    series = series_or_404(series_id, can_organise)
    invitation = invitation_or_404(series, invitation_id)
    if invitation.is_revoked:
        abort(404)
    rsvps = sorted(invitation.rsvps, key=lambda r: (r.session.starts_at, r.session.id))
    form = participant_form(rsvps, ask_learning_question=False)
    if form.validate_on_submit():
        with service_call(form):
            answers = {
                r.session_id: form[answer_field_name(r.session)].data for r in rsvps if not r.session.is_cancelled
            }
            count = enter_reply_slip(invitation, answers)
            audit(AuditAction.CHANGE, "invitation_list", series.id, f"reply slip: person {invitation.person_id}")
            db.session.commit()
            flash(
                ngettext("%(num)s answer saved.", "%(num)s answers saved.", count)
                + " "
                + _("From the reply slip of %(name)s.", name=invitation.person.name),
                "success",
            )
            return redirect(url_for("invitations.index", series_id=series.id))
    fields = [form[answer_field_name(r.session)] for r in rsvps if not r.session.is_cancelled]
    html = render_template(
        "invitations/reply_slip.html", series=series, invitation=invitation, form=form, fields=fields
    )
    return audited(
        html, AuditAction.VIEW, "invitation_list", series.id, f"person {invitation.person_id}", status=form_status(form)
    )


@bp.route("/code", methods=["GET", "POST"])
def code():
    """Where the code from a letter is typed: the same answer for every wrong code."""
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            target = follow_code(
                form.code.data or "",
                client=client_key(request.remote_addr),
                limit=code_limit(current_app.config),
                grace=timedelta(days=current_app.config["INVITATION_LINK_DAYS_AFTER_SERIES"]),
                now=utcnow(),
            )
        except InvitationError as error:
            db.session.rollback()
            form.code.errors = [*form.code.errors, error.message]
            minutes = int(error.params.get("minutes", 1))
            return render_template("invitations/code.html", form=form), 429, {"Retry-After": str(minutes * 60)}
        db.session.commit()
        if target is not None and target.token:
            return redirect(url_for("participant.personal_page", token=target.token), code=303)
        if target is not None:
            return redirect(target.link, code=303)
        form.code.errors = [*form.code.errors, _("We do not know this code. Check it and try again.")]
        status = 422
    elif form.is_submitted():
        status = 422
    return render_template("invitations/code.html", form=form), status


bp.after_request(keep_link_private)
