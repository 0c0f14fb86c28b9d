"""Time a large invitation round: a 4-session series and 2,000 people.

    .venv/bin/python scripts/invitation_benchmark.py [--people 2000] [--database-url URL]

Builds a scratch database (SQLite in a temporary folder unless --database-url is given; that
database's public schema is emptied first), adds the people, then times composing and
queueing the invitations (one outbox row per person with e-mail, rendered in their language),
the commit, a reminder round, and the organiser's invitations page.
"""

from __future__ import annotations

import argparse
import contextvars
import time
from datetime import UTC, datetime, time as clock, timedelta

import flask_migrate
from sqlalchemy import event, func, select

from planner import create_app
from planner.auth.services import create_staff_user
from planner.extensions import db
from planner.invitations.services import invite_people, remind_unanswered
from planner.mail.models import OutboxMessage
from planner.people.models import Person
from planner.programmes.services import save_programme
from planner.series.scheduling import Rhythm, RhythmKind, dutch_holidays
from planner.series.services import SeriesPlan, create_series, publish_series
from scratch import scratch_database

PASSWORD = "benchmark password"


def seed(people_count: int):
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
    # Every tenth person has no e-mail (a letter instead); every fifth reads English.
    db.session.add_all(
        Person(
            name=f"Deelnemer {n}",
            email=None if n % 10 == 0 else f"deelnemer{n}@example.org",
            role="resident",
            language="en" if n % 5 == 0 else "nl",
        )
        for n in range(people_count)
    )
    db.session.commit()
    return organiser, series


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    url = scratch_database(args.database_url, "invitation-benchmark")
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        flask_migrate.upgrade()
        organiser, series = seed(args.people)
        series_id = series.id
        people = db.session.scalars(select(Person).order_by(Person.id)).all()
        print(f"{len(people)} people, {len(series.sessions)} sessions, on {db.engine.dialect.name}")

        began = time.perf_counter()
        result = invite_people(series, people, actor=organiser)
        composed = time.perf_counter() - began
        db.session.commit()
        total = time.perf_counter() - began
        mails = db.session.scalar(select(func.count(OutboxMessage.id)))
        print(
            f"invite and queue: {composed:.2f} s composing, {total:.2f} s including the commit "
            f"({len(result.invited)} invitations, {mails} mails queued, {len(result.letters)} letters)"
        )

        began = time.perf_counter()
        again = invite_people(series, people, actor=organiser)
        db.session.commit()
        print(
            f"invite the same people again (nothing to add): {time.perf_counter() - began:.2f} s "
            f"({len(again.unchanged)} unchanged)"
        )

        began = time.perf_counter()
        reminded = remind_unanswered(series)
        db.session.commit()
        print(f"reminders: {time.perf_counter() - began:.2f} s ({reminded} mails queued)")
        engine = db.engine

    client = app.test_client()
    run = lambda *a, **k: contextvars.Context().run(client.open, *a, **k)  # noqa: E731
    run("/login", method="POST", data={"email": "bench@example.org", "password": PASSWORD})
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    began = time.perf_counter()
    response = run(f"/series/{series_id}/invitations")
    assert response.status_code == 200, response.status_code
    print(f"invitations page: {(time.perf_counter() - began) * 1000:.0f} ms, {len(statements)} queries")


if __name__ == "__main__":
    main()
