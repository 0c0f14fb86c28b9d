"""A person's own data from their personal link: see it, download it, stop our mails, ask to be deleted."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from planner.attendance.services import mark
from planner.audit.models import AuditEvent
from planner.invitations.reminders import send_due_reminders
from planner.invitations.services import (
    InvitationError,
    answer,
    invite_people,
    remind_unanswered,
    resend_invitation,
)
from planner.mail.models import OutboxMessage
from planner.people.models import Person
from planner.series.services import SessionDetails, update_session
from tests import factories
from tests.test_privacy_purge import ANONYMOUS_TEXT, APPROVED_TEXT, KEPT, SECRET_TEXTS, build_world


@pytest.fixture
def world(db, programme, organiser):
    return build_world(db, programme, organiser)


def _token(db, world, person) -> str:
    from planner.invitations.models import Invitation

    return db.session.scalar(
        sa.select(Invitation.token).where(Invitation.person_id == person.id, Invitation.series_id == world.old.id)
    )


def _events(db, action):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_the_download_holds_their_data_and_nobody_elses(client, db, world):
    token = _token(db, world, world.gone)
    response = client.get(f"/i/{token}/my-data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]
    text = response.get_data(as_text=True)
    data = json.loads(text)
    assert data["person"]["name"] == SECRET_TEXTS["name"]
    assert data["person"]["email"] == SECRET_TEXTS["email"]
    assert data["person"]["organisation"] == "Buurtteam (Lingewaard)"
    assert {c["given"] for c in data["consents"]} == {True, False}
    old = data["invitations"][0]
    assert old["series"] == "Ontmoeting Gendt"
    assert old["learning_question"] == SECRET_TEXTS["question"]
    assert old["needs"] == {"access": True, "interpreter": False, "childcare": True, "other": SECRET_TEXTS["needs"]}
    assert [s["answer"] for s in old["sessions"]][:2] == ["Ja", "Ja"]
    assert [row["status"] for row in data["attendance"]] == ["Aanwezig", "Aanwezig"]
    [evaluation] = data["evaluations"]
    assert evaluation["answers"] == [
        {"question": "Hoe vond je het?", "answers": ["Goed"]},
        {"question": "Wat wil je nog zeggen?", "answers": [SECRET_TEXTS["open"]]},
    ]
    # Nobody else's data, and never an anonymous answer.
    for other in (KEPT["name"], KEPT["email"], KEPT["question"], APPROVED_TEXT, ANONYMOUS_TEXT, "Derde Deelnemer"):
        assert other not in text
    [event] = _events(db, "export")
    assert (event.actor, event.object_type, event.object_id) == ("participant", "person", str(world.gone.id))


def test_the_readable_page_shows_the_same_and_is_recorded(client, db, world):
    token = _token(db, world, world.gone)
    assert f"/i/{token}/my-data" in client.get(f"/i/{token}").get_data(as_text=True)
    response = client.get(f"/i/{token}/my-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "noindex" in response.headers["X-Robots-Tag"]
    for text in (SECRET_TEXTS["name"], SECRET_TEXTS["email"], SECRET_TEXTS["question"], SECRET_TEXTS["open"], "Goed"):
        assert text in html
    for other in (KEPT["name"], APPROVED_TEXT, ANONYMOUS_TEXT):
        assert other not in html
    [event] = _events(db, "view")
    assert (event.actor, event.object_id) == ("participant", str(world.gone.id))


def test_unknown_or_dead_links_show_nothing(client, db, world):
    assert client.get("/i/not-a-real-token-at-all-000000/my-data").status_code == 404
    assert client.get("/i/x/my-data.json").status_code == 404
    assert client.post("/i/not-a-real-token-at-all-000000/my-data/withdraw").status_code == 404
    assert _events(db, "view") == []
    assert _events(db, "export") == []


def test_withdrawing_and_undoing_needs_csrf_and_is_recorded(client, db, world):
    token = _token(db, world, world.gone)
    assert client.post(f"/i/{token}/my-data/withdraw", csrf=False).status_code == 400
    db.session.expire_all()
    assert db.session.get(Person, world.gone.id).mail_withdrawn_at is None

    response = client.post(f"/i/{token}/my-data/withdraw")
    assert response.status_code == 302
    assert response.location.endswith(f"/i/{token}/my-data")
    db.session.expire_all()
    assert db.session.get(Person, world.gone.id).mail_withdrawn_at is not None
    assert "Stuur mij weer mails" in client.get(f"/i/{token}/my-data").get_data(as_text=True)
    client.post(f"/i/{token}/my-data/withdraw")  # twice: recorded once
    assert client.post(f"/i/{token}/my-data/resume").status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, world.gone.id).mail_withdrawn_at is None
    assert [e.detail for e in _events(db, "change")] == ["mail withdrawn", "mail resumed"]


def test_asking_to_be_deleted_with_a_confirmation_step(client, db, world, organiser):
    token = _token(db, world, world.gone)
    page = client.get(f"/i/{token}/my-data/delete")
    assert page.status_code == 200
    assert "Ja, verwijder mijn gegevens" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Person, world.gone.id).deletion_requested_at is None  # looking is not asking
    assert client.post(f"/i/{token}/my-data/delete").status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, world.gone.id).deletion_requested_at is not None
    assert client.post(f"/i/{token}/my-data/delete/cancel").status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, world.gone.id).deletion_requested_at is None
    client.post(f"/i/{token}/my-data/delete")
    from tests.conftest import login

    login(client, organiser.email)
    assert SECRET_TEXTS["name"] in client.get("/privacy/deletion-requests").get_data(as_text=True)


# Withdrawn from our mails: the invite step leaves them out.


def _mails_to(db, address) -> list[OutboxMessage]:
    return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.to_address == address)).all()


def test_withdrawn_people_get_no_invitation_reminder_or_calendar_update(db, programme, organiser, world):
    from planner.series.services import publish_series

    series = factories.make_series(programme, organiser, count=4, first_day=factories.future_tuesday(10))
    publish_series(series)
    quiet = factories.make_person(name="Stil", email="stil@example.org")
    loud = factories.make_person(name="Luid", email="luid@example.org")
    quiet.mail_withdrawn_at = loud.created_at
    db.session.commit()
    invited = invite_people(series, [quiet, loud], None)
    db.session.commit()
    assert len(_mails_to(db, "luid@example.org")) == 1
    assert _mails_to(db, "stil@example.org") == []

    assert remind_unanswered(series) == 1
    with pytest.raises(InvitationError) as error:
        resend_invitation(next(i for i in invited.invited if i.person_id == quiet.id))
    assert error.value.code == "mail_withdrawn"

    for invitation in invited.invited:
        answer(invitation, series.sessions[0], "yes")
    db.session.commit()
    session = series.sessions[0]
    moved = session.local_start + timedelta(hours=1)
    update_session(
        session,
        SessionDetails(
            day=moved.date(),
            start=moved.time(),
            end=(session.local_end + timedelta(hours=1)).time(),
            title=session.title,
            capacity=session.capacity,
        ),
    )
    db.session.commit()
    assert send_due_reminders(now=session.starts_at - timedelta(hours=1)) == 1
    db.session.commit()
    assert _mails_to(db, "stil@example.org") == []
    assert {m.calendar_method for m in _mails_to(db, "luid@example.org")} >= {"REQUEST"}
    assert len(_mails_to(db, "luid@example.org")) >= 4  # invitation, reminder, yes, the move, the day before


def test_the_own_data_page_asks_a_fixed_number_of_questions(app, client, db, programme, organiser, world):
    from tests.test_query_counts import queries_for

    token = _token(db, world, world.gone)
    few = queries_for(app, client, f"/i/{token}/my-data")
    few_json = queries_for(app, client, f"/i/{token}/my-data.json")
    for n in range(3):  # more series, answers and presence for the same person
        series = factories.make_series(programme, organiser, count=4, title=f"Extra {n}")
        invitation = factories.make_invitation(series, world.gone)
        answer(invitation, series.sessions[0], "yes")
        mark(series.sessions[0], world.gone.id, "present", actor=organiser)
    db.session.commit()
    assert queries_for(app, client, f"/i/{token}/my-data") == few
    assert queries_for(app, client, f"/i/{token}/my-data.json") == few_json


def test_withdrawing_also_stops_the_mails_still_waiting_in_the_outbox(client, db, world):
    from planner.mail.models import MailStatus
    from planner.mail.services import queue_mail

    person = db.session.get(Person, world.gone.id)
    waiting = queue_mail(
        to_address=person.email, to_name=person.name, language="nl", template="test", context={"sender": "Reeks"}
    )
    sent = queue_mail(
        to_address=person.email, to_name=person.name, language="nl", template="test", context={"sender": "Reeks"}
    )
    sent.status = MailStatus.SENT
    db.session.commit()
    waiting_id, sent_id = waiting.id, sent.id
    assert client.post(f"/i/{_token(db, world, world.gone)}/my-data/withdraw").status_code == 302
    db.session.expire_all()
    remaining = {m.id for m in _mails_to(db, person.email)}
    assert waiting_id not in remaining
    assert sent_id in remaining


def test_answers_and_proposals_from_their_calendar_are_part_of_their_data(client, db, world):
    from planner.invitations.models import AnsweredVia, Invitation, Rsvp

    token = _token(db, world, world.gone)
    rsvp = db.session.scalars(
        sa.select(Rsvp).join(Invitation).where(Invitation.token == token).order_by(Rsvp.id)
    ).first()
    # What the calendar-reply worker stores for an accept and a COUNTER from Outlook.
    rsvp.answered_via = AnsweredVia.CALENDAR
    rsvp.proposed_starts_at = rsvp.session.starts_at + timedelta(days=1)
    rsvp.proposed_ends_at = rsvp.session.ends_at + timedelta(days=1)
    rsvp.proposed_at = rsvp.session.starts_at - timedelta(days=7)
    rsvp.proposal_comment = "Woensdag kan ik beter"
    db.session.commit()

    [first, *_] = json.loads(client.get(f"/i/{token}/my-data.json").get_data(as_text=True))["invitations"][0][
        "sessions"
    ]
    assert first["answered_via"] == "In de agenda"
    assert first["proposal"]["comment"] == "Woensdag kan ik beter"
    assert first["proposal"]["starts_at"].startswith(rsvp.proposed_starts_at.date().isoformat())
    html = client.get(f"/i/{token}/my-data").get_data(as_text=True)
    assert "In de agenda" in html
    assert "Je stelde vanuit je agenda een andere tijd voor" in html
    assert "Woensdag kan ik beter" in html
