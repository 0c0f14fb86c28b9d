"""The rules of planning: a series from a template, and every change to its sessions."""

from __future__ import annotations

import calendar
import secrets
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from urllib.parse import urlsplit

from sqlalchemy import select, true
from sqlalchemy.orm import contains_eager, selectinload

from planner.extensions import db
from planner.plain_text import name_key
from planner.programmes.models import Programme, programmes_visible_to
from planner.query_plans import not_by_index
from planner.series.catalogue import TEMPLATES
from planner.series.date_rules import check_free_day
from planner.series.errors import SeriesError
from planner.series.hooks import SessionChange, SessionSnapshot, session_changed, snapshot, visible_changes
from planner.series.models import Series, SeriesStatus, Session, SessionStatus, Venue
from planner.series.scheduling import ProposedSession, Rhythm, RhythmKind, local_datetime, propose_dates
from planner.timekeeping import as_utc, planning_zone, utcnow

PLANNING_HORIZON_YEARS = 5


@dataclass(frozen=True)
class SeriesPlan:
    """What an organiser fills in to start a series."""

    template_key: str
    title: str
    first_day: date
    start: time
    end: time
    rhythm: Rhythm
    count: int
    municipality: str = ""
    venue: Venue | None = None
    description: str = ""
    # Hand-picked dates on a holiday or blocked date are kept only when the organiser said so.
    plan_anyway: bool = False


@dataclass
class SessionDetails:
    """Everything an organiser can set on one session."""

    day: date
    start: time
    end: time
    title: str
    theme: str = ""
    agenda: str = ""
    venue: Venue | None = None
    online_url: str = ""
    capacity: int | None = None
    audiences: list[str] = field(default_factory=list)


def _duration(day: date, start: time, end: time) -> timedelta:
    duration = datetime.combine(day, end) - datetime.combine(day, start)
    if duration <= timedelta(0):
        raise SeriesError("end_before_start")
    return duration


def propose_series(
    programme: Programme, plan: SeriesPlan, *, holidays: Mapping[date, str], now: datetime | None = None
) -> list[ProposedSession]:
    """The sessions a plan would create, with the dates that had to move and why."""
    template = TEMPLATES.get(plan.template_key)
    if template is None:
        raise SeriesError("unknown_template")
    if not plan.title.strip():
        raise SeriesError("title_required")
    manual = plan.rhythm.kind == RhythmKind.MANUAL and plan.rhythm.dates
    first_day = min(plan.rhythm.dates) if manual else plan.first_day
    check_horizon(max(plan.rhythm.dates) if manual else first_day, now)
    proposals = propose_dates(
        template,
        datetime.combine(first_day, plan.start),
        plan.rhythm,
        plan.count,
        programme.blocked(),
        holidays,
        duration=_duration(first_day, plan.start, plan.end),
        tz=planning_zone(),
    )
    if proposals[0].starts_utc <= (now or utcnow()):
        raise SeriesError("in_the_past", day=first_day)
    return proposals


def create_series(
    programme: Programme,
    plan: SeriesPlan,
    actor,
    *,
    holidays: Mapping[date, str],
    now: datetime | None = None,
) -> Series:
    """A draft series with the proposed sessions, ready for the organiser to adjust."""
    proposals = propose_series(programme, plan, holidays=holidays, now=now)
    if any(p.conflict for p in proposals) and not plan.plan_anyway:
        raise SeriesError("hand_picked_conflict")
    series = Series(
        programme=programme,
        template_key=plan.template_key,
        title=plan.title.strip(),
        municipality=plan.municipality.strip(),
        description=plan.description.strip(),
        venue=plan.venue,
        timezone=planning_zone().key,
        status=SeriesStatus.DRAFT,
        created_by=actor,
    )
    for proposal in proposals:
        session = Session(
            title=proposal.title or series.title,
            theme=proposal.theme,
            agenda=proposal.agenda,
            starts_at=proposal.starts_utc,
            ends_at=proposal.ends_utc,
            timezone=series.timezone,
            capacity=plan.venue.capacity if plan.venue else None,
        )
        session.audiences = proposal.audiences
        series.sessions.append(session)
    db.session.add(series)
    db.session.flush()
    for session in series.sessions:
        session_changed(SessionChange(session, None, now or utcnow()))
    return series


def venue_named(name: str, *, address: str = "", municipality: str = "") -> Venue:
    """The venue of this name in this municipality (capitals and spacing aside), or a new one:
    typing a known venue's name again must not make a second (which its unique key refuses)."""
    name, municipality = name.strip(), municipality.strip()
    wanted = (name_key(name), name_key(municipality))
    for venue in db.session.scalars(select(Venue)):  # a list one picks from: short
        if (name_key(venue.name), name_key(venue.municipality)) == wanted:
            return venue
    return Venue(name=name, address=address.strip(), municipality=municipality)


def check_horizon(day: date, now: datetime | None = None) -> None:
    """Plans reach a few years ahead; a typo like 2207 gets a message, not a calendar overflow."""
    today = (now or utcnow()).astimezone(planning_zone()).date()
    if day > today.replace(year=today.year + PLANNING_HORIZON_YEARS, day=min(today.day, 28)):
        raise SeriesError("too_far_ahead", years=PLANNING_HORIZON_YEARS)


def _times(series: Series, details: SessionDetails, now: datetime | None = None) -> tuple[datetime, datetime]:
    check_horizon(details.day, now)
    _duration(details.day, details.start, details.end)
    return (
        local_datetime(details.day, details.start, series.zone),
        local_datetime(details.day, details.end, series.zone),
    )


def _apply(session: Session, details: SessionDetails, starts: datetime, ends: datetime) -> None:
    """Copy details onto a session."""
    if not details.title.strip():
        raise SeriesError("title_required")
    if details.capacity is not None and details.capacity < 1:
        raise SeriesError("capacity_too_low")
    if details.online_url.strip() and urlsplit(details.online_url.strip()).scheme not in ("https", "http"):
        raise SeriesError("invalid_url")
    session.starts_at, session.ends_at = starts, ends
    session.title = details.title.strip()
    session.theme = details.theme.strip()
    session.agenda = details.agenda.strip()
    session.venue = details.venue
    session.venue_id = details.venue.id if details.venue else None
    session.online_url = details.online_url.strip()
    session.capacity = details.capacity
    session.audiences = details.audiences


def _changed(session: Session, before: SessionSnapshot, now: datetime, *, tell_minor: bool = True) -> None:
    """A change a participant's calendar would show raises the session's sequence, so the
    update replaces the old entry; then the listeners act on it (calendar updates, seats).
    ``tell_minor=False``: a change that is only a correction (``MINOR_CHANGES``) is not mailed."""
    if session.status != before.status or visible_changes(before, snapshot(session)):
        session.sequence += 1
        session.changed_at = now
    db.session.flush()
    session_changed(SessionChange(session, before, now, tell_minor=tell_minor))


def refuse_if_archived(series: Series) -> None:
    """An archived series is read-only for every change that would mail people."""
    if series.is_archived:
        raise SeriesError("archived")


def update_session(
    session: Session,
    details: SessionDetails,
    *,
    now: datetime | None = None,
    holidays: Mapping[date, str] | None = None,
    plan_anyway: bool = False,
) -> None:
    """Change a session. Those who come get a calendar update saying what changed; a higher
    capacity gives the new places to the waiting list. A new date on a public holiday or a
    blocked date needs ``plan_anyway`` (see ``date_rules.py``)."""
    now = now or utcnow()
    refuse_if_archived(session.series)
    if session.is_cancelled:
        raise SeriesError("already_cancelled")
    starts, ends = _times(session.series, details)
    if details.day != session.local_start.date():
        check_free_day(session.series.programme, details.day, holidays=holidays, plan_anyway=plan_anyway)
    before = snapshot(session)
    _apply(session, details, starts, ends)
    _changed(session, before, now)


@dataclass
class SeriesDetails:
    title: str
    municipality: str = ""
    description: str = ""
    venue: Venue | None = None
    reminder_days: int | None = None  # None: unchanged
    # A new title alone is a correction participants need not be mailed about (their subscribed
    # calendars follow): mailed only when asked. A new venue is always mailed.
    tell_participants: bool = True


def update_series_details(series: Series, details: SeriesDetails, *, now: datetime | None = None) -> None:
    """Change a series. Its title is every session's calendar title, and its venue the place of
    sessions without their own: coming sessions that look different get a calendar update."""
    title = details.title.strip()
    if not title:
        raise SeriesError("title_required")
    now = now or utcnow()
    refuse_if_archived(series)
    coming = [s for s in series.sessions if not s.is_cancelled and as_utc(s.ends_at) > now]
    before = {s.id: snapshot(s) for s in coming}
    series.title = title
    series.municipality = details.municipality.strip()
    series.description = details.description.strip()
    series.venue = details.venue
    if details.reminder_days is not None:
        series.reminder_days = details.reminder_days
    for session in coming:
        _changed(session, before[session.id], now, tell_minor=details.tell_participants)


def add_session(
    series: Series,
    details: SessionDetails,
    *,
    now: datetime | None = None,
    holidays: Mapping[date, str] | None = None,
    plan_anyway: bool = False,
) -> Session:
    now = now or utcnow()
    refuse_if_archived(series)
    starts, ends = _times(series, details, now)
    if starts <= now:
        raise SeriesError("in_the_past", day=details.day)
    check_free_day(series.programme, details.day, holidays=holidays, plan_anyway=plan_anyway)
    session = Session(timezone=series.timezone, sequence=0, title="", theme="", agenda="", online_url="")
    _apply(session, details, starts, ends)
    series.sessions.append(session)
    db.session.flush()
    session_changed(SessionChange(session, None, now))
    return session


def remove_session(session: Session, *, now: datetime | None = None) -> None:
    """Only a draft can lose sessions; once people may know of one, cancel it instead."""
    series = session.series
    refuse_if_archived(series)
    if series.is_published:
        raise SeriesError("remove_published")
    if len(series.sessions) <= 1:
        raise SeriesError("last_session")
    session_changed(SessionChange(session, snapshot(session), now or utcnow(), removed=True))
    series.sessions.remove(session)
    db.session.flush()


def cancel_session(session: Session, reason: str, *, now: datetime | None = None) -> None:
    """Those who come get METHOD:CANCEL, which takes it out of their calendar."""
    refuse_if_archived(session.series)
    if session.is_cancelled:
        raise SeriesError("already_cancelled")
    if not reason.strip():
        raise SeriesError("reason_required", form_field="reason")
    before = snapshot(session)
    session.status = SessionStatus.CANCELLED
    session.cancel_reason = reason.strip()
    _changed(session, before, now or utcnow())


def publish_series(series: Series, *, now: datetime | None = None) -> None:
    refuse_if_archived(series)
    if series.is_published:
        raise SeriesError("already_published")
    if not any(not s.is_cancelled for s in series.sessions):
        raise SeriesError("nothing_to_publish")
    series.status = SeriesStatus.PUBLISHED
    series.published_at = now or utcnow()
    db.session.flush()


FEED_TOKEN_BYTES = 24  # 192 random bits: the address cannot be counted or guessed


def open_public_feed(series: Series) -> str:
    """Offer the series' sessions as a public calendar feed, at a new unguessable address.

    Opening it again gives a new address: the old one (shared too widely, say) stops working.
    The feed holds the sessions only, never anyone's name or a cancellation's reason.
    """
    series.public_feed_token = secrets.token_urlsafe(FEED_TOKEN_BYTES)
    db.session.flush()
    return series.public_feed_token


def close_public_feed(series: Series) -> None:
    """No public feed any more: its address gives a 404."""
    series.public_feed_token = None
    db.session.flush()


def sessions_between(
    user, start: datetime, end: datetime, programme: Programme | None = None, *, include_archived: bool = False
) -> list[Session]:
    """Sessions of the programmes ``user`` may see (or of one of them), starting in [start, end);
    those of archived series only with ``include_archived``."""
    visible = programmes_visible_to(user).with_only_columns(Programme.id).order_by(None)
    if programme is not None:
        visible = visible.where(Programme.id == programme.id)
    shown = true() if include_archived else Series.status != SeriesStatus.ARCHIVED
    return list(
        db.session.scalars(
            select(Session)
            .join(Series, Series.id == not_by_index(Session.series_id))  # start from the range on starts_at
            .join(Series.programme)
            .where(Series.programme_id.in_(visible), shown, Session.starts_at >= start, Session.starts_at < end)
            .options(
                contains_eager(Session.series).options(contains_eager(Series.programme), selectinload(Series.venue)),
                selectinload(Session.venue),
            )
            .order_by(Session.starts_at, Session.id)
        ).unique()
    )


def month_bounds(year: int, month: int, tz: tzinfo | None = None) -> tuple[datetime, datetime]:
    """The start of the month and of the next, in ``tz`` (by default the planning zone)."""
    tz = tz or planning_zone()
    first = datetime(year, month, 1, tzinfo=tz)
    nxt = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return first, nxt


def month_grid(year: int, month: int, sessions: list[Session]) -> list[list[tuple[date, list[Session]]]]:
    """Weeks (Monday first) of (day, that day's sessions) covering the month."""
    by_day: dict[date, list[Session]] = defaultdict(list)
    for session in sessions:
        by_day[session.local_start.date()].append(session)
    return [
        [(day, by_day.get(day, [])) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
