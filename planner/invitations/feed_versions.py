"""A feed's version from one query, so that a calendar app's poll is answered before a feed is built.

Calendar apps poll a feed every few minutes, and nearly every poll finds nothing new. The version
is a hash of every column of every row a feed is made from (the person, their invitations and
answers, the sessions, their series and venues), with the site's address and the feed's format:
a change to anything a feed could show gives a new ETag. A change it does not show (a session's
programme, say) costs one full answer and nothing more.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask import current_app
from sqlalchemy import ColumnElement, Select, String, bindparam, cast, func, literal_column, select

from planner.extensions import db
from planner.invitations.models import CalendarFeed, Invitation, Rsvp
from planner.people.models import Person
from planner.series.models import Series, SeriesStatus, Session, Venue
from planner.timekeeping import as_utc

# Raise when the way a feed is written changes, so that every calendar fetches it anew.
FEED_FORMAT = "2"
SEPARATOR, NULL_MARK = "\x1f", "\x1e"

_SESSION_VENUE = Venue.__table__.alias("session_venue")
_SERIES_VENUE = Venue.__table__.alias("series_venue")


@dataclass(frozen=True)
class FeedVersion:
    etag: str
    last_modified: datetime


@cache
def _personal_query() -> tuple[Select, int]:
    moments = (
        CalendarFeed.created_at,
        Invitation.created_at,
        Invitation.revoked_at,
        Rsvp.answered_at,
        Series.created_at,
        Session.changed_at,
    )
    query = (
        select(
            CalendarFeed.revoked_at,
            *moments,
            _as_text(_every_column(CalendarFeed, Person, Invitation, Rsvp, Session, Series) + _PLACE_COLUMNS),
        )
        .select_from(CalendarFeed)
        .join(Person, Person.id == CalendarFeed.person_id)
        .outerjoin(Invitation, Invitation.person_id == Person.id)
        .outerjoin(Rsvp, Rsvp.invitation_id == Invitation.id)
        .outerjoin(Session, Session.id == Rsvp.session_id)
        .outerjoin(Series, Series.id == Session.series_id)
        .where(CalendarFeed.token == bindparam("token"))
        .order_by(Invitation.id, Rsvp.id)
    )
    return _with_places(query), len(moments)


def personal_feed_version(token: str) -> FeedVersion | None:
    """The version of a person's feed, or None when there is no such feed or it was revoked."""
    query, moment_count = _personal_query()
    rows = db.session.connection().execute(query, {"token": token}).all()
    if not rows or rows[0][0] is not None:
        return None
    return _version("personal", rows, moment_count)


@cache
def _series_query() -> tuple[Select, int]:
    moments = (Series.published_at, Series.created_at, Session.changed_at)
    query = (
        select(Series.status, *moments, _as_text(_every_column(Series, Session) + _PLACE_COLUMNS))
        .select_from(Series)
        .outerjoin(Session, Session.series_id == Series.id)
        .where(Series.public_feed_token == bindparam("token"))
        .order_by(Session.id)
    )
    return _with_places(query), len(moments)


def series_feed_version(token: str) -> FeedVersion | None:
    """The version of a series' public feed, or None when the series offers none under this token."""
    query, moment_count = _series_query()
    rows = db.session.connection().execute(query, {"token": token}).all()
    if not rows or not _was_published(*rows[0][:2]):
        return None  # a draft has no feed yet; an archived series keeps the one it had
    return _version("series", rows, moment_count)


def _was_published(status: SeriesStatus, published_at: datetime | None) -> bool:
    """As ``Series.was_published``, from the row."""
    return status == SeriesStatus.PUBLISHED or (status == SeriesStatus.ARCHIVED and published_at is not None)


def _every_column(*models) -> list:
    return [column for model in models for column in model.__table__.columns]


_PLACE_COLUMNS = [*_SESSION_VENUE.columns, *_SERIES_VENUE.columns]


def _as_text(columns: list) -> ColumnElement[str]:
    """The columns as one text, made by the database: reading it costs one value, not a hundred.

    A NULL reads as a control character no form lets through (planner.plain_text), so it
    differs from every text a person can type.
    """
    # The two marks are written into the SQL rather than bound: a poll then binds one value (the
    # token), not two hundred.
    null_mark, separator = (literal_column(f"'{mark}'", String) for mark in (NULL_MARK, SEPARATOR))
    parts = [func.coalesce(cast(column, String), null_mark) for column in columns]
    return functools.reduce(lambda text, part: text.concat(separator).concat(part), parts[1:], parts[0])


def _with_places(query: Select) -> Select:
    """The sessions' venues joined: a session's own, and its series' (used when it has none)."""
    return query.outerjoin(_SESSION_VENUE, _SESSION_VENUE.c.id == Session.venue_id).outerjoin(
        _SERIES_VENUE, _SERIES_VENUE.c.id == Series.venue_id
    )


def _version(kind: str, rows, moment_count: int) -> FeedVersion:
    """Rows start with a flag, then ``moment_count`` moments of change, then the text to hash."""
    digest = hashlib.sha256(f"{FEED_FORMAT}\0{kind}\0{current_app.config['BASE_URL']}".encode())
    moments: list[datetime] = []
    for row in rows:
        digest.update(repr(tuple(row)).encode())
        moments += [as_utc(moment) for moment in row[1 : 1 + moment_count] if moment is not None]
    return FeedVersion(etag=digest.hexdigest(), last_modified=max(moments).replace(microsecond=0))
