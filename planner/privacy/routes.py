"""A person's own data from their personal link, and the organiser's deletion requests."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime, gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from planner.audit.models import AuditAction
from planner.audit.web import audit
from planner.auth.access import people_manager_required
from planner.extensions import db
from planner.invitations.loaders import current_invitation, personal_link_pages
from planner.link_privacy import keep_link_private
from planner.people.models import Person
from planner.privacy.own_data import (
    as_json_ready,
    cancel_deletion_request,
    collect_own_data,
    request_deletion,
    resume_mail,
    withdraw_from_mail,
)
from planner.privacy.purge import erase_person, open_deletion_requests
from planner.timekeeping import utcnow

bp = Blueprint("privacy", __name__)
personal_link_pages(bp)


bp.after_request(keep_link_private)  # personal links and personal data


def _when(value) -> str:
    return format_datetime(value, "d MMMM y, HH:mm") if value else ""


# The participant, from their personal link.


@bp.get("/i/<token>/my-data")
def my_data(token: str):
    invitation = current_invitation()
    person = invitation.person
    audit(AuditAction.VIEW, "person", person.id, "own data viewed", actor="participant")
    db.session.commit()
    return render_template(
        "privacy/my_data.html",
        invitation=invitation,
        person=person,
        data=collect_own_data(person),
        when=_when,
        language_action=url_for("participant.language", token=token),
    )


@bp.get("/i/<token>/my-data.json")
def my_data_download(token: str):  # noqa: ARG001 - the URL's token, read by personal_link_pages before the view
    invitation = current_invitation()
    person = invitation.person
    audit(AuditAction.EXPORT, "person", person.id, "own data downloaded", actor="participant")
    db.session.commit()
    body = json.dumps(as_json_ready(collect_own_data(person)), ensure_ascii=False, indent=2)
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="mijn-gegevens.json"'},
    )


def _change(token: str, action, detail: str, message: str):
    """Do what the person asks from their own page: ``action(invitation)``."""
    invitation = current_invitation()
    person = invitation.person
    if action(invitation):
        audit(AuditAction.CHANGE, "person", person.id, detail, actor="participant")
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("privacy.my_data", token=token))


@bp.post("/i/<token>/my-data/withdraw")
def withdraw(token: str):
    return _change(
        token,
        lambda invitation: withdraw_from_mail(invitation.person),
        "mail withdrawn",
        _("You will get no more mails from us. You can change this back on this page."),
    )


@bp.post("/i/<token>/my-data/resume")
def resume(token: str):
    return _change(
        token, lambda invitation: resume_mail(invitation.person), "mail resumed", _("You will get our mails again.")
    )


@bp.get("/i/<token>/my-data/delete")
def delete_confirm(token: str):
    invitation = current_invitation()
    return render_template(
        "privacy/delete_confirm.html",
        invitation=invitation,
        person=invitation.person,
        language_action=url_for("participant.language", token=token),
    )


@bp.post("/i/<token>/my-data/delete")
def delete_request(token: str):
    return _change(
        token,
        request_deletion,
        "deletion requested",
        _("We have your request. An organiser will delete your data soon."),
    )


@bp.post("/i/<token>/my-data/delete/cancel")
def delete_cancel(token: str):
    return _change(
        token,
        lambda invitation: cancel_deletion_request(invitation.person),
        "deletion request withdrawn",
        _("Your request to delete your data has been withdrawn."),
    )


# Organisers.


@bp.get("/privacy/deletion-requests")
@people_manager_required
def deletion_requests():
    people = db.session.scalars(open_deletion_requests().options(selectinload(Person.organisation))).all()
    return render_template("privacy/requests.html", people=people, when=_when)


@bp.route("/people/<int:person_id>/erase", methods=["GET", "POST"])
@people_manager_required
def erase(person_id: int):
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    if person.anonymised_at is not None:
        flash(_("The data of this person has already been deleted."), "success")
        return redirect(url_for("privacy.deletion_requests"))
    if request.method == "POST":
        erase_person(person, actor=current_user, now=utcnow())
        db.session.commit()
        flash(_("The personal data has been deleted. The anonymous figures stay."), "success")
        return redirect(url_for("privacy.deletion_requests"))
    return render_template("privacy/erase.html", person=person, when=_when)
