"""Reading the audit trail: filter it, page through it, export it. Newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, delete, select

from planner.audit.models import AuditEvent
from planner.extensions import db, rowcount

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass
class TrailFilter:
    action: str = ""
    object_type: str = ""
    actor: str = ""
    since: date | None = None  # first day shown, Amsterdam time
    until: date | None = None  # last day shown, Amsterdam time


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=AMSTERDAM)


def trail(chosen: TrailFilter) -> Select:
    """Entries matching ``chosen``, newest first (ties by id, so pages never overlap)."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if chosen.action:
        query = query.where(AuditEvent.action == chosen.action)
    if chosen.object_type:
        query = query.where(AuditEvent.object_type == chosen.object_type)
    if chosen.actor.strip():
        query = query.where(AuditEvent.actor.icontains(chosen.actor.strip(), autoescape=True))
    if chosen.since:
        query = query.where(AuditEvent.at >= _day_start(chosen.since))
    if chosen.until:
        query = query.where(AuditEvent.at < _day_start(chosen.until + timedelta(days=1)))
    return query


def object_types() -> list[str]:
    """The kinds of object the trail mentions, for the filter's choices: one query."""
    return list(db.session.scalars(select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)))


def prune(older_than_days: int, *, now: datetime) -> int:
    """Delete entries older than ``older_than_days`` days; the number deleted."""
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    result = db.session.execute(delete(AuditEvent).where(AuditEvent.at < now - timedelta(days=older_than_days)))
    return rowcount(result) or 0
