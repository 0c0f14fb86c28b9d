"""Organiser pages of the invite step: who is invited, their answers, and the actions on them."""

from __future__ import annotations

from contextlib import contextmanager

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from planner.audit.models import AuditAction
from planner.audit.web import audit
from planner.auth.access import can_organise
from planner.extensions import db
from planner.forms import add_error
from planner.invitations.forms import InviteForm
from planner.invitations.grid_page import INVITE_SEARCH, invite_form, picker_search, render_grid_page
from planner.invitations.loaders import invitation_or_404
from planner.invitations.services import (
    InvitationError,
    fill_free_seats,
    invite_people,
    newcomers_in,
    people_from_addresses,
    people_of_organisation,
    people_with_role,
    remind_unanswered,
    resend_invitation,
    revoke_invitation,
)
from planner.mail.confirm import Sent, preview_or_send
from planner.people.models import Organisation, Person
from planner.series.loaders import series_or_404, session_or_404
from planner.web import service_call

bp = Blueprint("invitations", __name__)


@bp.get("/series/<int:series_id>/invitations")
@login_required
def index(series_id: int):
    return render_grid_page(series_or_404(series_id, can_organise))


def _chosen_people(form: InviteForm) -> list[Person]:
    people: list[Person] = []
    if form.people.data:
        ids = set(form.people.data)
        people += db.session.scalars(select(Person).where(Person.id.in_(ids))).all()
        if len(people) != len(ids):
            raise InvitationError("unknown_person")
    if form.organisation.data:
        organisation = db.session.get(Organisation, form.organisation.data)
        if organisation is None:
            raise InvitationError("unknown_organisation")
        people += people_of_organisation(organisation)
    if form.role.data:
        people += people_with_role(form.role.data)
    if (form.emails.data or "").strip():
        people += people_from_addresses(form.emails.data or "", form.newcomer_names())
    return people


def _names_to_review(series, form: InviteForm):
    """The review step, while a pasted address that is new has no name: nothing is stored until
    each has one. None when there is nothing to ask."""
    text = form.emails.data or ""
    if not text.strip():
        return None
    newcomers = newcomers_in(text)
    given = form.newcomer_names()
    if all(given.get(n.address) or n.name for n in newcomers):
        return None
    reviewed = bool(form.newcomers.entries)
    form.newcomers.entries = []
    for newcomer in newcomers:
        entry = form.newcomers.append_entry(
            {"address": newcomer.address, "name": given.get(newcomer.address) or newcomer.name}
        )
        if reviewed and not entry.form.name.data:
            add_error(entry.form.name, _("Enter a name; a first name is enough."))
    return _review_page(series, form, 422 if reviewed else 200)


def _review_page(series, form: InviteForm, status: int):
    for entry in form.newcomers:
        entry.form.name.label.text = _("Name of %(address)s", address=entry.form.address.data or "")
    return render_template("invitations/name_review.html", series=series, form=form, search=picker_search()), status


@bp.post("/series/<int:series_id>/invitations")
@login_required
def invite(series_id: int):
    series = series_or_404(series_id, can_organise)
    form = invite_form(series)
    if form.validate_on_submit():
        with service_call(form), _invited_meanwhile(form):
            sessions = [session_or_404(series, session_id) for session_id in form.sessions.data or []]
            if not sessions:
                raise InvitationError("no_sessions_chosen")
            review = _names_to_review(series, form)
            if review is not None:
                return review
            done = preview_or_send(
                "invitation",
                series.id,
                lambda: invite_people(series, _chosen_people(form), sessions, actor=current_user),
                title=_("Invite"),
                back_url=url_for("invitations.index", series_id=series.id),
            )
            if not isinstance(done, Sent):
                return done
            result = done.result
            counts = {
                "new": len(result.invited),
                "extended": len(result.extended),
                "unchanged": len(result.unchanged),
                "letters": len(result.letters),
            }
            audit(
                AuditAction.CHANGE,
                "invitation_list",
                series.id,
                "invited: {new} new, {extended} extended".format(**counts),
            )
            db.session.commit()
            flash(
                _(
                    "%(new)s invited, %(extended)s invited to more sessions, %(unchanged)s already invited. "
                    "%(letters)s need a printed letter.",
                    **counts,
                ),
                "success",
            )
            return redirect(url_for("invitations.index", series_id=series.id))
    if form.newcomers.entries:  # refused on the review step: stay there, with the names typed
        return _review_page(series, form, 422)
    return render_grid_page(series, form=form, status=422)


@contextmanager
def _invited_meanwhile(form):
    try:
        yield
    except IntegrityError:  # someone invited the same people at the same moment
        db.session.rollback()
        form.form_errors.append(_("Someone else changed these invitations at the same time. Please try again."))


def _act(series, action, done, *, mailing: tuple[str, str] | None = None):
    """Run ``action``; say ``done`` (a text, or a function of what the action returned) or why not.

    ``mailing`` (the kind of mail and the preview's title) shows what it would mail first."""
    back_url = url_for("invitations.index", series_id=series.id, **_grid_args())
    with service_call():
        if mailing is not None:
            kind, title = mailing
            again = kind == "reminder"  # a second reminder this soon is worth a warning; places are not
            sent = preview_or_send(kind, series.id, action, title=title, back_url=back_url, warn_recent=again)
            if not isinstance(sent, Sent):
                return sent
            result = sent.result
        else:
            result = action()
        db.session.commit()
        flash(done(result) if callable(done) else done, "success")
    return redirect(back_url)


def _grid_args() -> dict:
    """The grid's filters and page as they came (a form on the grid posts to a URL carrying them)."""
    return {k: v for k, v in request.args.items() if k != INVITE_SEARCH}


@bp.post("/series/<int:series_id>/invitations/<int:invitation_id>/resend")
@login_required
def resend(series_id: int, invitation_id: int):
    series = series_or_404(series_id, can_organise)
    invitation = invitation_or_404(series, invitation_id)
    return _act(
        series,
        lambda: resend_invitation(invitation),
        _("The invitation to %(name)s will be sent again.", name=invitation.person.name),
    )


@bp.post("/series/<int:series_id>/invitations/<int:invitation_id>/revoke")
@login_required
def revoke(series_id: int, invitation_id: int):
    series = series_or_404(series_id, can_organise)
    invitation = invitation_or_404(series, invitation_id)
    return _act(
        series,
        lambda: revoke_invitation(invitation),
        _("The invitation to %(name)s has been withdrawn; the link no longer works.", name=invitation.person.name),
    )


@bp.post("/series/<int:series_id>/invitations/remind")
@login_required
def remind(series_id: int):
    series = series_or_404(series_id, can_organise)
    return _act(
        series,
        lambda: remind_unanswered(series),
        lambda count: ngettext("Reminder queued for %(num)s person.", "Reminders queued for %(num)s people.", count),
        mailing=("reminder", _("Remind everyone who has not answered")),
    )


@bp.post("/series/<int:series_id>/invitations/sessions/<int:session_id>/fill")
@login_required
def fill(series_id: int, session_id: int):
    series = series_or_404(series_id, can_organise)
    session = session_or_404(series, session_id)
    return _act(
        series,
        lambda: fill_free_seats(session),
        lambda moved: ngettext(
            "%(num)s person moved up from the waiting list.",
            "%(num)s people moved up from the waiting list.",
            len(moved),
        ),
        mailing=("moved_up", _("Give free places to the waiting list")),
    )
