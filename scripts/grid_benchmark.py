"""Time the person × session grid (the invitations page) with 2,000 invitees and 4 sessions.

    .venv/bin/python scripts/grid_benchmark.py [--people 2000] [--database-url URL]

Builds a scratch database (SQLite in a temporary folder unless --database-url is given; that
database's public schema is emptied first) with answers, waiting lists, attendance, needs and
mails in every state, then prints, as the median of three runs each, the app's time for the
page (as a logged-in organiser: one page of the grid, unfiltered and filtered) and for the
whole export, with the number of queries, next to a floor: the same rows fetched with
SQLAlchemy Core and the same grid template (``invitations/_grid.html``) rendered by Jinja alone.
"""

from __future__ import annotations

import argparse
import contextvars
import statistics
import time
from datetime import UTC, datetime, time as clock, timedelta
from pathlib import Path
from types import SimpleNamespace

import flask_migrate
import jinja2
import sqlalchemy as sa
from flask import render_template
from sqlalchemy import event, func, select

from planner import create_app
from planner.attendance.models import Attendance
from planner.auth.services import create_staff_user
from planner.extensions import db
from planner.invitations.grid import CELL_LABELS, MAIL_LABELS, PER_PAGE, GridFilters, grid_page, needs_of
from planner.invitations.models import Invitation, Rsvp
from planner.invitations.services import invite_people
from planner.mail.models import OutboxMessage
from planner.people.models import Organisation, Person
from planner.programmes.services import save_programme
from planner.series.models import Series
from planner.series.scheduling import Rhythm, RhythmKind, dutch_holidays
from planner.series.services import SeriesPlan, create_series, publish_series
from scratch import scratch_database

PASSWORD = "benchmark password"
ROLES = ["resident", "volunteer", "professional", "expert", "student"]
TOWNS = ["Nijmegen", "Beuningen", "Heumen", "Wijchen", "Berg en Dal"]
RUNS = 3


def seed(people_count: int) -> int:
    organiser = create_staff_user("bench@example.org", "Bench Organiser", PASSWORD)
    programme = save_programme(None, name="Leeratelier", description="", organisers=[organiser], trekkers=[])
    series = create_series(
        programme,
        SeriesPlan(
            template_key="ontmoetingenreeks",
            title="Ontmoeting Benchmark",
            first_day=datetime.now(UTC).date() + timedelta(weeks=4),
            start=clock(19, 30),
            end=clock(21, 30),
            rhythm=Rhythm(RhythmKind.WEEKLY),
            count=4,
        ),
        organiser,
        holidays=dutch_holidays("nl"),
    )
    publish_series(series)
    organisations = [Organisation(name=f"Organisatie {n}", municipality=TOWNS[n % 5]) for n in range(60)]
    db.session.add_all(organisations)
    db.session.flush()
    db.session.add_all(
        Person(
            name=f"Deelnemer {n}",
            email=None if n % 10 == 0 else f"deelnemer{n}@example.org",
            role=ROLES[n % len(ROLES)],
            organisation_id=organisations[n % 60].id if n % 7 else None,
            municipality=TOWNS[n % 5],
            language="en" if n % 5 == 0 else "nl",
        )
        for n in range(people_count)
    )
    db.session.commit()
    people = db.session.scalars(select(Person).order_by(Person.id)).all()
    invite_people(series, people, actor=organiser)
    db.session.commit()
    _answer_and_attend(series)
    return series.id


def _answer_and_attend(series) -> None:
    """Answers in every kind (a waiting list on the first session), attendance at the first,
    needs for one in eight, and the outbox's mails sent, failed or waiting."""
    now = datetime.now(UTC)
    first = series.sessions[0]
    rsvps = db.session.execute(
        select(Rsvp.id, Rsvp.session_id, Invitation.person_id)
        .join(Invitation)
        .where(Invitation.series_id == series.id)
        .order_by(Rsvp.id)
    ).all()
    waiting = 0
    for number, (rsvp_id, session_id, person_id) in enumerate(rsvps):
        kind = number % 5
        values: dict = {"answered_at": now}
        if kind == 0 and session_id == first.id and number % 3 == 0:
            waiting += 1
            values |= {"answer": "yes", "seat": "waiting", "waitlist_position": waiting}
        elif kind in (0, 1):
            values |= {"answer": "yes", "seat": "confirmed"}
        elif kind == 2:
            values |= {"answer": "no"}
        elif kind == 3:
            values |= {"answer": "maybe"}
        else:
            continue
        db.session.execute(sa.update(Rsvp).where(Rsvp.id == rsvp_id).values(**values))
        if session_id == first.id and kind in (0, 1):
            db.session.add(Attendance(session_id=first.id, person_id=person_id, status="present", via="door"))
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.series_id == series.id, Invitation.id % 8 == 0)
        .values(needs_childcare=True, needs_other="Rolstoel")
    )
    db.session.execute(sa.update(OutboxMessage).where(OutboxMessage.id % 3 == 0).values(status="sent", sent_at=now))
    db.session.execute(
        sa.update(OutboxMessage).where(OutboxMessage.id % 11 == 0).values(status="failed", last_error="550 unknown")
    )
    db.session.commit()


def median_ms(action) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        began = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), result


# The floor: the same rows with SQLAlchemy Core, the grid template with Jinja alone.


def _latest(column, invitation):
    reference = sa.literal("invitation:", sa.String) + sa.cast(invitation.c.id, sa.String)
    outbox = OutboxMessage.__table__
    return (
        select(column)
        .where(outbox.c.reference == reference)
        .order_by(outbox.c.created_at.desc(), outbox.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )


class Mark(str):
    """A presence as the template meets it: its value, and a label."""

    @property
    def label(self) -> str:
        return str(self)


def floor_rows(connection, series_id: int, sessions):
    """One page of rows, their answers, waiting places and attendance: five Core queries."""
    invitation, person = Invitation.__table__, Person.__table__
    organisation, rsvp, attendance = Organisation.__table__, Rsvp.__table__, Attendance.__table__
    outbox = OutboxMessage.__table__
    where = (invitation.c.series_id == series_id) & invitation.c.revoked_at.is_(None)
    joined = invitation.join(person, person.c.id == invitation.c.person_id).outerjoin(
        organisation, organisation.c.id == person.c.organisation_id
    )
    connection.execute(select(func.count()).select_from(joined).where(where)).scalar()
    page = connection.execute(
        select(invitation, person.c.name, person.c.email, person.c.role, person.c.municipality)
        .add_columns(organisation.c.name.label("organisation"))
        .add_columns(_latest(outbox.c.status, invitation), _latest(outbox.c.last_error, invitation))
        .select_from(joined)
        .where(where)
        .order_by(func.lower(person.c.name), person.c.id)
        .limit(PER_PAGE)
    ).all()
    rows = {}
    for record in page:
        status, error = record[-2], record[-1]
        mail = (
            "letter" if not record.email else {"sent": "sent", "failed": "failed", None: "none"}.get(status, "waiting")
        )
        rows[record.id] = SimpleNamespace(
            invitation=SimpleNamespace(id=record.id),
            person=SimpleNamespace(
                name=record.name,
                email=record.email,
                role=SimpleNamespace(label=record.role),
                organisation=SimpleNamespace(name=record.organisation) if record.organisation else None,
                municipality=record.municipality,
            ),
            needs=needs_of(record),
            mail=mail,
            mail_error=error or "",
            cells={},
            person_id=record.person_id,
        )
    for rsvp_row in connection.execute(select(rsvp).where(rsvp.c.invitation_id.in_(list(rows)))):
        state = rsvp_row.seat or ("pending" if rsvp_row.answer in ("pending", "yes") else rsvp_row.answer)
        rows[rsvp_row.invitation_id].cells[rsvp_row.session_id] = SimpleNamespace(
            state=state, label=str(CELL_LABELS[state]), place=None, answered_in_calendar=None, presence=None
        )
    place = func.rank().over(partition_by=rsvp.c.session_id, order_by=rsvp.c.waitlist_position)
    waiting = (
        select(rsvp.c.invitation_id, rsvp.c.session_id, place.label("place"))
        .join(invitation, invitation.c.id == rsvp.c.invitation_id)
        .where(where, rsvp.c.seat == "waiting")
        .subquery()
    )
    for invitation_id, session_id, number in connection.execute(
        select(waiting).where(waiting.c.invitation_id.in_(list(rows)))
    ):
        rows[invitation_id].cells[session_id].place = number
    by_person = {row.person_id: row for row in rows.values()}
    for person_id, session_id, status in connection.execute(
        select(attendance.c.person_id, attendance.c.session_id, attendance.c.status).where(
            attendance.c.person_id.in_(list(by_person)), attendance.c.session_id.in_([s.id for s in sessions])
        )
    ):
        by_person[person_id].cells[session_id].presence = Mark(status)
    return list(rows.values())


def floor_environment() -> jinja2.Environment:
    templates = Path(__file__).resolve().parent.parent / "planner" / "templates"
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), autoescape=True)
    environment.globals.update(
        _=lambda text, **values: text % values if values else text,
        url_for=lambda endpoint, **values: f"/{endpoint}/" + "/".join(str(v) for v in values.values()),
    )
    environment.filters.update(dateformat=lambda value, _format: value.strftime("%a %d %b"), datetimeformat=str)
    return environment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    url = scratch_database(args.database_url, "grid-benchmark")
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        flask_migrate.upgrade()
        began = time.perf_counter()
        series_id = seed(args.people)
        invited = db.session.scalar(select(func.count(Invitation.id)))
        seeded = time.perf_counter() - began
        if db.engine.dialect.name == "postgresql":  # as autovacuum would after a load this size
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
        print(f"{invited} invitees × 4 sessions on {db.engine.dialect.name}, seeded in {seeded:.0f} s")
        engine = db.engine
        sessions = [
            SimpleNamespace(id=s.id, title=s.title, local_start=s.local_start, is_cancelled=False)
            for s in db.session.get(Series, series_id).sessions
        ]

    client = app.test_client()
    run = lambda *a, **k: contextvars.Context().run(client.open, *a, **k)  # noqa: E731
    run("/login", method="POST", data={"email": "bench@example.org", "password": PASSWORD})
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    base = f"/series/{series_id}/invitations"
    for label, path in (
        ("grid page 1 (50 rows)", base),
        ("grid page 20", base + "?page=20"),
        ("grid filtered: has a need, said yes", base + "?need=any&answer=confirmed"),
        ("export, every row (CSV)", base + "/export.csv"),
    ):
        statements.clear()
        response = run(path)
        assert response.status_code == 200, (path, response.status_code)
        queries = len(statements)
        ms, _ = median_ms(lambda path=path: run(path))
        print(f"  app    {label:38} {ms:7.0f} ms  {queries} queries")

    context = {
        "bulk": SimpleNamespace(chosen=SimpleNamespace(data=[])),
        "mail_labels": {k: str(v) for k, v in MAIL_LABELS.items()},
        "series": SimpleNamespace(id=series_id),
        "grid_args": {},
    }
    # The app's own grid alone: the same page of rows through the ORM, the partial through Flask.
    with app.test_request_context(base):
        series = db.session.get(Series, series_id)

        def grid_alone():
            grid = grid_page(series, GridFilters(), 1)
            return render_template("invitations/_grid.html", grid=grid, **context)

        ms, _ = median_ms(grid_alone)
    print(f"  app    {'grid alone (rows + _grid.html)':38} {ms:7.0f} ms")

    environment = floor_environment()
    template = environment.get_template("invitations/_grid.html")

    def floor():
        with engine.connect() as connection:
            rows = floor_rows(connection, series_id, sessions)
        return template.render(grid=SimpleNamespace(sessions=sessions, rows=rows), **context)

    with app.app_context():
        ms, html = median_ms(floor)
    print(f"  floor  {'grid page 1 (Core + Jinja alone)':38} {ms:7.0f} ms  5 queries, {len(html) // 1024} KiB")


if __name__ == "__main__":
    main()
