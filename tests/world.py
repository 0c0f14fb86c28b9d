"""A small world every kind of user can act in: two programmes, their staff, a published series with an
invited person, a blocked date, an organisation and an evaluation form.

Shared by the access matrix and the fuzz test, so both probe the same objects.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from planner.dashboard.calendar_feed import renew_calendar_token
from planner.evaluations.catalogue import SESSION
from planner.evaluations.models import EvaluationRequest
from planner.evaluations.services import builtin_form, copy_form, evaluation_of
from planner.extensions import db
from planner.invitations.services import renew_feed
from planner.mail.models import OutboxMessage
from planner.people.services import save_organisation
from planner.series.services import open_public_feed
from tests import factories

USERS = ("admin", "organiser_a", "trekker_a", "organiser_b", "anonymous")


@dataclass
class World:
    values: dict  # a value for every URL variable of the app, naming an object of programme A
    users: dict  # key in USERS (but anonymous) → the staff user
    clients: dict  # key in USERS → a test client logged in as that user
    feed_token: str  # the invited person's personal calendar feed


def build_world(app) -> World:
    """Programme A (organiser, trekker) and programme B (organiser), each with a published series,
    an invited person and a blocked date; an admin; a client logged in as each of them."""
    from tests.conftest import login

    admin = factories.make_user(email="admin@example.org", is_admin=True)
    a, b = factories.make_programme(name="Leeratelier A"), factories.make_programme(name="Leeratelier B")
    users = {"admin": admin}
    for key, programme, role in [
        ("organiser_a", a, "organiser"),
        ("trekker_a", a, "trekker"),
        ("organiser_b", b, "organiser"),
    ]:
        users[key] = factories.make_user(email=f"{key}@example.org")
        factories.add_member(programme, users[key], role)
    db.session.commit()
    series_a = factories.make_series(a, admin, title="Reeks A")
    factories.make_series(b, admin, title="Reeks B")
    invitation = factories.make_invitation(series_a, name="Deelnemer A")
    feed = renew_feed(invitation.person)
    series_feed_token = open_public_feed(series_a)
    staff_feed_token = renew_calendar_token(users["organiser_a"])
    blocked = factories.make_blocked_date(a)
    organisation = save_organisation(None, name="Wijkteam", municipality="Gendt")
    db.session.commit()

    session = series_a.sessions[0]
    form = copy_form(builtin_form(SESSION), a, actor=admin)
    screen = evaluation_of(session)
    asked = EvaluationRequest(session_id=session.id, person_id=invitation.person_id, token="e" * 32)
    db.session.add(asked)
    db.session.commit()
    values = {
        "slug": a.slug,
        "series_id": series_a.id,
        "session_id": session.id,
        "invitation_id": invitation.id,
        "person_id": invitation.person_id,
        "organisation_id": organisation.id,
        "user_id": users["organiser_a"].id,
        "blocked_id": blocked.id,
        "token": invitation.token,
        "code": session.door_code,
        "year": session.local_start.year,
        "month": session.local_start.month,
        "filename": "style.css",
        "form_id": form.id,
        "key": form.questions[0].key,
        "evaluation_token": asked.token,
        "screen_code": screen.short_code,
        "kind": "csv",
        "mail_kind": "invitation",
        "language": "nl",
        "answer_id": 1,  # POSTs on an answer are only made by those refused before the answer is looked up
        "message_id": db.session.scalar(sa.select(OutboxMessage.id).limit(1)),
        "series_feed_token": series_feed_token,
        "staff_feed_token": staff_feed_token,
    }
    clients = {}
    for key in USERS:
        clients[key] = app.test_client()
        if key != "anonymous":
            login(clients[key], users[key].email)
    return World(values=values, users=users, clients=clients, feed_token=feed.token)


def empty_tables() -> None:
    """Every table emptied, as after a test, so a new world can be built."""
    db.session.rollback()
    db.session.remove()
    tables = db.metadata.sorted_tables
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(tables):
                connection.execute(table.delete())


def add_history(world: World) -> list[dict]:
    """More to act on, for the fuzz test: in programme A a series whose sessions happened, with people
    present and answers given, one session cancelled, and a draft series.

    Returns the world's values and, for each of these, the values with its ids: a scene each.
    """
    from planner.attendance.models import Attendance
    from planner.evaluations.models import EvaluationAnswer, EvaluationResponse, SessionEvaluation
    from planner.series.services import cancel_session
    from tests import evaluation_data, evaluation_factories

    admin = world.users["admin"]
    programme = _programme_of(world.values["slug"])
    past = evaluation_factories.past_series(programme, admin, title="Reeks voorbij")
    form = evaluation_data.make_form(programme)
    for session in past.sessions[1:]:
        evaluation_data.use_form(session, form)
        people = evaluation_data.mark_present(session, 6)
        for number, person in enumerate(people):
            evaluation_data.respond(
                session,
                form,
                {
                    "mood": number % 3 + 1,
                    "useful": number % 5 + 1,
                    "mark": 7,
                    "theme": "care",
                    "learned": ["signals"],
                    "remark": f"Opmerking {number}",
                },
                person=person,
            )
    evaluation_data.approve_all(db.session.scalars(sa.select(EvaluationResponse)).all()[::2])
    cancel_session(past.sessions[0], "Ziek")
    draft = factories.make_series(programme, admin, title="Reeks in concept")
    db.session.commit()
    last = past.sessions[-1]
    answer = db.session.scalar(sa.select(EvaluationAnswer).where(EvaluationAnswer.text.is_not(None)).limit(1))
    person_id = db.session.scalar(sa.select(Attendance.person_id).where(Attendance.session_id == last.id).limit(1))
    asked = EvaluationRequest(session_id=last.id, person_id=person_id, token="p" * 32)
    db.session.add(asked)
    db.session.commit()
    screen = db.session.scalar(sa.select(SessionEvaluation).where(SessionEvaluation.session_id == last.id))
    return [
        world.values,
        {
            **world.values,
            "series_id": past.id,
            "session_id": last.id,
            "answer_id": answer.public_id,
            "person_id": person_id,
            "year": last.local_start.year,
            "month": last.local_start.month,
            "evaluation_token": asked.token,
            "screen_code": screen.short_code,
        },
        {**world.values, "series_id": past.id, "session_id": past.sessions[0].id},
        {**world.values, "series_id": draft.id, "session_id": draft.sessions[0].id},
    ]


def _programme_of(slug: str):
    from planner.programmes.models import Programme

    return db.session.scalar(sa.select(Programme).where(Programme.slug == slug))
