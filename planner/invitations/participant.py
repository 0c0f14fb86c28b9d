"""The participant's page: their personal link, no account, in their own language."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from planner.extensions import db
from planner.invitations.forms import answer_field_name, participant_form
from planner.invitations.loaders import change_own_language, current_invitation, personal_link_pages
from planner.invitations.mails import feed_url, webcal_url
from planner.invitations.models import Answer, Invitation, Rsvp, Seat
from planner.invitations.services import active_feed, answer, save_needs, waiting_places
from planner.link_privacy import keep_link_private
from planner.timekeeping import utcnow
from planner.web import form_status, service_call

bp = Blueprint("participant", __name__)

# Templates whose participants send in a learning question or theme when they register.
ASKS_LEARNING_QUESTION = {"arena", "thematic"}


bp.after_request(keep_link_private)  # the token is in the URL
personal_link_pages(bp)


def _ordered(invitation: Invitation) -> list[Rsvp]:
    return sorted(invitation.rsvps, key=lambda r: (r.session.starts_at, r.session.id))


@bp.route("/i/<token>", methods=["GET", "POST"])
def personal_page(token: str):
    invitation = current_invitation()
    rsvps = _ordered(invitation)
    asks_question = invitation.series.template_key in ASKS_LEARNING_QUESTION
    form = participant_form(rsvps, ask_learning_question=asks_question, obj=invitation)
    if form.validate_on_submit():
        with service_call(form):
            _save(invitation, rsvps, form)
            db.session.commit()
            flash(_("Thank you. Your answers have been saved."), "success")
            return redirect(url_for("participant.personal_page", token=token))
    now = utcnow()
    return render_template(
        "invitations/participant.html",
        invitation=invitation,
        series=invitation.series,
        rows=[
            (
                rsvp,
                form[answer_field_name(rsvp.session)] if not rsvp.session.is_cancelled else None,
                rsvp.session.starts_at <= now,
            )
            for rsvp in rsvps
        ],
        places=waiting_places(invitation),
        form=form,
        language_action=url_for("participant.language", token=token),
        calendar_feed=_feed_links(invitation),
        Answer=Answer,
        Seat=Seat,
    ), form_status(form)


def _feed_links(invitation: Invitation) -> dict | None:
    calendar_feed = active_feed(invitation.person)
    if calendar_feed is None:
        return None
    return {"webcal": webcal_url(calendar_feed), "https": feed_url(calendar_feed)}


@bp.post("/i/<token>/language")
def language(token: str):
    """The header's language switch: on this page it changes the person's own language."""
    return change_own_language(current_invitation().person, url_for("participant.personal_page", token=token))


def _save(invitation: Invitation, rsvps: list[Rsvp], form) -> None:
    now = utcnow()
    # Sessions in id order: every request locks them in the same order.
    for rsvp in sorted(rsvps, key=lambda r: r.session_id):
        if rsvp.session.is_cancelled:
            continue
        chosen = form[answer_field_name(rsvp.session)].data
        if chosen and chosen != rsvp.answer:
            answer(invitation, rsvp.session, chosen, now=now)
    question = invitation.learning_question
    if form.learning_question is not None:  # only asked in some templates
        question = form.learning_question.data or ""
    save_needs(
        invitation,
        learning_question=question,
        access=form.needs_access.data,
        interpreter=form.needs_interpreter.data,
        childcare=form.needs_childcare.data,
        other=form.needs_other.data or "",
    )
