"""The calendar links on the participant's page, in a real browser; every page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from planner.invitations.services import answer
from tests import factories
from tests.calendar_reading import read_events

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def test_participant_downloads_a_session_and_subscribes_to_a_feed(page: Page, browse, db, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    invitation = factories.make_invitation(series, name="Emma", language="en")
    first = series.sessions[0]
    answer(invitation, first, "yes")
    db.session.commit()

    page.set_viewport_size(PHONE)
    browse.visit(f"/i/{invitation.token}")
    download = page.locator(f"#session-{first.id}").get_by_role("link", name="Add this meeting to my calendar")
    expect(download).to_be_visible()
    response = page.request.get(download.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")
    assert [e["uid"] for e in read_events(response.body())] == [first.uid]

    expect(page.get_by_role("link", name="Subscribe in my agenda")).to_have_count(0)
    browse.follow(page.get_by_role("button", name="Make my calendar link"))
    subscribe = page.get_by_role("link", name="Subscribe in my agenda")
    expect(subscribe).to_be_visible()
    webcal = subscribe.get_attribute("href")
    assert webcal.startswith("webcal://")
    address = page.get_by_label("Or copy this address into your agenda app:").input_value()
    feed = page.request.get("/" + address.split("/", 3)[3])
    assert feed.ok
    assert [e["uid"] for e in read_events(feed.body())] == [first.uid]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
