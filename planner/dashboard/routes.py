"""The home page: what an organiser does next, what a trekker can read."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import get_locale
from flask_login import current_user, login_required

from planner.dashboard.services import coming_sessions, follows_anything, organises_anything
from planner.dashboard.todos import todos_for
from planner.dashboard.trekker import trekker_digest
from planner.timekeeping import utcnow

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def home():
    now = utcnow()
    organiser = organises_anything(current_user)
    return render_template(
        "dashboard/home.html",
        organiser=organiser,
        todos=todos_for(current_user, now) if organiser else [],
        coming=coming_sessions(current_user, now) if organiser else [],
        digests=trekker_digest(current_user, str(get_locale())) if follows_anything(current_user) else [],
        follows=follows_anything(current_user),
    )
