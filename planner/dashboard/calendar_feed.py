"""A staff member's own calendar feed: the sessions of the series they organise, nothing about anyone.

Its address holds a random token, shown and renewed on the account page; a new token makes the
old address stop working. The events carry the series and session title, time, place, online link
and a link to the series page (which asks for a login): no names, no answers, no needs.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from planner.auth.models import StaffUser
from planner.calendar.ics import CalendarEvent
from planner.extensions import db
from planner.invitations.calendar import calendar_event
from planner.series.loaders import organised_series_ids
from planner.series.models import Series, SeriesStatus, Session

TOKEN_BYTES = 32
PAST = timedelta(days=92)  # sessions that ended longer ago drop out of the feed


def renew_calendar_token(user: StaffUser) -> str:
    user.calendar_token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.flush()
    return user.calendar_token


def user_with_token(token: str) -> StaffUser | None:
    user = db.session.scalar(select(StaffUser).where(StaffUser.calendar_token == token))
    return user if user is not None and user.active else None


def organised_sessions(user: StaffUser, now: datetime) -> list[Session]:
    return list(
        db.session.scalars(
            select(Session)
            .join(Session.series)
            .where(
                Session.series_id.in_(organised_series_ids(user)),
                Series.status == SeriesStatus.PUBLISHED,
                Session.ends_at >= now - PAST,
            )
            .options(joinedload(Session.series).joinedload(Series.venue), joinedload(Session.venue))
            .order_by(Session.starts_at, Session.id)
        )
    )


def organiser_event(session: Session, series_url: str) -> CalendarEvent:
    """The public feed's event (no personal data) with the session's own title and the series page.

    Its own UID, so it never merges with the entry of the same session in a participant's calendar.
    """
    event = calendar_event(session)
    summary = f"{session.series.title}: {session.title}" if session.title != session.series.title else event.summary
    return replace(event, uid=f"organiser-{event.uid}", summary=summary, url=series_url)
