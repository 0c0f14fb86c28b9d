"""One rule for every date an organiser types: a public holiday or a blocked date of the learning
studio is never taken without a word, and never changed without asking.

The rhythm of a new series steps over such dates by itself (``scheduling.py``); a date picked
by hand (a hand-picked rhythm, a session added or moved, the dates of a copied series) stays
where it was picked, but only once the organiser said "plan anyway" (``plan_anyway``): until
then the service refuses with a code in ``PLAN_ANYWAY_CODES``, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from planner.programmes.models import Programme
from planner.series.errors import SeriesCode, SeriesError
from planner.series.scheduling import Move, date_conflict, dutch_holidays

# The refusals a page answers with a "plan anyway" button rather than only a message.
PLAN_ANYWAY_CODES = frozenset({SeriesCode.ON_HOLIDAY, SeriesCode.ON_BLOCKED_DATE, SeriesCode.HAND_PICKED_CONFLICT})


def offers_plan_anyway(error) -> bool:
    """The refusal goes away when the organiser confirms the date (see ``check_free_day``)."""
    return error is not None and error.code in PLAN_ANYWAY_CODES


def conflicts(
    programme: Programme, days: Iterable[date], holidays: Mapping[date, str] | None = None
) -> dict[date, Move]:
    """The days among ``days`` that fall on a public holiday or a blocked date, with why."""
    holidays = dutch_holidays() if holidays is None else holidays
    blocked = programme.blocked()
    found = {}
    for day in days:
        conflict = date_conflict(day, blocked, holidays)
        if conflict is not None:
            found[day] = conflict
    return found


def check_free_day(
    programme: Programme,
    day: date,
    *,
    holidays: Mapping[date, str] | None = None,
    plan_anyway: bool = False,
    form_field: str | None = "day",
) -> None:
    """Refuse ``day`` when it is a holiday or blocked, unless the organiser confirmed it."""
    if plan_anyway:
        return
    conflict = conflicts(programme, [day], holidays).get(day)
    if conflict is None:
        return
    if conflict.kind == "holiday":
        raise SeriesError("on_holiday", form_field=form_field, day=day, name=conflict.reason)
    raise SeriesError("on_blocked_date", form_field=form_field, day=day, reason=conflict.reason)
