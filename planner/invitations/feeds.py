"""Calendar files for participants and the public: one session, a personal feed, a series feed.

A personal feed has its own token (not the invitation's): it may live in a calendar app for
months, and can be replaced without touching the personal link. Feeds answer ETag and
Last-Modified, so calendar apps that poll them get a 304 when nothing changed.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask import Blueprint, Response, abort, redirect, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from planner.calendar.ics import feed, single_event
from planner.downloads import content_disposition
from planner.extensions import db
from planner.invitations.calendar import calendar_event, in_calendar
from planner.invitations.loaders import current_invitation, personal_link_pages
from planner.invitations.lookup import TOKEN_PATTERN
from planner.invitations.models import CalendarFeed, Invitation, Rsvp
from planner.invitations.services import renew_feed
from planner.link_privacy import keep_link_private
from planner.series.models import Series, Session
from planner.timekeeping import as_utc

bp = Blueprint("feeds", __name__)
personal_link_pages(bp)


@bp.after_request
def _private(response):
    return keep_link_private(response, cache=True)  # calendar apps poll with conditional requests


def _latest(*moments) -> datetime:
    return max(as_utc(m) for m in moments if m is not None)


def _calendar_response(body_for, last_modified: datetime, filename: str) -> BaseResponse:
    last_modified = last_modified.replace(microsecond=0)
    body = body_for(last_modified)  # the feed's DTSTAMPs are its last change: same data, same bytes
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = content_disposition("inline", filename)
    response.headers["Cache-Control"] = "private, no-cache"
    response.set_etag(hashlib.sha256(body).hexdigest())
    response.last_modified = last_modified
    return response.make_conditional(request)


# Views.


@bp.get("/i/<token>/sessions/<int:session_id>.ics")
def session_file(token: str, session_id: int):  # noqa: ARG001 - the URL's token, read by personal_link_pages before the view
    invitation = current_invitation()
    rsvp = next((r for r in invitation.rsvps if r.session_id == session_id), None)
    if rsvp is None:
        abort(404)
    session = rsvp.session
    changed = _latest(session.changed_at, session.series.created_at)
    return _calendar_response(
        lambda stamp: single_event(calendar_event(session, invitation), stamp=stamp),
        changed,
        f"{session.series.title}.ics",
    )


@bp.post("/i/<token>/feed")
def new_feed(token: str):
    invitation = current_invitation()

    renew_feed(invitation.person)
    db.session.commit()
    return redirect(url_for("participant.personal_page", token=token) + "#calendar")


@bp.get("/feed/<token>.ics")
def personal_feed(token: str):
    if not TOKEN_PATTERN.fullmatch(token):
        abort(404)
    calendar_feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token == token))
    if calendar_feed is None or calendar_feed.revoked_at is not None:
        abort(404)
    invitations = db.session.scalars(
        select(Invitation)
        .where(Invitation.person_id == calendar_feed.person_id)
        .options(
            selectinload(Invitation.person),
            selectinload(Invitation.series),
            selectinload(Invitation.rsvps).selectinload(Rsvp.session).selectinload(Session.venue),
        )
    ).all()
    moments: list[datetime | None] = [calendar_feed.created_at]
    rows = []
    for invitation in invitations:
        moments += [invitation.created_at, invitation.revoked_at, invitation.series.created_at]
        for rsvp in invitation.rsvps:
            moments.append(rsvp.answered_at)
            if not invitation.is_revoked and in_calendar(rsvp):
                moments.append(rsvp.session.changed_at)
                rows.append((rsvp.session, invitation))
    rows.sort(key=lambda row: (row[0].starts_at, row[0].id))
    name = calendar_feed.person.name
    return _calendar_response(
        lambda stamp: feed([calendar_event(s, i) for s, i in rows], name=f"Reeks – {name}", stamp=stamp),
        _latest(*moments),
        "reeks.ics",
    )


@bp.get("/calendar/<token>.ics")
def series_feed(token: str):
    """The public feed of a published series that offers one: sessions only, nothing about anyone.

    Its address holds a random token (the organiser turns the feed on, off or renews it), so
    nobody can count through the series; without a feed, or with an old token, it is a 404.
    """
    if not TOKEN_PATTERN.fullmatch(token):
        abort(404)
    series = db.session.scalar(select(Series).where(Series.public_feed_token == token))
    if series is None or not series.was_published:  # an archived series keeps its feed
        abort(404)
    sessions = list(series.sessions)
    moments = [series.published_at, series.created_at] + [s.changed_at for s in sessions]
    return _calendar_response(
        lambda stamp: feed([calendar_event(s) for s in sessions], name=series.title, stamp=stamp),
        _latest(*moments),
        "reeks.ics",
    )
