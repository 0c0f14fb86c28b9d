"""Builders for the evaluation tests: a series whose sessions already happened, people present."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from planner.attendance.models import Attendance, Presence, Via
from planner.evaluations.catalogue import ensure_builtin_forms
from planner.extensions import db
from planner.series.scheduling import Rhythm, RhythmKind
from planner.series.services import publish_series
from tests import factories


def past_series(programme, actor=None, *, last_days_ago: int = 1, **overrides):
    """A published weekly series of four sessions (19:30–21:30) whose last one was ``last_days_ago`` days ago."""
    first = date.today() - timedelta(days=last_days_ago + 21)
    values = {"first_day": first, "count": 4, "rhythm": Rhythm(RhythmKind.WEEKLY), "start": time(19, 30),
              "end": time(21, 30), "title": "Ontmoeting Gendt"}
    values.update(overrides)
    planned_at = datetime.combine(first - timedelta(days=30), time(9), tzinfo=UTC)
    series = factories.make_series(programme, actor, now=planned_at, **values)
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
