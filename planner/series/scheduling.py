"""Propose the dates of a series: a pure function of the rhythm and the calendar.

Nothing here knows about Flask or the database, so the rules can be tested with
plain dates, including the nights the clocks change.
"""

from __future__ import annotations

import calendar
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays as holiday_calendars

from planner.series.errors import SchedulingError

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# How many rhythm slots we may skip before we give up looking for free dates.
MAX_SKIPS = 60


class RhythmKind(enum.StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"
    MANUAL = "manual"


@dataclass(frozen=True)
class Rhythm:
    kind: RhythmKind
    dates: tuple[date, ...] = ()

    @classmethod
    def manual(cls, dates: Sequence[date]) -> Rhythm:
        return cls(RhythmKind.MANUAL, tuple(dates))


@dataclass(frozen=True)
class Move:
    """A date the rhythm pointed at but that could not be used."""

    day: date
    kind: str  # "holiday" or "blocked"
    reason: str


@dataclass(frozen=True)
class ProposedSession:
    position: int
    starts: datetime  # aware, in the planning time zone
    ends: datetime
    title: str = ""
    theme: str = ""
    agenda: str = ""
    audiences: tuple[str, ...] = ()
    moves: tuple[Move, ...] = field(default=())
    # A hand-picked date on a holiday or blocked date stays where it was picked (never moved
    # silently): ``conflict`` says why it needs a look, ``suggestion`` the next free date a week on.
    conflict: Move | None = None
    suggestion: date | None = None

    @property
    def starts_utc(self) -> datetime:
        return self.starts.astimezone(UTC)

    @property
    def ends_utc(self) -> datetime:
        return self.ends.astimezone(UTC)


def dutch_holidays(language: str = "nl") -> Mapping[date, str]:
    """Dutch public holidays for any year asked about, named in ``language``."""
    return holiday_calendars.country_holidays("NL", language="en_US" if language == "en" else "nl")


def local_datetime(day: date, at: time, tz: ZoneInfo = AMSTERDAM) -> datetime:
    """``day`` at wall-clock time ``at`` in ``tz``; refuses a time the clocks skip.

    On the last Sunday of March 02:00–03:00 does not exist in Amsterdam. In the
    October hour that happens twice we take the first (summer time), as people expect.
    """
    local = datetime.combine(day, at, tzinfo=tz)
    round_trip = local.astimezone(UTC).astimezone(tz)
    if round_trip.replace(tzinfo=None) != local.replace(tzinfo=None):
        raise SchedulingError("nonexistent_time", day=day, time=at)
    return local


def session_times(day: date, start: time, duration: timedelta, tz: ZoneInfo = AMSTERDAM):
    """Start and end of a session on ``day``; the end is wall-clock start plus duration."""
    starts = local_datetime(day, start, tz)
    naive_end = datetime.combine(day, start) + duration
    ends = local_datetime(naive_end.date(), naive_end.time(), tz)
    if ends <= starts:
        raise SchedulingError("end_before_start", day=day)
    return starts, ends


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th ``weekday`` of a month; n = -1 means the last one."""
    days = [
        week[weekday] for week in calendar.Calendar().monthdatescalendar(year, month) if week[weekday].month == month
    ]
    return days[-1] if n == -1 else days[n - 1]


def _rhythm_day(first: date, kind: RhythmKind, k: int) -> date:
    if kind == RhythmKind.WEEKLY:
        return first + timedelta(weeks=k)
    if kind == RhythmKind.FORTNIGHTLY:
        return first + timedelta(weeks=2 * k)
    # Monthly on the same weekday: "the second Tuesday"; from the 29th on, "the last Tuesday".
    n = (first.day - 1) // 7 + 1
    if n == 5:
        n = -1
    month_index = first.month - 1 + k
    return _nth_weekday(first.year + month_index // 12, month_index % 12 + 1, first.weekday(), n)


def date_conflict(day: date, blocked: Mapping[date, str], holidays: Mapping[date, str]) -> Move | None:
    """Why ``day`` is no day for a session (a public holiday, a blocked date), or None."""
    return _conflict(day, blocked, holidays)


def _conflict(day: date, blocked: Mapping[date, str], holidays: Mapping[date, str]) -> Move | None:
    if day in holidays:
        return Move(day, "holiday", str(holidays.get(day)))
    if day in blocked:
        return Move(day, "blocked", blocked[day])
    return None


def propose_dates(
    template,
    first: datetime,
    rhythm: Rhythm,
    count: int,
    blocked: Mapping[date, str],
    holidays: Mapping[date, str],
    *,
    duration: timedelta | None = None,
    tz: ZoneInfo = AMSTERDAM,
) -> list[ProposedSession]:
    """Propose ``count`` sessions from ``first`` (a wall-clock time in ``tz``).

    A date on a public holiday or a blocked date is skipped and the session takes the
    next date on the rhythm; later sessions keep the rhythm from there. Each proposal lists
    the dates it skipped and why. Hand-picked dates are never moved: one on a holiday or a
    blocked date keeps its place with its ``conflict`` and a ``suggestion``, for the organiser
    to choose.
    """
    if template is not None and not template.min_count <= count <= template.max_count:
        raise SchedulingError("count_out_of_range", minimum=template.min_count, maximum=template.max_count)
    if count < 1:
        raise SchedulingError("count_out_of_range", minimum=1, maximum=1)
    duration = duration or (template.duration if template is not None else timedelta(hours=2))
    start = first.time().replace(tzinfo=None)

    if rhythm.kind == RhythmKind.MANUAL:
        days = _place_manual(rhythm.dates, count, blocked, holidays)
    else:
        days = _place_on_rhythm(first.date(), rhythm.kind, count, blocked, holidays)

    specs = template.session_specs(count) if template is not None else []
    proposals = []
    for position, (day, moves, conflict, suggestion) in enumerate(days, start=1):
        starts, ends = session_times(day, start, duration, tz)
        spec = specs[position - 1] if position <= len(specs) else None
        proposals.append(
            ProposedSession(
                position=position,
                starts=starts,
                ends=ends,
                title=str(spec.title) if spec else "",
                theme=str(spec.theme) if spec else "",
                agenda=str(spec.agenda) if spec else "",
                audiences=tuple(str(a) for a in spec.audiences) if spec else (),
                moves=tuple(moves),
                conflict=conflict,
                suggestion=suggestion,
            )
        )
    return proposals


Placed = tuple[date, list[Move], Move | None, date | None]  # day, skipped, conflict, suggestion


def _place_on_rhythm(first, kind, count, blocked, holidays):
    placed: list[Placed] = []
    skipped: list[Move] = []
    k = 0
    while len(placed) < count:
        if k >= count + MAX_SKIPS:
            raise SchedulingError("no_free_date", day=first)
        day = _rhythm_day(first, kind, k)
        k += 1
        conflict = _conflict(day, blocked, holidays)
        if conflict:
            skipped.append(conflict)
            continue
        placed.append((day, skipped, None, None))
        skipped = []
    return placed


def _place_manual(dates, count, blocked, holidays):
    if not dates:
        raise SchedulingError("no_dates")
    if len(set(dates)) != len(dates):
        raise SchedulingError("duplicate_date")
    if len(dates) != count:
        raise SchedulingError("count_mismatch", count=count, dates=len(dates))
    placed: list[Placed] = []
    for day in sorted(dates):
        conflict = _conflict(day, blocked, holidays)
        suggestion = next_free_day(day, blocked, holidays, taken=set(dates)) if conflict else None
        placed.append((day, [], conflict, suggestion))
    return placed


def next_free_day(
    day: date, blocked: Mapping[date, str], holidays: Mapping[date, str], *, taken: set[date] | None = None
) -> date | None:
    """The first date a week, two weeks, ... after ``day`` that is free (and not ``taken``)."""
    for weeks in range(1, MAX_SKIPS + 1):
        candidate = day + timedelta(weeks=weeks)
        if not _conflict(candidate, blocked, holidays) and candidate not in (taken or set()):
            return candidate
    return None
