"""Calendar files for participants and the public: one session, a personal feed, a series feed.

A personal feed has its own token (not the invitation's): it may live in a calendar app for
months, and can be replaced without touching the personal link. Feeds answer ETag and
Last-Modified, so calendar apps that poll them get a 304 when nothing changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime

from flask import Blueprint, Response, abort, redirect, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from planner.calendar.ics import feed, single_event
from planner.downloads import content_disposition
from planner.extensions import db
from planner.invitations.built_feeds import built_feeds
from planner.invitations.calendar import calendar_event, in_calendar
from planner.invitations.feed_versions import FeedVersion, personal_feed_version, series_feed_version
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


def _calendar_response(body_for, last_modified: datetime, filename: str, etag: str | None = None) -> BaseResponse:
    last_modified = last_modified.replace(microsecond=0)
    body = body_for(last_modified)  # the feed's DTSTAMPs are its last change: same data, same bytes
    response = _calendar_headers(Response(body, mimetype="text/calendar"), filename)
    response.set_etag(etag or hashlib.sha256(body).hexdigest())
    response.last_modified = last_modified
    return response.make_conditional(request)


def _calendar_headers(response: BaseResponse, filename: str) -> BaseResponse:
    response.headers["Content-Disposition"] = content_disposition("inline", filename)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _not_modified(version: FeedVersion, filename: str) -> BaseResponse | None:
    """The 304 for a poll that has this version already, decided before any feed is built."""
    response = _calendar_headers(Response(mimetype="text/calendar"), filename)
    response.set_etag(version.etag)
    response.last_modified = version.last_modified
    response = response.make_conditional(request)
    return response if response.status_code == 304 else None


def _feed_response(version_of: Callable[[], FeedVersion | None], build, filename: str) -> BaseResponse:
    """A feed answered from its version: a 304 at once, the bytes built before for that version's
    ETag, or the feed built now (and kept, unless its rows changed while it was being built)."""
    version = version_of()
    if version is None:
        abort(404)
    not_modified = _not_modified(version, filename)
    if not_modified is not None:
        return not_modified
    body = built_feeds().get(version.etag)
    if body is None:
        body = build()(version.last_modified)
        if version_of() == version:  # read under the same rows: these bytes are this version's
            built_feeds().keep(version.etag, body)
    return _calendar_response(lambda _stamp: body, version.last_modified, filename, etag=version.etag)


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
    return _feed_response(lambda: personal_feed_version(token), lambda: _personal_feed_body(token), "reeks.ics")


def _personal_feed_body(token: str):
    calendar_feed = db.session.scalars(select(CalendarFeed).where(CalendarFeed.token == token)).one()
    invitations = db.session.scalars(
        select(Invitation)
        .where(Invitation.person_id == calendar_feed.person_id, Invitation.revoked_at.is_(None))
        .options(
            selectinload(Invitation.person),
            selectinload(Invitation.series),
            selectinload(Invitation.rsvps).selectinload(Rsvp.session).selectinload(Session.venue),
        )
    ).all()
    rows = [(rsvp.session, invitation) for invitation in invitations for rsvp in invitation.rsvps if in_calendar(rsvp)]
    rows.sort(key=lambda row: (row[0].starts_at, row[0].id))
    name = calendar_feed.person.name
    return lambda stamp: feed([calendar_event(s, i) for s, i in rows], name=f"Reeks – {name}", stamp=stamp)


@bp.get("/calendar/<token>.ics")
def series_feed(token: str):
    """The public feed of a published series that offers one: sessions only, nothing about anyone.

    Its address holds a random token (the organiser turns the feed on, off or renews it), so
    nobody can count through the series; without a feed, or with an old token, it is a 404.
    """
    if not TOKEN_PATTERN.fullmatch(token):
        abort(404)
    return _feed_response(lambda: series_feed_version(token), lambda: _series_feed_body(token), "reeks.ics")


def _series_feed_body(token: str):
    series = db.session.scalars(select(Series).where(Series.public_feed_token == token)).one()
    sessions = list(series.sessions)
    return lambda stamp: feed([calendar_event(s) for s in sessions], name=series.title, stamp=stamp)
