"""Years of series for the benchmarks, inserted in bulk (one executemany per table and batch).

The first series of a world is made by the app itself (``create_series``, ``publish_series``),
so every row the bulk inserts copy (the evaluation form of a session, the template) is one the
app would make; the rest are plain rows: series, their sessions and evaluation rows, people,
invitations, answers, presences and evaluation requests.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, time as clock, timedelta

from sqlalchemy import insert, select

from planner.attendance.models import Attendance, Presence, Via
from planner.auth.services import create_staff_user
from planner.evaluations.models import EvaluationRequest, SessionEvaluation
from planner.extensions import db
from planner.invitations.models import Answer, Invitation, Rsvp, Seat
from planner.people.models import Person, PersonRole
from planner.privacy.purge import PLACEHOLDER_NAME
from planner.programmes.services import save_programme
from planner.series.models import Series, SeriesStatus, Session
from planner.series.retention import purge_due_at
from planner.series.scheduling import Rhythm, RhythmKind
from planner.series.services import SeriesPlan, create_series, publish_series

PASSWORD = "benchmark password"
SESSIONS = 5  # weekly, 19:30–21:30 in the first series' zone
BATCH = 500  # series per round of inserts


@dataclass
class World:
    now: datetime
    organiser_id: int
    programme_ids: list[int]
    form_id: int
    days_between: float  # between the first sessions of two neighbouring series
    invitees: int  # people per series, each answering yes to every session
    series: int = 0  # how many exist, the newest first
    newest_series_id: int = 0
    series_ids: list[int] = field(default_factory=list)


def start_world(*, now: datetime, days_between: float, invitees: int, email: str = "bench@example.org") -> World:
    """An organiser, four learning studios and one series made by the app (the newest)."""
    organiser = create_staff_user(email, "Bench Organiser", PASSWORD)
    programmes = [
        save_programme(None, name=f"Leeratelier {n}", description="", organisers=[organiser], trekkers=[])
        for n in range(4)
    ]
    first_day = _first_start(now, 0).date()
    series = create_series(
        programmes[0],
        SeriesPlan(
            template_key="ontmoetingenreeks",
            title="Ontmoeting 0",
            first_day=first_day,
            start=clock(19, 30),
            end=clock(21, 30),
            rhythm=Rhythm(RhythmKind.WEEKLY),
            count=SESSIONS,
        ),
        organiser,
        holidays={},
        now=now - timedelta(days=1),
    )
    publish_series(series, now=now - timedelta(days=1))
    db.session.flush()
    form_id = db.session.scalar(
        select(SessionEvaluation.form_id).where(SessionEvaluation.session_id == series.sessions[0].id)
    )
    world = World(now, organiser.id, [p.id for p in programmes], form_id or 0, days_between, invitees, series=1)
    world.newest_series_id = series.id
    world.series_ids.append(series.id)
    db.session.commit()
    return world


def _first_start(now: datetime, n: int, days_between: float = 0) -> datetime:
    """The first session of series ``n`` (0 the newest): the newest starts four weeks from now."""
    newest = datetime.combine(now.date() + timedelta(weeks=4), clock(18, 30), tzinfo=UTC)
    return newest - timedelta(days=n * days_between)


def _ids(model, rows: list[dict]) -> list[int]:
    if not rows:
        return []
    return list(db.session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), rows))


def grow(world: World, total: int) -> None:
    """Older series until the world holds ``total``; those past their retention are purged, as the
    job would have left them: links withdrawn, people anonymised, reminders long sent."""
    while world.series < total:
        batch = range(world.series, min(total, world.series + BATCH))
        _add_batch(world, batch)
        world.series = batch.stop
        db.session.commit()


def _add_batch(world: World, numbers: range) -> None:
    now = world.now
    firsts = {n: _first_start(now, n, world.days_between) for n in numbers}
    last_ends = {n: firsts[n] + timedelta(weeks=SESSIONS - 1, hours=2) for n in numbers}
    purged = {n: (purge_due_at(last_ends[n], 12) or now) <= now - timedelta(days=30) for n in numbers}
    series_ids = _ids(
        Series,
        [
            {
                "programme_id": world.programme_ids[n % len(world.programme_ids)],
                "template_key": "ontmoetingenreeks",
                "title": f"Ontmoeting {n}",
                "status": SeriesStatus.PUBLISHED,
                "created_by_id": world.organiser_id,
                "created_at": firsts[n] - timedelta(days=60),
                "published_at": firsts[n] - timedelta(days=59),
                "purged_at": last_ends[n] + timedelta(days=370) if purged[n] else None,
            }
            for n in numbers
        ],
    )
    world.series_ids.extend(series_ids)
    session_rows = []
    for n, series_id in zip(numbers, series_ids, strict=True):
        for k in range(SESSIONS):
            starts = firsts[n] + timedelta(weeks=k)
            session_rows.append(
                {
                    "series_id": series_id,
                    "title": f"Bijeenkomst {k + 1}",
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=2),
                }
            )
    session_ids = _ids(Session, session_rows)
    db.session.execute(
        insert(SessionEvaluation),
        [{"session_id": sid, "form_id": world.form_id, "short_code": secrets.token_hex(6)} for sid in session_ids],
    )
    if world.invitees:
        _add_people(world, numbers, series_ids, session_ids, session_rows, purged)


def _add_people(world, numbers, series_ids, session_ids, session_rows, purged) -> None:
    now = world.now
    people_rows = []
    for n in numbers:
        for i in range(world.invitees):
            gone = purged[n]
            people_rows.append(
                {
                    "name": PLACEHOLDER_NAME if gone else f"Deelnemer {n}-{i}",
                    "email": None if gone else f"d{n}-{i}@example.org",
                    "role": PersonRole.RESIDENT,
                    "municipality": f"Gemeente {n % 20}",
                    "anonymised_at": now - timedelta(days=1) if gone else None,
                }
            )
    person_ids = _ids(Person, people_rows)
    invitation_rows = []
    for index, (n, series_id) in enumerate(zip(numbers, series_ids, strict=True)):
        for i in range(world.invitees):
            invitation_rows.append(
                {
                    "series_id": series_id,
                    "person_id": person_ids[index * world.invitees + i],
                    "token": None if purged[n] else secrets.token_urlsafe(24),
                    "created_at": session_rows[index * SESSIONS]["starts_at"] - timedelta(days=50),
                }
            )
    invitation_ids = _ids(Invitation, invitation_rows)
    rsvps, presences, requests = [], [], []
    for index, n in enumerate(numbers):
        sessions = session_ids[index * SESSIONS : (index + 1) * SESSIONS]
        first_end = session_rows[index * SESSIONS]["ends_at"]
        for i in range(world.invitees):
            invitation_id = invitation_ids[index * world.invitees + i]
            person_id = person_ids[index * world.invitees + i]
            answered = session_rows[index * SESSIONS]["starts_at"] - timedelta(days=40)
            rsvps += [
                {
                    "invitation_id": invitation_id,
                    "session_id": sid,
                    "answer": Answer.YES,
                    "seat": Seat.CONFIRMED,
                    "answered_at": answered,
                }
                for sid in sessions
            ]
            if first_end < now:  # the first session happened: they came and were asked to evaluate
                presences.append(
                    {
                        "session_id": sessions[0],
                        "person_id": person_id,
                        "status": Presence.PRESENT,
                        "via": Via.ORGANISER,
                    }
                )
                sent = first_end + timedelta(hours=2)
                requests.append(
                    {
                        "session_id": sessions[0],
                        "person_id": person_id,
                        "token": None if purged[n] else secrets.token_urlsafe(24),
                        "sent_at": sent,
                        "reminded_at": sent + timedelta(days=3) if first_end < now - timedelta(days=40) else None,
                        "answered": False,
                    }
                )
    for model, rows in ((Rsvp, rsvps), (Attendance, presences), (EvaluationRequest, requests)):
        if rows:
            db.session.execute(insert(model), rows)
