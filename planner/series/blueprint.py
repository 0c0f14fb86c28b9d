"""The series blueprint, and what its two route modules share.

The pages of a series and the overviews are in ``routes.py``; those of one session (add, edit,
remove, cancel) in ``session_routes.py``. Both add their routes to ``bp``.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from sqlalchemy import select

from planner.extensions import db
from planner.mail.confirm import Sent, preview_or_send
from planner.series.models import Venue

bp = Blueprint("series", __name__)


def venues() -> list[Venue]:
    return list(db.session.scalars(select(Venue).order_by(Venue.municipality, Venue.name)))


def venue_of(venue_id: int) -> Venue | None:
    return db.session.get(Venue, venue_id) if venue_id else None


def saved(message: str, series):
    """Commit what the service did, say so, and go back to the series."""
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("series.show", series_id=series.id))


def mailed_then_saved(kind: str, series, action, *, title: str, back_url: str, message: str):
    """Show what ``action`` mails first (``planner.mail.confirm``); once it ran, commit and say
    ``message``. Inside the route's ``service_call``, which shows a refusal on the form."""
    done = preview_or_send(kind, series.id, action, title=title, back_url=back_url)
    if not isinstance(done, Sent):
        return done
    return saved(message, series)
