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


def _overview(programme: Programme, *, include_archived: bool) -> Select:
    """Rows of (series, scheduled sessions, first and last start), latest series first."""
    active = Session.status == SessionStatus.SCHEDULED
    shown = true() if include_archived else Series.status != SeriesStatus.ARCHIVED
    return (
        select(
            Series,
            func.count(Session.id).filter(active),
            func.min(Session.starts_at).filter(active),
            func.max(Session.starts_at).filter(active),
        )
        .outerjoin(Session, Session.series_id == Series.id)
        .where(Series.programme_id == programme.id, shown)
        .group_by(Series.id)
        .order_by(func.min(Session.starts_at).desc(), Series.id.desc())
    )


def _summary(row) -> SeriesSummary:
    series, count, first, last = row
    return SeriesSummary(series, count, as_utc(first), as_utc(last))


def series_overview(programme: Programme, *, include_archived: bool = False) -> list[SeriesSummary]:
    """Every series of a programme with its counts and dates, in one query (archived ones on request)."""
    return [_summary(row) for row in db.session.execute(_overview(programme, include_archived=include_archived))]


def series_overview_page(programme: Programme, number: int | None, *, include_archived: bool = False) -> Page:
    """Page ``number`` of the programme's series as ``SeriesSummary`` items: two queries, however many."""
    page = paginate(_overview(programme, include_archived=include_archived), number, PER_PAGE, rows=True)
    return replace(page, items=[_summary(row) for row in page.items])
