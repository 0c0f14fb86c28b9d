"""The series and session of a URL, or 404: loaded with what their pages show, access checked."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from planner.auth.access import can_view, require
from planner.extensions import db
from planner.programmes.models import ProgrammeMember, ProgrammeRole
from planner.series.models import Series, Session
from planner.web import found_or_404


def series_or_404(series_id: int, permission=can_view) -> Series:
    series = found_or_404(
        db.session.scalar(
            select(Series)
            .where(Series.id == series_id)
            .options(
                selectinload(Series.sessions).selectinload(Session.audience_rows),
                selectinload(Series.sessions).selectinload(Session.venue),
            )
        )
    )
    require(permission, series.programme)
    return series


def session_or_404(series: Series, session_id: int) -> Session:
    return found_or_404(next((s for s in series.sessions if s.id == session_id), None))


def organised_series_ids(user) -> Select:
    """A select of the ids of the series ``user`` organises: every series for an admin."""
    query = select(Series.id)
    if not user.is_admin:
        query = query.where(
            Series.programme_id.in_(
                select(ProgrammeMember.programme_id).where(
                    ProgrammeMember.user_id == user.id, ProgrammeMember.role == ProgrammeRole.ORGANISER
                )
            )
        )
    return query
