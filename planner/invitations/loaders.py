"""The invitation of a URL, or 404; and the page a personal link that no longer works shows."""

from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from planner.extensions import db
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


def not_found_page():
    """A personal link that is unknown, withdrawn or expired: one page, whatever the reason."""
    return render_template("invitations/not_found.html"), 404
