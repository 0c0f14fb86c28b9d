"""Presentation once: mailed links come from the route table under BASE_URL, a session reads the
same everywhere, and the planning time zone is one setting."""

from __future__ import annotations

import html
import re
from datetime import date, time
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from planner.invitations.mails import feed_url, personal_link, webcal_url
from planner.invitations.models import Answer
from planner.invitations.services import answer, renew_feed
from planner.links import external_url
from planner.mail.models import OutboxMessage
from planner.series.models import Venue
from planner.series.services import update_session
from tests import factories
from tests.calendar_reading import read_events
from tests.factories import details_of

WHEN_NL = "dinsdag 2 maart 2027, 19:30–21:30"
PLACE = "Buurthuis De Hoek, Dorpsstraat 12, Gendt"


@pytest.fixture
def base_url(app):
    """A BASE_URL with a path, as behind a proxy that serves the app under /reeks."""
    app.config["BASE_URL"] = "https://reeks.example/reeks/"
    yield "https://reeks.example/reeks"
    app.config["BASE_URL"] = "http://127.0.0.1:5000"


def test_links_are_built_from_the_routes_under_base_url_in_and_outside_a_request(app, db, base_url):
    assert external_url("participant.personal_page", token="abc") == f"{base_url}/i/abc"
    with app.test_request_context("/", base_url="http://other-host.example/"):
        assert external_url("feeds.personal_feed", token="abc") == f"{base_url}/feed/abc.ics", (
            "a mailed link never takes the host of the request"
        )
        assert external_url("statements.privacy") == f"{base_url}/privacy"


def test_every_mailed_link_opens_its_page(app, db, client, programme, organiser, base_url):
    series = factories.make_series(programme, organiser)
    invitation = factories.make_invitation(series, email="anna@example.org")
    feed = renew_feed(invitation.person)
    db.session.commit()
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == "anna@example.org"))
    links = set(re.findall(r"https://reeks\.example/reeks/[^\s\"<>]+", mail.body_text + mail.body_html))
    assert links == {personal_link(invitation), f"{base_url}/privacy", f"{base_url}/toegankelijkheid"}
    assert webcal_url(feed) == f"webcal://reeks.example/reeks/feed/{feed.token}.ics"
    for link in links | {feed_url(feed)}:
        path = urlsplit(link).path.removeprefix("/reeks")
        assert client.get(path).status_code == 200, link


@pytest.fixture
def session_in_hall(db, programme, organiser):
    series = factories.make_series(
        programme, organiser, first_day=date(2027, 3, 2), start=time(19, 30), end=time(21, 30)
    )
    hall = Venue(name="Buurthuis De Hoek", address="Dorpsstraat 12, Gendt", municipality="Lingewaard")
    db.session.add(hall)
    session = series.sessions[0]
    update_session(session, details_of(session, venue=hall))
    db.session.commit()
    return session


def page_text(response) -> str:
    assert response.status_code == 200
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))))


def test_a_session_reads_the_same_on_every_page_mail_letter_sheet_and_calendar(
    db, client, organiser_client, session_in_hall
):
    session = session_in_hall
    series = session.series
    with_mail = factories.make_invitation(series, name="Anna", email="anna@example.org", sessions=[session])
    by_letter = factories.make_invitation(series, name="Hans", email=None, sessions=[session])
    answer(with_mail, session, Answer.YES)
    db.session.commit()
    invite = db.session.scalars(select(OutboxMessage).where(OutboxMessage.calendar_method == "REQUEST")).one()
    [event] = read_events(invite.calendar_body.encode())
    session_url = f"/series/{series.id}/sessions/{session.id}"

    seen = {
        "invitation mail": invite.body_text,
        "calendar LOCATION": event["location"],
        "participant page": page_text(client.get(f"/i/{with_mail.token}")),
        "letter": page_text(organiser_client.get(f"/series/{series.id}/invitations/{by_letter.id}/letter")),
        "series page": page_text(organiser_client.get(f"/series/{series.id}")),
        "sign-in sheet": page_text(organiser_client.get(f"{session_url}/sign-in-sheet")),
        "check-in": page_text(organiser_client.get(f"{session_url}/check-in")),
    }
    for where, text in seen.items():
        assert PLACE in text, f"the place on the {where}"
        if where != "calendar LOCATION":
            assert WHEN_NL in text, f"the time on the {where}"


def test_new_series_are_planned_in_the_planning_time_zone(app, db, programme, organiser):
    app.config["PLANNING_TIMEZONE"] = "Europe/London"
    try:
        series = factories.make_series(
            programme, organiser, first_day=date(2027, 3, 2), start=time(19, 30), end=time(21, 30)
        )
    finally:
        app.config["PLANNING_TIMEZONE"] = "Europe/Amsterdam"
    assert series.timezone == "Europe/London"
    assert series.sessions[0].timezone == "Europe/London"
    assert series.sessions[0].starts_at.hour == 19, "19:30 in London in winter is 19:30 UTC"


def test_the_babel_time_zone_follows_the_planning_time_zone(monkeypatch, tmp_path):
    from planner.config import load_config

    monkeypatch.setenv("PLANNING_TIMEZONE", "Europe/Brussels")
    config = load_config(str(tmp_path), debug=True)
    assert config["PLANNING_TIMEZONE"] == config["BABEL_DEFAULT_TIMEZONE"] == "Europe/Brussels"
    monkeypatch.setenv("PLANNING_TIMEZONE", "Mars/Olympus")
    with pytest.raises(RuntimeError, match="PLANNING_TIMEZONE"):
        load_config(str(tmp_path), debug=True)
