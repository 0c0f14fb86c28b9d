"""A learning studio's series with their counts and dates, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Select, func, select, true

from planner.extensions import db
from planner.pagination import Page, paginate
from planner.programmes.models import Programme
from planner.series.models import Series, SeriesStatus, Session, SessionStatus
from planner.timekeeping import as_utc

PER_PAGE = 25


@dataclass(frozen=True)
class SeriesSummary:
    series: Series
    session_count: int
    first_start: datetime | None
    last_start: datetime | None


def _series(programme: Programme, *, include_archived: bool) -> Select:
    """The programme's series, latest first session first (archived ones on request).

    The order reads one index entry per series (session: series_id, status, starts_at), and
    counting is left to ``_summaries`` for the series shown, so a page costs the same after
    years of series."""
    shown = true() if include_archived else Series.status != SeriesStatus.ARCHIVED
    first_start = (
        select(func.min(Session.starts_at))
        .where(Session.series_id == Series.id, Session.status == SessionStatus.SCHEDULED)
        .correlate(Series)
        .scalar_subquery()
    )
    return (
        select(Series).where(Series.programme_id == programme.id, shown).order_by(first_start.desc(), Series.id.desc())
    )


def _summaries(series_list: list[Series]) -> list[SeriesSummary]:
    """Scheduled sessions, first and last start of each series, in one query for all."""
    rows = db.session.execute(
        select(Session.series_id, func.count(Session.id), func.min(Session.starts_at), func.max(Session.starts_at))
        .where(Session.series_id.in_([s.id for s in series_list]), Session.status == SessionStatus.SCHEDULED)
        .group_by(Session.series_id)
    ).all()
    counted = {series_id: (count, first, last) for series_id, count, first, last in rows}
    summaries = []
    for series in series_list:
        count, first, last = counted.get(series.id, (0, None, None))
        summaries.append(SeriesSummary(series, count, as_utc(first), as_utc(last)))
    return summaries


def series_overview(programme: Programme, *, include_archived: bool = False) -> list[SeriesSummary]:
    """Every series of a programme with its counts and dates, in two queries (archived ones on request)."""
    return _summaries(list(db.session.scalars(_series(programme, include_archived=include_archived))))


def series_overview_page(programme: Programme, number: int | None, *, include_archived: bool = False) -> Page:
    """Page ``number`` of the programme's series as ``SeriesSummary`` items: three queries, however many."""
    page = paginate(_series(programme, include_archived=include_archived), number, PER_PAGE)
    return replace(page, items=_summaries(page.items))
