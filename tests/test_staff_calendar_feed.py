"""A staff member's calendar feed: the sessions they organise, shown and renewed on the account page."""

from __future__ import annotations

import re

from planner.extensions import db as _db
from planner.invitations.services import answer
from planner.series.services import cancel_session
from tests import factories
from tests.calendar_reading import read_events
from tests.conftest import login


def _feed_url(client) -> str:
    page = client.get("/account").get_data(as_text=True)
    found = re.search(r'value="https?://[^"/]+(/calendar/staff/[^"]+\.ics)"', page)
    assert found, "the account page shows the feed's address"
    return found.group(1)


def test_an_organiser_makes_a_feed_of_the_sessions_they_organise_without_participants(client, programme, organiser):
    mine = factories.make_series(programme, organiser, title="Ontmoeting Gendt")
    invitation = factories.make_invitation(mine, name="Anna Geheim", email="anna@example.org")
    answer(invitation, mine.sessions[0], "yes")
    other = factories.make_programme(name="JIP")
    factories.make_invitation(factories.make_series(other, organiser, title="JIP Arnhem"))
    factories.make_series(programme, organiser, title="Nog een concept")  # a draft: not in anyone's agenda
    login(client, organiser.email)
    assert "Mijn agendafeed maken" in client.get("/account").get_data(as_text=True)

    assert client.post("/account/calendar-feed").status_code == 302
    url = _feed_url(client)
    client.post("/logout")  # the feed works without a login: its address is the key
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    events = read_events(response.data)
    assert sorted(e["uid"] for e in events) == sorted(f"organiser-{s.uid}" for s in mine.sessions)
    text = response.data.decode()
    assert "Ontmoeting Gendt" in text
    assert "JIP Arnhem" not in text
    assert "Nog een concept" not in text
    assert "Anna" not in text
    assert "anna@example.org" not in text
    assert f"/series/{mine.id}" in text


def test_a_new_address_makes_the_old_one_stop_working(client, programme, organiser):
    series = factories.make_series(programme, organiser)
    factories.make_invitation(series)
    login(client, organiser.email)
    client.post("/account/calendar-feed")
    old = _feed_url(client)
    page = client.post("/account/calendar-feed", follow_redirects=True).get_data(as_text=True)
    assert "nieuw adres" in page
    new = _feed_url(client)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_a_cancelled_session_stays_in_the_feed_as_cancelled(client, programme, organiser):
    series = factories.make_series(programme, organiser)
    factories.make_invitation(series)
    cancel_session(series.sessions[1], "Zaal onder water")
    _db.session.commit()
    login(client, organiser.email)
    client.post("/account/calendar-feed")
    events = {e["uid"]: e for e in read_events(client.get(_feed_url(client)).data)}
    assert events[f"organiser-{series.sessions[1].uid}"]["status"] == "CANCELLED"


def test_a_guessed_or_odd_token_is_a_404(client):
    assert client.get(f"/calendar/staff/{'Gok' * 10}.ics").status_code == 404
    assert client.get("/calendar/staff/kort.ics").status_code == 404
