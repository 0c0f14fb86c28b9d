"""Time the cron jobs on one, five and ten years of series, next to the floor: the job on one year.

    .venv/bin/python scripts/jobs_benchmark.py [--years 1,5,10] [--per-year 500] [--repeat 3]
                                               [--database-url URL]

Builds a scratch database (SQLite in a temporary folder unless --database-url is given; that
database is emptied first) and fills it in bulk (scripts/seeding.py): ``--per-year`` series a
year, eight people invited to each who said yes to all five sessions (ten years of 500 series:
5,000 series and 200,000 answers), came to the first and were asked to evaluate it. Older
series are purged as the job would have left them. The same work is due at every size: the
reminders of the next two days, the evaluation reminders of the last month, the series whose
retention ended in the last 30 days. Each job runs ``--repeat`` times in a transaction that is
rolled back, so each run finds the same work; the median time and the SQL statements of one
run are printed, with the time as a multiple of the same job's time on the first size where it
had as much to do (on one year no series has reached the end of its retention yet).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import flask_migrate
from sqlalchemy import event, func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from planner import create_app
from planner.evaluations.sending import send_reminders
from planner.extensions import db
from planner.invitations.models import Rsvp
from planner.invitations.reminders import send_due_reminders
from planner.privacy.purge import purge_due_series
from scratch import scratch_database
from seeding import grow, start_world


def jobs(now: datetime) -> dict:
    return {
        "invitation reminders": lambda: send_due_reminders(now=now),
        "evaluation reminders": lambda: send_reminders(now),
        "purge": lambda: len(purge_due_series(now).series),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", default="1,5,10")
    parser.add_argument("--per-year", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    years = sorted(int(n) for n in args.years.split(","))

    url = scratch_database(args.database_url, "jobs_benchmark")
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    now = datetime.now(UTC)
    statements: list[str] = []
    floor: dict[tuple[str, int], float] = {}
    with app.app_context():
        flask_migrate.upgrade()
        world = start_world(now=now, days_between=365 / args.per_year, invitees=8)
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        print(
            f"{db.engine.dialect.name}; median of {args.repeat}; floor: the same job with as much to do, on fewer years"
        )
        print(f"{'job':22} {'years':>5} {'done':>5} {'median ms':>10} {'x floor':>8} {'queries':>8}")
        for size in years:
            began = time.perf_counter()
            grow(world, size * args.per_year)
            seeded = time.perf_counter() - began
            answers = db.session.scalar(select(func.count(Rsvp.id)))
            print(f"-- {size} year(s): {world.series} series, {answers} answers, seeded in {seeded:.1f} s")
            for name, job in jobs(now).items():
                timings, done = [], 0
                for _ in range(args.repeat):
                    db.session.expunge_all()
                    statements.clear()
                    began = time.perf_counter()
                    done = job()
                    db.session.flush()
                    timings.append((time.perf_counter() - began) * 1000)
                    count = len(statements)
                    db.session.rollback()
                median = statistics.median(timings)
                floor.setdefault((name, done), median)  # the same work: on one year no series is due to purge
                ratio = median / floor[name, done]
                print(f"{name:22} {size:5d} {done:5d} {median:10.1f} {ratio:7.2f}x {count:8d}")


if __name__ == "__main__":
    main()
