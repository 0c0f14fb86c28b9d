"""Builders for the evaluation tests: a series whose sessions already happened, people present."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from planner.attendance.models import Attendance, Presence, Via
from planner.evaluations.catalogue import ensure_builtin_forms
from planner.extensions import db
from planner.series.scheduling import AMSTERDAM, Rhythm, RhythmKind, local_datetime
from planner.series.services import publish_series
from planner.timekeeping import utcnow
from tests import factories


def past_series(programme, actor=None, *, last_days_ago: int = 1, **overrides):
    """A published weekly series of four sessions (19:30–21:30 in Amsterdam), the last one ended
    at least ``last_days_ago`` days (of 24 hours) ago and less than a day before that.

    Measured from now rather than from today's date, so the margin holds at any hour; public
    holidays are not skipped, so no session moves into the future on Good Friday or Christmas.
    """
    values = {
        "count": 4,
        "rhythm": Rhythm(RhythmKind.WEEKLY),
        "start": time(19, 30),
        "end": time(21, 30),
        "title": "Ontmoeting Gendt",
    }
    values.update(overrides)
    ended_by = utcnow() - timedelta(days=last_days_ago)
    last = ended_by.astimezone(AMSTERDAM).date()
    if local_datetime(last, values["end"]) > ended_by:
        last -= timedelta(days=1)
    values.setdefault("first_day", last - timedelta(weeks=values["count"] - 1))
    planned_at = datetime.combine(values["first_day"] - timedelta(days=30), time(9), tzinfo=UTC)
    series = factories.make_series(programme, actor, now=planned_at, holidays={}, **values)
    publish_series(series, now=planned_at)
    ensure_builtin_forms()
    db.session.commit()
    return series


def mark(session, person, status: str = Presence.PRESENT):
    db.session.add(Attendance(session_id=session.id, person_id=person.id, status=status, via=Via.ORGANISER))
    db.session.commit()


def present(session, **person_overrides):
    person = factories.make_person(**person_overrides)
    mark(session, person)
    return person
