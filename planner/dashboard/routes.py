"""The home page (what an organiser does next, what a trekker can read) and the staff calendar feed."""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from planner.calendar.ics import feed
from planner.dashboard.calendar_feed import organised_sessions, organiser_event, renew_calendar_token, user_with_token
from planner.dashboard.services import coming_sessions, follows_anything, organises_anything
from planner.dashboard.todos import todos_for
from planner.dashboard.trekker import trekker_digest
from planner.downloads import content_disposition
from planner.extensions import db
from planner.link_privacy import keep_link_private
from planner.links import external_url
from planner.timekeeping import as_utc, utcnow

bp = Blueprint("dashboard", __name__)

TOKEN_LENGTHS = range(20, 65)


@bp.get("/")
@login_required
def home():
    now = utcnow()
    organiser = organises_anything(current_user)
    follows = follows_anything(current_user)
    return render_template(
        "dashboard/home.html",
        organiser=organiser,
        todos=todos_for(current_user, now) if organiser else [],
        coming=coming_sessions(current_user, now) if organiser else [],
        digests=trekker_digest(current_user, str(get_locale())) if follows else [],
        follows=follows,
    )


@bp.post("/account/calendar-feed")
@login_required
def renew_calendar_feed():
    renewed = current_user.calendar_token is not None
    renew_calendar_token(current_user)
    db.session.commit()
    if renewed:
        flash(_("Your calendar feed has a new address; the old one no longer works."), "success")
    else:
        flash(_("Your calendar feed is ready: add its address to your agenda."), "success")
    return redirect(url_for("auth.account") + "#calendar-feed")


@bp.get("/calendar/staff/<token>.ics")
def staff_feed(token: str):
    """The sessions a staff member organises, for their own agenda; an unknown or old token is a 404."""
    if len(token) not in TOKEN_LENGTHS:
        abort(404)
    user = user_with_token(token)
    if user is None:
        abort(404)
    sessions = organised_sessions(user, utcnow())
    moments = [as_utc(s.changed_at) for s in sessions if s.changed_at] + [as_utc(user.created_at)]
    stamp = max(moments).replace(microsecond=0)
    events = [organiser_event(s, external_url("series.show", series_id=s.series_id)) for s in sessions]
    body = feed(events, name=f"Reeks – {user.name}", stamp=stamp)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = content_disposition("inline", "reeks.ics")
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(hashlib.sha256(body).hexdigest())
    response.last_modified = stamp
    return keep_link_private(response.make_conditional(request), cache=True)
