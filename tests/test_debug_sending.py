"""In debug mode an admin sends the due evaluation mails and reminders from the debug mailbox."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from planner.invitations.models import Answer
from planner.invitations.services import answer
from planner.mail.models import OutboxMessage
from tests import evaluation_factories as ef, factories
from tests.conftest import login

EVALUATIONS = "/debug/mailbox/send-evaluations"
REMINDERS = "/debug/mailbox/send-reminders"


@pytest.fixture
def debug_mode(app, monkeypatch):
    monkeypatch.setitem(app.config, "DEBUG", True)
    assert app.debug


def outbox_count(db) -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def test_the_buttons_send_the_evaluation_mails_that_are_due(debug_mode, client, db, admin, programme, organiser):
    series = ef.past_series(programme, organiser, last_days_ago=1)
    came = ef.present(series.sessions[-1], name="Kwam", email="kwam@example.org")
    db.session.commit()
    login(client, admin.email)
    client.post("/language", data={"lang": "en"})
    page = client.get("/debug/mailbox/").get_data(as_text=True)
    assert f'formaction="{EVALUATIONS}"' in page
    assert f'formaction="{REMINDERS}"' in page

    response = client.post(EVALUATIONS, data={"moment": ""})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/debug/mailbox/")
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == came.email)).one()
    assert "/e/" in mail.body_text
    page = client.get("/debug/mailbox/").get_data(as_text=True)
    assert "Queued 1 evaluation mail(s) and 0 evaluation reminder(s)." in page
    assert client.post(EVALUATIONS, data={}).status_code == 303
    assert outbox_count(db) == 1, "pressed twice, sent once"


def test_reminders_as_if_it_were_the_day_before(debug_mode, client, db, admin, programme, organiser):
    series = factories.make_series(programme, organiser)
    invitation = factories.make_invitation(series, email="ja@example.org", language="en")
    session = series.sessions[0]
    answer(invitation, session, Answer.YES)
    db.session.commit()
    before = outbox_count(db)
    login(client, admin.email)
    client.post("/language", data={"lang": "en"})
    assert client.post(REMINDERS, data={"moment": ""}).status_code == 303
    assert outbox_count(db) == before, "not due yet"
    day_before = (session.local_start - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(REMINDERS, data={"moment": day_before}).status_code == 303
    assert outbox_count(db) == before + 1
    reminder = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert reminder.to_address == "ja@example.org"
    assert "Queued 1 reminder." in client.get("/debug/mailbox/").get_data(as_text=True)


@pytest.mark.parametrize("moment", ["gisteren", "9999-01-01T10:00", "2026-13-40T25:99"])
def test_an_odd_moment_is_a_message_and_sends_nothing(debug_mode, client, db, admin, moment):
    login(client, admin.email)
    client.post("/language", data={"lang": "en"})
    response = client.post(EVALUATIONS, data={"moment": moment})
    assert response.status_code == 303
    assert "As if it were" in client.get("/debug/mailbox/").get_data(as_text=True)
    assert outbox_count(db) == 0


def test_outside_debug_mode_there_are_no_buttons_and_no_pages(app, client, db, admin):
    assert not app.debug
    login(client, admin.email)
    for url in (EVALUATIONS, REMINDERS):
        assert client.post(url, data={}).status_code == 404


def test_only_admins_may_press_them(debug_mode, client, db, organiser):
    assert client.post(EVALUATIONS, data={}).status_code == 302  # to the login
    login(client, organiser.email)
    assert client.post(EVALUATIONS, data={}).status_code == 403
    assert client.post(REMINDERS, data={}).status_code == 403


def test_without_csrf_token_nothing_is_sent(debug_mode, client, db, admin):
    login(client, admin.email)
    assert client.post(EVALUATIONS, data={}, csrf=False).status_code == 400


def test_on_the_demo_world_the_button_sends_evaluation_mails_whose_links_work(debug_mode, app, client, db):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    before = outbox_count(db)
    login(client, "beheer@example.org", "reeks-demo-2026")
    assert client.post(EVALUATIONS, data={"moment": ""}).status_code == 303
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id).offset(before)).all()
    assert len(mails) == 6
    assert {m.subject for m in mails} == {"Terugkomavond Ontmoeting Huissen"}
    link = re.search(r"/e/[A-Za-z0-9_\-]+", mails[0].body_text).group(0)
    client.get("/logout")
    form = client.get(link)
    assert form.status_code == 200
    assert "Terugkomavond Ontmoeting Huissen" in form.get_data(as_text=True)
