"""The invitation of a URL, or 404; the personal-link pages under /i/<token>.

A blueprint with personal-link pages calls ``personal_link_pages(bp)`` once: before each of its
views under ``/i/<token>`` the invitation is looked up (``planner/invitations/lookup.py``) and
the page speaks the person's language; an unknown, withdrawn or expired link gets the one
not-found page. The view takes the invitation from ``current_invitation()``.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, g, redirect, render_template, request
from flask_babel import refresh
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from planner.auth.forms import LanguageForm
from planner.extensions import db
from planner.invitations.lookup import invitation_for_link
from planner.invitations.models import Invitation, Rsvp
from planner.series.models import Series


def invitation_or_404(series: Series, invitation_id: int) -> Invitation:
    """An invitation to ``series`` (the caller checked access to the series)."""
    invitation = db.session.scalar(
        select(Invitation)
        .where(Invitation.id == invitation_id, Invitation.series_id == series.id)
        .options(joinedload(Invitation.person), selectinload(Invitation.rsvps).selectinload(Rsvp.session))
    )
    if invitation is None:
        abort(404)
    return invitation


def change_own_language(person, back: str):
    """The header's language switch on a personal link: it changes the person's own language."""
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    person.language = form.lang.data
    db.session.commit()
    return redirect(back)


def not_found_page():
    """A personal link that is unknown, withdrawn or expired: one page, whatever the reason."""
    return render_template("invitations/not_found.html"), 404


PERSONAL_LINK = "/i/<token>"


def personal_link_pages(bp: Blueprint) -> None:
    """Find the invitation and set the language once, before every /i/<token> view of ``bp``."""

    @bp.before_request
    def _find_invitation():
        rule = request.url_rule.rule if request.url_rule else ""
        if not rule.startswith(PERSONAL_LINK):
            return None
        grace = timedelta(days=current_app.config["INVITATION_LINK_DAYS_AFTER_SERIES"])
        invitation = invitation_for_link((request.view_args or {})["token"], grace=grace)
        if invitation is None:
            return not_found_page()
        g.invitation = invitation
        g.locale = invitation.person.language
        refresh()  # forget a locale worked out before we knew whom we speak to
        return None


def current_invitation() -> Invitation:
    """The invitation of this personal-link page (see ``personal_link_pages``)."""
    return g.invitation
