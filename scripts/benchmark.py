"""Time the main pages on a database with years of series.

    .venv/bin/python scripts/benchmark.py [--series 1000] [--database-url URL]

Builds a scratch database (SQLite in a temporary folder unless --database-url is given; that
database is emptied first), fills it with series spread over several years, then requests each
page a number of times and prints the median time and the number of SQL statements per page.
"""

from __future__ import annotations

import argparse
import contextvars
import statistics
import time
from datetime import UTC, datetime, time as clock, timedelta

import flask_migrate
from sqlalchemy import event

from planner import create_app
from planner.auth.services import create_staff_user
from planner.extensions import db
from planner.programmes.services import save_programme
from planner.series.scheduling import Rhythm, RhythmKind, dutch_holidays
from planner.series.services import SeriesPlan, create_series, publish_series
from scratch import scratch_database

PASSWORD = "benchmark password"


def seed(series_count: int) -> int:
    organiser = create_staff_user("bench@example.org", "Bench Organiser", PASSWORD)
    programmes = [
        save_programme(None, name=f"Leeratelier {n}", description="", organisers=[organiser], trekkers=[])
        for n in range(4)
    ]
    holidays = dutch_holidays("nl")
    # Two new series a week, from three years ago on: the upcoming pages have plenty to show.
    start = datetime.now(UTC).date() - timedelta(days=3 * 365)
    for n in range(series_count):
        first_day = start + timedelta(days=n * 7 // 2)
        series = create_series(
            programmes[n % 4],
            SeriesPlan(
                template_key="ontmoetingenreeks",
                title=f"Ontmoeting {n}",
                first_day=first_day,
                start=clock(19, 30),
                end=clock(21, 30),
                rhythm=Rhythm(RhythmKind.WEEKLY),
                count=5,
            ),
            organiser,
            holidays=holidays,
            now=datetime.combine(first_day - timedelta(days=1), clock(12), tzinfo=UTC),
        )
        publish_series(series)
        if n % 100 == 99:
            db.session.commit()
    db.session.commit()
    return series.id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    url = scratch_database(args.database_url, "benchmark")
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        flask_migrate.upgrade()
        began = time.perf_counter()
        last_series = seed(args.series)
        took = time.perf_counter() - began
        print(f"seeded {args.series} series ({args.series * 5} sessions) in {took:.1f} s on {db.engine.dialect.name}")
        engine = db.engine

    client = app.test_client()
    run = lambda *a, **k: contextvars.Context().run(client.open, *a, **k)  # noqa: E731
    run("/login", method="POST", data={"email": "bench@example.org", "password": PASSWORD})
    today = datetime.now(UTC)
    pages = {
        "upcoming list": "/sessions",
        "month view": f"/sessions/month/{today.year}-{today.month}",
        "programmes": "/programmes/",
        "programme page (250 series)": "/programmes/leeratelier-0",
        "series page": f"/series/{last_series}",
    }
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    print(f"{'page':32} {'median ms':>10} {'queries':>8}")
    for name, url in pages.items():
        timings = []
        for _ in range(args.repeat):
            statements.clear()
            began = time.perf_counter()
            response = run(url)
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{name:32} {statistics.median(timings):10.1f} {len(statements):8d}")


if __name__ == "__main__":
    main()
