"""Time the staff pages at 100, 1,000 and 5,000 series, next to the floor: the same page at 100.

    .venv/bin/python scripts/benchmark.py [--sizes 100,1000,5000] [--repeat 3] [--database-url URL]

Builds a scratch database (SQLite in a temporary folder unless --database-url is given; that
database is emptied first) and fills it in bulk (scripts/seeding.py) with two series a week going
back in time, four people invited to each, who said yes and came to the first session. The world
grows from the smallest size to the largest; at each size every page is requested ``--repeat``
times and the median time and the number of SQL statements are printed, with the time as a
multiple of the same page's time at the smallest size (the floor). A page that does not grow
with the years shows about 1.0x and the same number of queries on every line.
"""

from __future__ import annotations

import argparse
import contextvars
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import flask_migrate
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planner import create_app
from planner.extensions import db
from scratch import scratch_database
from seeding import PASSWORD, grow, start_world


def pages(world, today: datetime) -> dict[str, str]:
    past = world.series_ids[30]  # its first session was weeks ago: people came
    return {
        "home": "/",
        "upcoming list": "/sessions",
        "month view": f"/sessions/month/{today.year}-{today.month}",
        "learning studios": "/programmes/",
        "learning studio page": "/programmes/leeratelier-0",
        "learning studio, page 2": "/programmes/leeratelier-0?page=2",
        "series page": f"/series/{world.newest_series_id}",
        "attendance figures": f"/series/{past}/attendance",
        "invitations grid": f"/series/{past}/invitations",
        "compare page": f"/programmes/leeratelier-0/evaluations?series={past}&series={world.series_ids[34]}",
        "people list": "/people/",
        "letters to print": "/letters",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))

    url = scratch_database(args.database_url, "benchmark")
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    now = datetime.now(UTC)
    with app.app_context():
        flask_migrate.upgrade()
        world = start_world(now=now, days_between=3.5, invitees=4)
        engine = db.engine
        dialect = engine.dialect.name

    client = app.test_client()
    run = lambda *a, **k: contextvars.Context().run(client.open, *a, **k)  # noqa: E731
    run("/login", method="POST", data={"email": "bench@example.org", "password": PASSWORD})
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    floor: dict[str, float] = {}
    print(f"{dialect}; median of {args.repeat}; floor: the same page at {sizes[0]} series")
    print(f"{'page':26} {'series':>7} {'median ms':>10} {'x floor':>8} {'queries':>8}")
    for size in sizes:
        with app.app_context():
            began = time.perf_counter()
            grow(world, size)
            seeded = time.perf_counter() - began
        print(f"-- {size} series ({size * 5} sessions, {size * 4} people), seeded in {seeded:.1f} s")
        for name, page in pages(world, now).items():
            timings, counts = [], []
            for _ in range(args.repeat):
                statements.clear()
                began = time.perf_counter()
                response = run(page)
                timings.append((time.perf_counter() - began) * 1000)
                counts.append(len(statements))
                assert response.status_code == 200, (page, response.status_code)
            median = statistics.median(timings)
            floor.setdefault(name, median)
            print(f"{name:26} {size:7d} {median:10.1f} {median / floor[name]:7.2f}x {counts[-1]:8d}")


if __name__ == "__main__":
    main()
