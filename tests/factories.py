"""Small builders for the objects tests need; each accepts overrides."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from itertools import count

from planner.auth.services import create_staff_user
from planner.extensions import db
from planner.programmes.models import ProgrammeMember
from planner.programmes.services import save_programme
from planner.series.scheduling import AMSTERDAM, Rhythm, RhythmKind, dutch_holidays
from planner.series.services import SeriesPlan, SessionDetails, create_series
from planner.timekeeping import utcnow

PASSWORD = "correct horse battery"
_numbers = count(1)


def make_user(**overrides):
    n = next(_numbers)
    values = {"email": f"staff{n}@example.org", "name": f"Staff Member {n}", "password": PASSWORD}
    values.update(overrides)
    user = create_staff_user(
        values["email"], values["name"], values["password"], is_admin=values.get("is_admin", False)
    )
    db.session.commit()
    return user


def make_programme(**overrides):
    programme = save_programme(
        None,
        name=overrides.get("name", f"Programme {next(_numbers)}"),
        description=overrides.get("description", ""),
        organisers=overrides.get("organisers", []),
        trekkers=overrides.get("trekkers", []),
    )
    db.session.commit()
    return programme


def add_member(programme, user, role: str):
    programme.members.append(ProgrammeMember(user=user, role=role))
    db.session.flush()


def today_in_amsterdam() -> date:
    """The planning calendar's date now, which is not the UTC date late in the evening."""
    return utcnow().astimezone(AMSTERDAM).date()


def is_quiet(first: date, weeks: int) -> bool:
    """The ``weeks`` weeks from ``first`` see no change of the clocks, and no public holiday on
    ``first``'s weekday (the day a weekly, fortnightly or monthly series from it meets)."""
    holidays = dutch_holidays("nl")
    days = [first + timedelta(days=n) for n in range(7 * weeks)]
    offsets = {datetime.combine(day, time(12), tzinfo=AMSTERDAM).utcoffset() for day in days}
    return len(offsets) == 1 and not any(day in holidays for day in days[::7])


def next_kings_day() -> date:
    """Koningsdag next year (27 April, the 26th when the 27th is a Sunday): ahead, within reach."""
    day = date(today_in_amsterdam().year + 1, 4, 27)
    return day - timedelta(days=1) if day.weekday() == 6 else day


def future_tuesday(weeks: int = 4, *, quiet_weeks: int = 8) -> date:
    """A Tuesday at least ``weeks`` weeks from today that starts ``quiet_weeks`` quiet weeks.

    Quiet: no public holiday moves a session and every session has the same UTC offset, so
    a series planned from it has the same shape whether the suite runs in December, on the
    night the clocks change or at 23:30 UTC (already tomorrow in Amsterdam).
    """
    today = today_in_amsterdam()
    day = today + timedelta(days=(1 - today.weekday()) % 7 + 7 * weeks)
    while not is_quiet(day, quiet_weeks):
        day += timedelta(weeks=1)
    return day


def make_plan(**overrides) -> SeriesPlan:
    values = {
        "template_key": "ontmoetingenreeks",
        "title": "Ontmoeting Gendt",
        "first_day": future_tuesday(),
        "start": time(19, 30),
        "end": time(21, 30),
        "rhythm": Rhythm(RhythmKind.WEEKLY),
        "count": 5,
        "municipality": "Lingewaard",
    }
    values.update(overrides)
    return SeriesPlan(**values)


def make_series(
    programme,
    actor=None,
    now: datetime | None = None,
    *,
    holidays: Mapping[date, str] | None = None,
    **overrides,
):
    if holidays is None:
        holidays = dutch_holidays("nl")
    series = create_series(programme, make_plan(**overrides), actor, holidays=holidays, now=now)
    db.session.commit()
    return series


def make_blocked_date(programme, day: date | None = None, reason: str = "Studiedag"):
    from planner.programmes.services import block_date

    blocked = block_date(programme, day or future_tuesday(30), reason)
    db.session.commit()
    return blocked


def add_session(series, weeks_after_last: int = 1):
    from planner.series.services import SessionDetails, add_session as add

    last = series.sessions[-1]
    session = add(
        series,
        SessionDetails(
            day=last.local_start.date() + timedelta(weeks=weeks_after_last),
            start=last.local_start.time(),
            end=last.local_end.time(),
            title="Extra",
            audiences=["residents"],
            venue=None,
        ),
    )
    db.session.commit()
    return session


def make_person(**overrides):
    from planner.people.services import create_person

    n = next(_numbers)
    values = {"name": f"Person {n}", "role": "resident", "email": f"person{n}@example.org"}
    values.update(overrides)
    person = create_person(**values)
    db.session.commit()
    return person


def make_invitation(series, person=None, sessions=None, **person_overrides):
    from planner.invitations.services import invite_people
    from planner.series.services import publish_series

    if not series.is_published:  # people are invited to published series only
        publish_series(series)
    person = person or make_person(**person_overrides)
    result = invite_people(series, [person], sessions)
    db.session.commit()
    return (result.invited or result.extended or result.unchanged)[0]


def details_of(session, **changes) -> SessionDetails:
    """The session's details as the edit form would send them, with ``changes`` applied."""
    values = {
        "day": session.local_start.date(),
        "start": session.local_start.time(),
        "end": session.local_end.time(),
        "title": session.title,
        "theme": session.theme,
        "agenda": session.agenda,
        "venue": session.venue,
        "online_url": session.online_url,
        "capacity": session.capacity,
        "audiences": [a.value for a in session.audiences],
    }
    values.update(changes)
    return SessionDetails(**values)


def session_form(session, **overrides) -> dict:
    """The session's edit form as a browser posts it, with ``overrides``."""
    data = {
        "title": session.title,
        "day": session.local_start.date().isoformat(),
        "start": session.local_start.strftime("%H:%M"),
        "end": session.local_end.strftime("%H:%M"),
        "venue": "0",
        "audiences": [a.value for a in session.audiences],
    }
    return data | overrides
