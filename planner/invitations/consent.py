"""The participant gives or withdraws consent per purpose on their own page (no account)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from planner.audit.models import AuditAction
from planner.audit.web import audit
from planner.extensions import db
from planner.invitations.loaders import current_invitation, personal_link_pages
from planner.link_privacy import keep_link_private
from planner.people.models import ConsentPurpose
from planner.people.services import consent_of, record_consent

bp = Blueprint("consent", __name__)
personal_link_pages(bp)


@bp.app_context_processor
def _consent_helpers():
    # For invitations/_consent.html, included on the participant's page.
    return {"consent_purposes": lambda: list(ConsentPurpose), "consent_given": consent_of}


ANSWERS = {"yes": True, "no": False}


bp.after_request(keep_link_private)


@bp.post("/i/<token>/consent")
def save(token: str):
    invitation = current_invitation()
    answers = {}
    for purpose in ConsentPurpose:
        value = request.form.get(f"consent_{purpose}", "")
        if value == "":
            continue  # left open: nothing changes
        if value not in ANSWERS:
            message = _("Choose yes or no for each question.")
            return render_template("error.html", code=400, message=message), 400
        answers[purpose] = ANSWERS[value]
    person = invitation.person
    changed = [
        p for p, given in answers.items() if next((c.given for c in person.consents if c.purpose == p), None) != given
    ]
    for purpose, given in answers.items():
        record_consent(person, purpose, given, None)
    if changed:
        audit(
            AuditAction.CHANGE,
            "consent",
            person.id,
            "by the person: " + ",".join(map(str, changed)),
            actor="participant",
        )
    db.session.commit()
    flash(_("Thank you. Your choices have been saved."), "success")
    return redirect(url_for("participant.personal_page", token=token) + "#consent"), 303
