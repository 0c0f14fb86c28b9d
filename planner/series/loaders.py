"""The series and session of a URL, or 404: loaded with what their pages show, access checked."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.auth.access import can_view, require
from planner.extensions import db
from planner.series.models import Series, Session


def series_or_404(series_id: int, permission=can_view) -> Series:
    series = db.session.scalar(
        select(Series)
        .where(Series.id == series_id)
        .options(
            selectinload(Series.sessions).selectinload(Session.audience_rows),
            selectinload(Series.sessions).selectinload(Session.venue),
        )
    )
    require(permission, series.programme if series else None)
    return series


def session_or_404(series: Series, session_id: int) -> Session:
    for session in series.sessions:
        if session.id == session_id:
            return session
    abort(404)
