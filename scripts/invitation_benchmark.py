"""Time a large invitation round: a 4-session series and 2,000 people, next to its floor.

    .venv/bin/python scripts/invitation_benchmark.py [--people 2000] [--repeat 3] [--database-url URL]

Builds a scratch database (SQLite in a temporary folder unless --database-url is given; that
database's public schema is emptied first) and adds the people. Each repetition invites them all
to a new series twice over: once by the app (``invite_people``: composing and queueing one outbox
row per person with e-mail in their language, a letter for the others, then the commit) and once
by the floor, the same rows with the libraries alone: the mail's templates rendered once per
language, each person's name and link put in with ``str.replace``, the letters rendered per
person from the same template, and every table filled with one ``executemany`` in one
transaction. The medians are printed side by side, by the clock and by this process's CPU time
(which on SQLite is all the work, and holds steady when the machine is busy), then a reminder
round and the organiser's invitations page.
"""

from __future__ import annotations

import argparse
import contextvars
import secrets
import statistics
import time
import uuid
from datetime import UTC, datetime, time as clock, timedelta
from types import SimpleNamespace

import flask_migrate
from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import escape
from sqlalchemy import event, func, insert, select

from planner import create_app
from planner.auth.services import create_staff_user
from planner.extensions import db
from planner.invitations.codes import CODE_ALPHABET, CODE_LENGTH
from planner.invitations.mails import session_lines, signature_of
from planner.invitations.models import Invitation, Letter, LetterKind, Rsvp
from planner.invitations.services import invite_people, open_sessions, remind_unanswered
from planner.mail.compose import LINK_MARK, NAME_MARK
from planner.mail.models import OutboxMessage
from planner.mail.services import compose
from planner.people.models import Person
from planner.programmes.services import save_programme
from planner.series.models import Series
from planner.series.scheduling import Rhythm, RhythmKind, dutch_holidays
from planner.series.services import SeriesPlan, create_series, publish_series
from scratch import scratch_database

PASSWORD = "benchmark password"


def seed(people_count: int):
    organiser = create_staff_user("bench@example.org", "Bench Organiser", PASSWORD)
    programme = save_programme(None, name="Leeratelier", description="", organisers=[organiser], trekkers=[])
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
    return organiser, programme


def new_series(programme, organiser):
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
    db.session.commit()
    return series


def chosen_people() -> list[Person]:
    """The people as the organiser's form hands them over: read in one query."""
    return list(db.session.scalars(select(Person).order_by(Person.id)))


def app_round(series, organiser) -> None:
    invite_people(series, chosen_people(), actor=organiser)
    db.session.commit()


def floor_round(series, organiser) -> None:
    """The same invitations, answers, mails and letters with the libraries alone."""
    people = chosen_people()
    now = datetime.now(UTC)
    sessions = open_sessions(series)
    connection = db.session.connection()
    rows = [
        {
            "series_id": series.id,
            "person_id": person.id,
            "token": secrets.token_urlsafe(32),
            "short_code": "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)),
            "invited_by_id": organiser.id,
            "created_at": now,
        }
        for person in people
    ]
    table = Invitation.__table__
    returned = connection.execute(insert(table).returning(table.c.id, table.c.person_id, table.c.token), rows).all()
    connection.execute(
        insert(Rsvp.__table__),
        [{"invitation_id": row.id, "session_id": s.id, "answer": "pending"} for row in returned for s in sessions],
    )
    skeletons, lines, mails, letters = {}, {}, [], []
    signature, domain = signature_of(series), current_app.config["MAIL_MESSAGE_ID_DOMAIN"]
    base = current_app.config["BASE_URL"].rstrip("/")
    by_id = {person.id: person for person in people}
    for row in returned:
        person = by_id[row.person_id]
        language, link = person.language, f"{base}/i/{row.token}"
        if language not in lines:
            lines[language] = session_lines(sessions, language)
            context = {"person": SimpleNamespace(name=NAME_MARK), "series": series, "link": LINK_MARK}
            skeletons[language] = compose(
                "invitation",
                language,
                context | {"sessions": lines[language]},
                programme_id=series.programme_id,
                signature=signature,
            )
        if person.email is None:
            with force_locale(language):
                body = render_template(
                    "invitations/_letter_body.html",
                    kind=LetterKind.INVITATION,
                    series=series,
                    sessions=lines[language],
                    note="",
                )
            letters.append(
                {
                    "kind": "invitation",
                    "person_id": person.id,
                    "series_id": series.id,
                    "invitation_id": row.id,
                    "body_html": body,
                    "link": "",
                    "created_at": now,
                }
            )
            continue
        mail = skeletons[language]
        mails.append(
            {
                "message_id": f"<{uuid.uuid4()}@{domain}>",
                "to_address": person.email,
                "to_name": person.name,
                "language": language,
                "subject": mail.subject.replace(NAME_MARK, person.name).replace(LINK_MARK, link),
                "body_text": mail.text.replace(NAME_MARK, person.name).replace(LINK_MARK, link),
                "body_html": mail.html.replace(NAME_MARK, str(escape(person.name))).replace(LINK_MARK, link),
                "reply_to": signature.email,
                "reference": f"invitation:{row.id}",
                "kind": "invitation",
                "series_id": series.id,
                "person_id": person.id,
                "status": "queued",
                "next_attempt_at": now,
                "created_at": now,
            }
        )
    connection.execute(insert(OutboxMessage.__table__), mails)
    connection.execute(insert(Letter.__table__), letters)
    db.session.commit()


def timed(round_, series, organiser) -> tuple[float, float]:
    """Seconds on the clock and of this process's CPU (on SQLite all the work; steadier on a busy machine)."""
    began, began_cpu = time.perf_counter(), time.process_time()
    round_(series, organiser)
    return time.perf_counter() - began, time.process_time() - began_cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    url = scratch_database(args.database_url, "invitation-benchmark")
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        flask_migrate.upgrade()
        organiser, programme = seed(args.people)
        print(f"{args.people} people, 4 sessions, on {db.engine.dialect.name}, {args.repeat} repetitions")
        times: dict[str, list[tuple[float, float]]] = {"app": [], "floor": []}
        for _ in range(args.repeat):
            for name, round_ in (("floor", floor_round), ("app", app_round)):
                times[name].append(timed(round_, new_series(programme, organiser), organiser))
        series = db.session.scalars(select(Series).order_by(Series.id.desc()).limit(1)).one()  # the app's last
        series_id = series.id
        mails = db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.series_id == series_id))
        letters = db.session.scalar(select(func.count(Letter.id)).where(Letter.series_id == series_id))
        print(f"invite and queue, commit included ({mails} mails queued, {letters} letters per round):")
        for index, what in enumerate(("clock", "CPU of this process")):
            app_time = statistics.median(run[index] for run in times["app"])
            floor_time = statistics.median(run[index] for run in times["floor"])
            print(f"  {what:20} app {app_time:.2f} s, floor {floor_time:.2f} s, {app_time / floor_time:.2f}x")

        began = time.perf_counter()
        again = invite_people(series, chosen_people(), actor=organiser)
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
