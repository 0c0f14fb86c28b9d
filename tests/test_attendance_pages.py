"""The check-in screen, sign-in sheet and self check-in, over HTTP, without JavaScript."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from planner.attendance.models import Attendance, DoorCheckIn
from planner.invitations.services import answer
from planner.people.models import Person
from planner.timekeeping import utcnow
from tests import factories
from tests.conftest import login


@pytest.fixture
def series(db, programme, organiser):
    organiser.locale = "en"  # these tests read the English texts
    return factories.make_series(programme, organiser)


@pytest.fixture
def english(client):
    with client.session_transaction() as cookie:
        cookie["lang"] = "en"
    return client


@pytest.fixture
def session(series):
    return series.sessions[0]


def invited(series, session, name, reply="yes", **extra):
    invitation = factories.make_invitation(series, name=name, language="en", **extra)
    answer(invitation, session, reply)
    factories.db.session.commit()
    return invitation


def url(series, session, tail=""):
    return f"/series/{series.id}/sessions/{session.id}/{tail}"


def csrf(client, page):
    html = client.get(page).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_the_series_page_links_to_check_in(organiser_client, series, session):
    factories.make_invitation(series)
    html = organiser_client.get(f"/series/{series.id}").get_data(as_text=True)
    assert url(series, session, "check-in") in html


def test_check_in_lists_yes_first_and_one_tap_marks_present(db, organiser_client, series, session):
    invited(series, session, "Zoë")
    invited(series, session, "Anna", "no")
    page = url(series, session, "check-in")
    html = organiser_client.get(page).get_data(as_text=True)
    assert html.index("Zoë") < html.index("Anna")
    zoe = db.session.scalar(select(Person).where(Person.name == "Zoë"))
    token = csrf(organiser_client, page)
    for _ in range(2):  # a double tap changes nothing
        response = organiser_client.post(
            page + "/mark", data={"csrf_token": token, "person_id": zoe.id, "status": "present"}
        )
        assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1
    assert "1 person present" in organiser_client.get(page).get_data(as_text=True)
    organiser_client.post(page + "/mark", data={"csrf_token": token, "person_id": zoe.id, "status": "clear"})
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_search_by_name(organiser_client, series, session):
    invited(series, session, "Zoë")
    invited(series, session, "Anna")
    html = organiser_client.get(url(series, session, "check-in?q=zo")).get_data(as_text=True)
    assert "Zoë" in html
    assert "Anna" not in html


def test_bad_marks_are_clear_4xx_or_a_message(db, organiser_client, series, session):
    page = url(series, session, "check-in")
    token = csrf(organiser_client, page)
    assert organiser_client.post(page + "/mark", data={"csrf_token": token, "person_id": "x"}).status_code == 400
    stranger = factories.make_person()
    response = organiser_client.post(
        page + "/mark", data={"csrf_token": token, "person_id": stranger.id, "status": "present"}, follow_redirects=True
    )
    assert "not on the list" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_a_walk_in_is_added_and_checked_in(db, organiser_client, series, session):
    page = url(series, session, "check-in")
    token = csrf(organiser_client, page)
    data = {
        "csrf_token": token,
        "name": "Noor",
        "role": "volunteer",
        "organisation": "Vrijwilligerscentrale",
        "email": "",
    }
    response = organiser_client.post(page + "/walk-in", data=data, follow_redirects=True)
    assert "Noor is checked in" in response.get_data(as_text=True)
    organiser_client.post(page + "/walk-in", data=data)  # the same again: found, not stored twice
    assert db.session.scalar(select(func.count()).select_from(Person)) == 1
    bad = organiser_client.post(page + "/walk-in", data={**data, "name": "", "email": "nope"})
    assert bad.status_code == 422
    bad = organiser_client.post(page + "/walk-in", data={**data, "name": "Ali", "email": "nope"})
    assert bad.status_code == 422
    assert "valid e-mail" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Person)) == 1


def test_the_sign_in_sheet_has_names_but_no_email(organiser_client, series, session):
    invited(series, session, "Zoë", email="zoe@example.org")
    html = organiser_client.get(url(series, session, "sign-in-sheet")).get_data(as_text=True)
    assert "Zoë" in html
    assert series.title in html
    assert "Signature" in html
    assert "zoe@example.org" not in html
    assert "@" not in html.split("<main", 1)[1]


def test_only_organisers_reach_the_pages(client, db, programme, series, session):
    outsider = factories.make_user(email="other@example.org")
    factories.db.session.commit()
    login(client, outsider.email)
    for tail in ("check-in", "sign-in-sheet", "check-in/qr"):
        assert client.get(url(series, session, tail)).status_code == 404


def test_the_door_qr_page_shows_the_short_link(organiser_client, series, session):
    html = organiser_client.get(url(series, session, "check-in/qr")).get_data(as_text=True)
    assert f"/check-in/{session.id}/{session.door_code}" in html
    assert "data:image/svg+xml" in html


def _open_now(db, session):
    session.starts_at = utcnow() + timedelta(minutes=10)
    session.ends_at = session.starts_at + timedelta(hours=2)
    db.session.commit()


def test_self_check_in_with_the_personal_link(db, client, series, session):
    invitation = invited(series, session, "Zoë")
    page = f"/i/{invitation.token}/check-in/{session.id}"
    response = client.post(page, data={"csrf_token": csrf(client, page)})
    assert response.status_code == 422
    assert "You can check in from" in response.get_data(as_text=True)
    _open_now(db, session)
    response = client.post(page, data={"csrf_token": csrf(client, page)})
    assert response.status_code == 200
    assert "You are checked in" in response.get_data(as_text=True)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert client.get(f"/i/{'x' * 30}/check-in/{session.id}").status_code == 404


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrf_token"[^>]*value="[^"]+"', "", html)


def test_the_door_link_answers_the_same_whether_or_not_a_name_is_invited(db, english, series, session):
    client = english
    invited(series, session, "Zoë")
    invited(series, session, "Jan")
    invited(series, session, "jan")
    _open_now(db, session)
    page = f"/check-in/{session.id}/{session.door_code}"
    answers = {}
    for name in ("zoë", "Piet", "Jan"):  # invited, unknown, ambiguous
        response = client.post(page, data={"csrf_token": csrf(client, page), "name": name})
        answers[name] = (response.status_code, _without_csrf(response.get_data(as_text=True)))
    assert answers["zoë"] == answers["Piet"] == answers["Jan"]
    status, html = answers["Piet"]
    assert status == 200
    assert "The organiser will confirm your presence" in html
    assert "checked in" not in html.lower()
    assert "Zoë" not in html
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0, "nobody is present yet"
    assert [r.person.name for r in db.session.scalars(select(DoorCheckIn))] == ["Zoë"]
    response = client.post(page, data={"csrf_token": csrf(client, page), "name": ""})
    assert response.status_code == 422
    assert client.get(f"/check-in/{session.id}/00000000").status_code == 404


def test_the_organiser_confirms_or_undoes_self_check_ins(db, client, organiser_client, series, session):
    zoe = invited(series, session, "Zoë").person
    piet = invited(series, session, "Piet").person
    _open_now(db, session)
    page = f"/check-in/{session.id}/{session.door_code}"
    door = client.application.test_client()
    for name in ("Zoë", "Piet"):
        door.post(page, data={"csrf_token": csrf(door, page), "name": name})
    html = organiser_client.get(url(series, session, "check-in")).get_data(as_text=True)
    assert "Checked in at the door, to confirm" in html
    assert "0 people present" in html
    pending = html[html.index('id="pending"') : html.index("</section>")]
    assert "Zoë" in pending
    assert "Piet" in pending
    action = url(series, session, "check-in/pending")
    token = csrf(organiser_client, url(series, session, "check-in"))
    organiser_client.post(action, data={"csrf_token": token, "person_id": zoe.id, "action": "confirm"})
    organiser_client.post(action, data={"csrf_token": token, "person_id": piet.id, "action": "undo"})
    html = organiser_client.get(url(series, session, "check-in")).get_data(as_text=True)
    assert "1 person present" in html
    assert 'id="pending"' not in html
    marks = db.session.execute(select(Attendance.person_id, Attendance.status, Attendance.via)).all()
    assert marks == [(zoe.id, "present", "self")]
    response = organiser_client.post(action, data={"csrf_token": token, "person_id": piet.id, "action": "confirm"})
    assert response.status_code == 302
    assert "no check-in waiting" in organiser_client.get(response.location).get_data(as_text=True)


def test_the_organiser_renews_or_closes_the_door_code(db, client, organiser_client, series, session):
    invited(series, session, "Zoë")
    _open_now(db, session)
    old = session.door_code
    qr = url(series, session, "check-in/qr")
    token = csrf(organiser_client, qr)
    organiser_client.post(url(series, session, "check-in/door/renew"), data={"csrf_token": token})
    db.session.expire_all()
    new = db.session.merge(session).door_code
    assert new != old
    assert client.get(f"/check-in/{session.id}/{old}").status_code == 404, "the old print stops working"
    assert client.get(f"/check-in/{session.id}/{new}").status_code == 200
    assert f"/check-in/{session.id}/{new}" in organiser_client.get(qr).get_data(as_text=True)

    organiser_client.post(url(series, session, "check-in/door/close"), data={"csrf_token": token})
    page = f"/check-in/{session.id}/{new}"
    with client.session_transaction() as cookie:
        cookie["lang"] = "en"
    html = client.get(page).get_data(as_text=True)
    assert "Checking in by name is closed" in html
    assert 'name="name"' not in html
    response = client.post(page, data={"csrf_token": csrf(client, page), "name": "Zoë"})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(DoorCheckIn)) == 0
    html = organiser_client.get(qr).get_data(as_text=True)
    assert "data:image/svg+xml" not in html, "no QR code for a closed door"
    assert "Open again with a new code" in html


def test_too_many_names_from_one_client_wait(app, db, english, series, session, monkeypatch):
    monkeypatch.setitem(app.config, "CHECK_IN_MAX_TRIES_PER_CLIENT", 2)
    client = english
    invited(series, session, "Zoë")
    _open_now(db, session)
    page = f"/check-in/{session.id}/{session.door_code}"
    for name in ("Piet", "Klaas"):
        assert client.post(page, data={"csrf_token": csrf(client, page), "name": name}).status_code == 200
    response = client.post(page, data={"csrf_token": csrf(client, page), "name": "Zoë"})
    assert response.status_code == 429
    assert "Too many names were typed from this network" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(DoorCheckIn)) == 0
    other = client.application.test_client()
    response = other.post(
        page, data={"csrf_token": csrf(other, page), "name": "Zoë"}, environ_base={"REMOTE_ADDR": "198.51.100.7"}
    )
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(DoorCheckIn)) == 1


def test_a_door_link_with_odd_characters_is_not_found(client, session):
    assert client.get(f"/check-in/{session.id}/%C3%A9%C3%A9%C3%A9").status_code == 404
