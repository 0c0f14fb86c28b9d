"""Time the evaluation summary of a big series: 50,000 responses to a 10-question form, 40 sessions.

    .venv/bin/python scripts/evaluation_benchmark.py [--responses 50000] [--sessions 40] [--database-url URL]

Builds a scratch database (SQLite in a temporary folder unless --database-url is given; that
database's public schema is emptied first), bulk-inserts the responses and their answers, then
times the series summary page as a logged-in trekker sees it (the median of several requests,
with its number of queries) next to the single raw SQL aggregate the page rests on (and the
page's own, cheaper form of it, which names questions and options by id).
"""

from __future__ import annotations

import argparse
import contextvars
import random
import statistics
import time
import uuid
from datetime import UTC, datetime, time as clock, timedelta

import flask_migrate
from sqlalchemy import event, insert, text

from planner import create_app
from planner.attendance.models import Attendance
from planner.auth.services import create_staff_user
from planner.evaluations.models import (
    EvaluationAnswer,
    EvaluationForm,
    EvaluationOption,
    EvaluationQuestion,
    EvaluationResponse,
    SessionEvaluation,
)
from planner.extensions import db
from planner.people.models import Person
from planner.programmes.services import save_programme
from planner.series.models import Session
from planner.series.scheduling import Rhythm, RhythmKind, dutch_holidays
from planner.series.services import SeriesPlan, create_series
from scratch import scratch_database

PASSWORD = "benchmark password"
ROLES = ["resident", "volunteer", "professional", "expert", "student"]
QUESTIONS = [  # key, kind, number of options, condition
    ("mood", "smiley", 5, "social_cohesion"),
    ("useful", "agree", 0, "social_empowerment"),
    ("mark", "mark", 0, None),
    ("again", "yes_no", 0, None),
    ("theme", "choice", 4, None),
    ("learned", "multiple", 4, None),
    ("belong", "agree", 0, "social_inclusion"),
    ("secure", "agree", 0, "socio_economic_security"),
    ("heard", "smiley", 3, "social_empowerment"),
    ("remark", "open", 0, None),
]

RAW_AGGREGATE = """
SELECT r.session_id, r.anonymous, r.role, q.key, q.kind, o.key, COALESCE(a.value, o.position), a.not_applicable,
       count(a.id)
FROM evaluation_answer a
JOIN evaluation_response r ON r.id = a.response_id
JOIN evaluation_question q ON q.id = a.question_id
LEFT JOIN evaluation_option o ON o.id = a.option_id
JOIN session s ON s.id = r.session_id
WHERE s.series_id = :series_id
GROUP BY r.session_id, r.anonymous, r.role, q.key, q.kind, o.key, COALESCE(a.value, o.position), a.not_applicable
"""


# The page's own grouped query: the same rows, with question and option named by id (the page
# knows their keys from the questions it has loaded), so the database joins only the responses.
PAGE_AGGREGATE = """
SELECT r.session_id, r.anonymous, r.role, a.question_id, a.option_id, a.value, a.not_applicable, count(a.id)
FROM evaluation_answer a
JOIN evaluation_response r ON r.id = a.response_id
JOIN session s ON s.id = r.session_id
WHERE s.series_id = :series_id
GROUP BY r.session_id, r.anonymous, r.role, a.question_id, a.option_id, a.value, a.not_applicable
"""


def _median_time(query: str, series_id: int, runs: int) -> tuple[float, int]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        rows = db.session.execute(text(query), {"series_id": series_id}).all()
        times.append(time.perf_counter() - began)
    return statistics.median(times), len(rows)


def seed(responses: int, session_count: int, rng: random.Random) -> int:
    organiser = create_staff_user("organiser@example.org", "Bench Organiser", PASSWORD)
    trekker = create_staff_user("trekker@example.org", "Bench Trekker", PASSWORD)
    programme = save_programme(None, name="Leeratelier", description="", organisers=[organiser], trekkers=[trekker])
    series = create_series(
        programme,
        SeriesPlan(
            template_key="action_learning",
            title="Welkome Wijk Benchmark",
            first_day=datetime.now(UTC).date() + timedelta(weeks=2),
            start=clock(19, 30),
            end=clock(21, 30),
            rhythm=Rhythm(RhythmKind.WEEKLY),
            count=2,
        ),
        organiser,
        holidays=dutch_holidays("nl"),
    )
    first = series.sessions[-1]
    for n in range(1, session_count - 1):
        db.session.add(
            Session(
                series_id=series.id,
                title=f"Bijeenkomst {n + 1}",
                starts_at=first.starts_at + timedelta(weeks=n),
                ends_at=first.ends_at + timedelta(weeks=n),
            )
        )
    form = EvaluationForm(title_nl="Evaluatie", programme_id=programme.id)
    for position, (key, kind, options, condition) in enumerate(QUESTIONS, start=1):
        question = EvaluationQuestion(
            position=position, key=key, kind=kind, text_nl=f"Vraag {key}", condition=condition
        )
        question.options = [
            EvaluationOption(position=i, key=f"o{i}", label_nl=f"Optie {i}") for i in range(1, options + 1)
        ]
        form.questions.append(question)
    db.session.add(form)
    db.session.flush()
    sessions = [
        row[0]
        for row in db.session.execute(
            text("SELECT id FROM session WHERE series_id = :id ORDER BY starts_at"), {"id": series.id}
        )
    ]
    db.session.add_all(SessionEvaluation(session_id=s, form_id=form.id, short_code=f"b{s}") for s in sessions)
    options = {q.key: [o.id for o in q.options] for q in form.questions}
    questions = {q.key: q.id for q in form.questions}

    # Attendance: enough people present at every session for the responses it gets.
    per_session = responses // len(sessions) + 1
    people = [{"name": f"Deelnemer {n}", "role": rng.choice(ROLES), "language": "nl"} for n in range(per_session * 2)]
    db.session.execute(insert(Person), people)
    person_ids = [row[0] for row in db.session.execute(text("SELECT id FROM person ORDER BY id"))]
    now = datetime.now(UTC)
    db.session.execute(
        insert(Attendance),
        [
            {"session_id": s, "person_id": p, "status": "present", "via": "door", "changed_at": now}
            for s in sessions
            for p in person_ids[: per_session + 5]
        ],
    )

    response_rows, answer_rows = [], []
    for n in range(responses):
        response_id = uuid.UUID(int=rng.getrandbits(128)).hex
        response_rows.append(
            {
                "id": response_id,
                "session_id": sessions[n % len(sessions)],
                "form_id": form.id,
                "anonymous": False,
                "role": rng.choice(ROLES),
                "channel": "mail",
                "submitted_at": None,
            }
        )
        base = {
            "response_id": response_id,
            "value": None,
            "option_id": None,
            "not_applicable": False,
            "text": None,
            "moderation": "pending",
            "starred": False,
        }
        for key, kind, option_count, _ in QUESTIONS:
            row = dict(base, question_id=questions[key])
            if kind == "smiley":
                i = rng.randint(1, option_count)
                row.update(value=i, option_id=options[key][i - 1])
            elif kind == "agree":
                if rng.random() < 0.05:
                    row.update(not_applicable=True)
                else:
                    row.update(value=rng.randint(1, 5))
            elif kind == "mark":
                row.update(value=rng.randint(3, 10))
            elif kind == "yes_no":
                row.update(value=rng.randint(0, 1))
            elif kind == "choice":
                row.update(option_id=rng.choice(options[key]))
            elif kind == "multiple":
                for option_id in rng.sample(options[key], rng.randint(1, 3)):
                    answer_rows.append(dict(row, option_id=option_id))
                continue
            else:
                if rng.random() < 0.2:
                    row.update(text="Het was een goed gesprek.")
                else:
                    continue
            answer_rows.append(row)
    for start in range(0, len(response_rows), 10_000):
        db.session.execute(insert(EvaluationResponse), response_rows[start : start + 10_000])
    for start in range(0, len(answer_rows), 20_000):
        db.session.execute(insert(EvaluationAnswer), answer_rows[start : start + 20_000])
    db.session.commit()
    print(f"{len(response_rows)} responses, {len(answer_rows)} answers, {len(sessions)} sessions")
    return series.id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=50_000)
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--requests", type=int, default=7)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    url = scratch_database(args.database_url, "evaluation-benchmark")
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        flask_migrate.upgrade()
        began = time.perf_counter()
        series_id = seed(args.responses, args.sessions, random.Random(2026))
        print(f"bulk insert: {time.perf_counter() - began:.1f} s, on {db.engine.dialect.name}")
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE"))
            db.session.commit()
        engine = db.engine
        raw, raw_rows = _median_time(RAW_AGGREGATE, series_id, args.requests)
        own, own_rows = _median_time(PAGE_AGGREGATE, series_id, args.requests)
        db.session.rollback()

    client = app.test_client()
    run = lambda *a, **k: contextvars.Context().run(client.open, *a, **k)  # noqa: E731
    run("/login", method="POST", data={"email": "trekker@example.org", "password": PASSWORD})
    statements: list[str] = []
    listener = lambda *a: statements.append(a[2])  # noqa: E731
    page_times = []
    for i in range(args.requests):
        if i == 0:
            event.listen(engine, "before_cursor_execute", listener)
        began = time.perf_counter()
        response = run(f"/series/{series_id}/evaluation/summary")
        page_times.append(time.perf_counter() - began)
        if i == 0:
            event.remove(engine, "before_cursor_execute", listener)
        assert response.status_code == 200, response.status_code
    print(
        f"series summary page: median {statistics.median(page_times) * 1000:.0f} ms over {args.requests} requests, "
        f"{len(statements)} queries"
    )
    page = statistics.median(page_times)
    print(
        f"raw SQL aggregate:   median {raw * 1000:.0f} ms ({raw_rows} grouped rows, with questions and options "
        f"joined); the page's own form of it: {own * 1000:.0f} ms ({own_rows} rows)"
    )
    print(f"page / raw aggregate: {page / raw:.2f}")


if __name__ == "__main__":
    main()
