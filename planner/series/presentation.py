"""How a session's time and place read: one wording for every page, mail, letter, sheet and calendar.

Times are shown in the session's own zone (the planning zone, ``PLANNING_TIMEZONE``, for every
series planned so far), in the language of the moment: callers that write to someone force
that person's language first. Templates use these through the ``session_when``,
``session_place`` and ``time_span`` filters that ``create_app`` registers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from babel.dates import format_datetime
from flask_babel import get_locale

from planner.series.models import Session
from planner.timekeeping import planning_zone

DAY_FORMAT = "EEEE d MMMM y"
TIME_FORMAT = "HH:mm"


def time_span(starts: datetime, ends: datetime, zone: tzinfo | None = None) -> str:
    """ "dinsdag 2 maart 2027, 19:30–21:30", in ``zone`` (by default the planning zone)."""
    zone = zone or planning_zone()
    locale = get_locale()
    day = format_datetime(starts, DAY_FORMAT, tzinfo=zone, locale=locale)
    start = format_datetime(starts, TIME_FORMAT, tzinfo=zone, locale=locale)
    end = format_datetime(ends, TIME_FORMAT, tzinfo=zone, locale=locale)
    return f"{day}, {start}–{end}"


def session_when(session: Session) -> str:
    return time_span(session.starts_at, session.ends_at, session.zone)


def session_place(session: Session) -> str:
    """The venue as someone who has to find it needs it: its name and address (or municipality)."""
    venue = session.effective_venue
    if venue is None:
        return ""
    return ", ".join(part for part in (venue.name, venue.address or venue.municipality) if part)


TEMPLATE_FILTERS: dict[str, Callable[..., str]] = {
    "session_when": session_when,
    "session_place": session_place,
    "time_span": time_span,
}
