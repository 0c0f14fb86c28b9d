"""The next round: a series copied to new dates (or another municipality), a cancelled session
planned again, and a finished series archived.

A copy takes each session's title, theme, agenda, audiences, capacity and clock times; the
dates come from the same rhythm rules as a new series (``scheduling.propose_dates``), and the
organiser may change each one before anything is saved. The copy is a draft nobody is invited
to; the evaluation area gives each new session the form of the session it copies (its listener
reads ``SessionChange.copied_from``).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from planner.extensions import db
from planner.series.date_rules import conflicts
from planner.series.errors import SeriesError
from planner.series.hooks import SessionChange, session_changed, snapshot
from planner.series.models import Series, SeriesStatus, Session, SessionStatus, Venue
from planner.series.scheduling import ProposedSession, Rhythm, RhythmKind, local_datetime, propose_dates
from planner.series.services import _changed, check_horizon, refuse_if_archived
from planner.timekeeping import as_utc, planning_zone, utcnow


@dataclass(frozen=True)
class CopyPlan:
    """Where and when the next round goes: the organiser's answers on the first step."""

    title: str
    first_day: date
    rhythm: RhythmKind
    municipality: str = ""
    venue: Venue | None = None


def usual_rhythm(series: Series) -> RhythmKind:
    """The rhythm the series' sessions kept: weekly, every two weeks, or else monthly."""
    days = [s.local_start.date() for s in series.sessions]
    gaps = {(b - a).days for a, b in itertools.pairwise(days)}
    if gaps == {7}:
        return RhythmKind.WEEKLY
    if gaps == {14}:
        return RhythmKind.FORTNIGHTLY
    return RhythmKind.MONTHLY if gaps and min(gaps) >= 28 else RhythmKind.WEEKLY


def propose_copy(
    source: Series, plan: CopyPlan, *, holidays: Mapping[date, str], now: datetime | None = None
) -> list[ProposedSession]:
    """One proposed date per session of ``source``, on the plan's rhythm from its first day,
    skipping holidays and blocked dates as a new series does; each keeps its own clock times."""
    now = now or utcnow()
    if not plan.title.strip():
        raise SeriesError("title_required", form_field="title")
    check_horizon(plan.first_day, now)
    first = source.sessions[0]
    proposals = propose_dates(
        None,
        datetime.combine(plan.first_day, first.local_start.time()),
        Rhythm(plan.rhythm),
        len(source.sessions),
        source.programme.blocked(),
        holidays,
        duration=first.local_end - first.local_start,
        tz=planning_zone(),
    )
    if proposals[0].starts_utc <= now:
        raise SeriesError("in_the_past", form_field="first_day", day=plan.first_day)
    return proposals


def duplicate_series(
    source: Series,
    plan: CopyPlan,
    days: Sequence[date],
    actor,
    *,
    holidays: Mapping[date, str],
    plan_anyway: bool = False,
    now: datetime | None = None,
) -> Series:
    """A draft copy of ``source`` with its sessions on ``days`` (one per session, in order),
    in one transaction: nothing is saved when one date is refused."""
    now = now or utcnow()
    title = plan.title.strip()
    if not title:
        raise SeriesError("title_required", form_field="title")
    if len(days) != len(source.sessions):
        raise SeriesError("dates_mismatch", count=len(source.sessions))
    for day in days:
        check_horizon(day, now)
    found = conflicts(source.programme, days, holidays)
    if found and not plan_anyway:
        raise SeriesError("hand_picked_conflict")
    copy = Series(
        programme=source.programme,
        template_key=source.template_key,
        title=title,
        municipality=plan.municipality.strip(),
        description=source.description,
        venue=plan.venue,
        timezone=source.timezone,
        status=SeriesStatus.DRAFT,
        created_by=actor,
        reminder_days=source.reminder_days,
        evaluation_delay_hours=source.evaluation_delay_hours,
    )
    same_place = plan.venue is not None and plan.venue.id == source.venue_id
    pairs = []
    for original, day in zip(source.sessions, days, strict=True):
        session = _copy_of(original, day, copy, keep_venue=same_place)
        if session.starts_at <= now:
            raise SeriesError("in_the_past", day=day)
        copy.sessions.append(session)
        pairs.append((session, original))
    db.session.add(copy)
    db.session.flush()
    for session, original in pairs:
        session_changed(SessionChange(session, None, now, copied_from=original))
    return copy


def _copy_of(original: Session, day: date, copy: Series, *, keep_venue: bool) -> Session:
    """The session on ``day`` at its own wall-clock times (DST-proof: times, not offsets)."""
    zone = copy.zone
    length_in_days = (original.local_end.date() - original.local_start.date()).days
    session = Session(
        title=original.title,
        theme=original.theme,
        agenda=original.agenda,
        starts_at=local_datetime(day, original.local_start.time().replace(tzinfo=None), zone),
        ends_at=local_datetime(
            day + timedelta(days=length_in_days), original.local_end.time().replace(tzinfo=None), zone
        ),
        timezone=copy.timezone,
        capacity=original.capacity,
        venue=original.venue if keep_venue else None,
        online_url="",
    )
    if session.ends_at <= session.starts_at:
        raise SeriesError("end_before_start")
    session.audiences = [a.value for a in original.audiences]
    return session


def reinstate_session(session: Session, *, now: datetime | None = None) -> None:
    """A cancelled session is planned again: its calendar SEQUENCE goes up and everyone who
    had it in their calendar (yes with a seat, or maybe) gets a fresh invite; free seats go
    to the waiting list (the invitations area's listener, as for every change)."""
    now = now or utcnow()
    refuse_if_archived(session.series)
    if not session.is_cancelled:
        raise SeriesError("not_cancelled")
    if as_utc(session.starts_at) <= now:
        raise SeriesError("session_over")
    before = snapshot(session)
    session.status = SessionStatus.SCHEDULED
    session.cancel_reason = ""
    _changed(session, before, now)


def is_finished(series: Series, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return bool(series.sessions) and all(as_utc(s.ends_at) <= now for s in series.sessions)


def archive_series(series: Series, *, now: datetime | None = None) -> None:
    """Out of the default lists, read-only for changes that would mail people."""
    if series.is_archived:
        raise SeriesError("archived")
    if not is_finished(series, now):
        raise SeriesError("not_finished")
    series.status = SeriesStatus.ARCHIVED
    db.session.flush()


def restore_series(series: Series) -> None:
    """Back from the archive: published again, or a draft if it never was published."""
    if not series.is_archived:
        raise SeriesError("not_archived")
    series.status = SeriesStatus.PUBLISHED if series.published_at is not None else SeriesStatus.DRAFT
    db.session.flush()
