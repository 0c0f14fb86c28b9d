"""The check-in screen, sign-in sheet and self check-in, over HTTP, without JavaScript."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from planner.attendance.models import Attendance
from planner.attendance.routes import door_code
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
        response = organiser_client.post(page + "/mark", data={"csrf_token": token, "person_id": zoe.id, "status": "present"})
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
    response = organiser_client.post(page + "/mark", data={"csrf_token": token, "person_id": stranger.id, "status": "present"}, follow_redirects=True)
    assert "not on the list" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_a_walk_in_is_added_and_checked_in(db, organiser_client, series, session):
    page = url(series, session, "check-in")
    token = csrf(organiser_client, page)
    data = {"csrf_token": token, "name": "Noor", "role": "volunteer", "organisation": "Vrijwilligerscentrale", "email": ""}
    response = organiser_client.post(page + "/walk-in", data=data, follow_redirects=True)
    assert "Noor is checked in" in response.get_data(as_text=True)
    organiser_client.post(page + "/walk-in", data=data)  # the same again: found, not stored twice
    assert db.session.scalar(select(func.count()).select_from(Person)) == 1
    bad = organiser_client.post(page + "/walk-in", data={**data, "name": "", "email": "nope"})
    assert bad.status_code == 400
    bad = organiser_client.post(page + "/walk-in", data={**data, "name": "Ali", "email": "nope"})
    assert bad.status_code == 400
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
    assert f"/check-in/{session.id}/{door_code(session.id)}" in html
    assert "data:image/svg+xml" in html


def _open_now(db, session):
    session.starts_at = utcnow() + timedelta(minutes=10)
    session.ends_at = session.starts_at + timedelta(hours=2)
    db.session.commit()


def test_self_check_in_with_the_personal_link(db, client, series, session):
    invitation = invited(series, session, "Zoë")
    page = f"/i/{invitation.token}/check-in/{session.id}"
    response = client.post(page, data={"csrf_token": csrf(client, page)})
    assert response.status_code == 400
    assert "You can check in from" in response.get_data(as_text=True)
    _open_now(db, session)
    response = client.post(page, data={"csrf_token": csrf(client, page)})
    assert response.status_code == 200
    assert "You are checked in" in response.get_data(as_text=True)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert client.get(f"/i/{'x' * 30}/check-in/{session.id}").status_code == 404


def test_self_check_in_by_name_on_the_door_link(db, english, series, session):
    client = english
    invited(series, session, "Zoë")
    _open_now(db, session)
    page = f"/check-in/{session.id}/{door_code(session.id)}"
    response = client.post(page, data={"csrf_token": csrf(client, page), "name": "zoë"})
    assert "You are checked in" in response.get_data(as_text=True)
    response = client.post(page, data={"csrf_token": csrf(client, page), "name": "Piet"})
    assert response.status_code == 400
    assert "cannot find this name" in response.get_data(as_text=True)
    assert client.get(f"/check-in/{session.id}/00000000").status_code == 404


def test_a_door_link_with_odd_characters_is_not_found(client, session):
    assert client.get(f"/check-in/{session.id}/%C3%A9%C3%A9%C3%A9").status_code == 404
