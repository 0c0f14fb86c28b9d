"""Check-in at the door and self check-in on a phone-sized screen; every page passes axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from planner.invitations.services import answer
from planner.series.services import publish_series
from planner.timekeeping import utcnow
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def series(db, programme, organiser):
    organiser.locale = "en"
    series = factories.make_series(programme, organiser, count=4)
    publish_series(series)
    session = series.sessions[0]
    session.starts_at = utcnow() + timedelta(minutes=10)
    session.ends_at = session.starts_at + timedelta(hours=2)
    db.session.commit()
    return series


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.querySelector('main').scrollWidth <= window.innerWidth")


def test_organiser_checks_people_in_at_the_door(page: Page, browse, db, organiser, series):
    session = series.sessions[0]
    for name, reply in (("Anna", "no"), ("Zoë de Vries", "yes")):
        answer(factories.make_invitation(series, name=name), session, reply)
    db.session.commit()

    page.set_viewport_size(PHONE)
    browse.visit("/login")
    page.get_by_label("E-mailadres").fill(organiser.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    browse.follow(page.get_by_role("button", name="Inloggen", exact=True))
    browse.visit(f"/series/{series.id}")
    browse.follow(page.get_by_role("link", name="Check-in").first)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check-in")
    expect(page.locator(".checkin-row").first).to_contain_text("Zoë de Vries")
    assert fits_the_screen(page)

    zoe = page.locator(".checkin-row", has_text="Zoë de Vries")
    browse.follow(zoe.get_by_role("button", name="Present"))
    expect(page.locator(".checkin-count")).to_have_text("1 person present")
    browse.follow(zoe.get_by_role("button", name="Undo"))
    expect(page.locator(".checkin-count")).to_have_text("0 people present")

    page.get_by_label("Search by name").fill("zoë")
    browse.follow(page.get_by_role("button", name="Search"))
    expect(page.locator(".checkin-row")).to_have_count(1)

    page.get_by_label("Name", exact=True).fill("Noor")
    page.get_by_label("Role").select_option("volunteer")
    page.get_by_label("Organisation").fill("Vrijwilligerscentrale")
    browse.follow(page.get_by_role("button", name="Check in", exact=True))
    expect(page.get_by_role("status").first).to_contain_text("Noor is checked in")
    expect(page.locator(".checkin-row.is-present")).to_contain_text("Noor")
    assert fits_the_screen(page)

    browse.follow(page.get_by_role("link", name="Small groups"))
    page.get_by_label("this number of groups").check()
    page.get_by_label("Number", exact=True).fill("1")
    browse.follow(page.get_by_role("button", name="Draw groups"))
    expect(page.get_by_role("heading", name="Group 1")).to_be_visible()
    assert fits_the_screen(page)

    browse.visit(f"/series/{series.id}/sessions/{session.id}/sign-in-sheet")
    expect(page.get_by_role("table")).to_contain_text("Zoë de Vries")
    browse.visit(f"/series/{series.id}/attendance")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Attendance")

    browse.visit(f"/series/{series.id}/sessions/{session.id}/check-in/qr")
    expect(page.get_by_role("img", name="QR code to check in")).to_be_visible()
    assert fits_the_screen(page)


def test_participant_checks_in_with_their_link(page: Page, browse, db, series):
    session = series.sessions[0]
    invitation = factories.make_invitation(series, name="Emma", language="en")
    answer(invitation, session, "yes")
    later = series.sessions[1]
    db.session.commit()

    page.set_viewport_size(PHONE)
    browse.visit(f"/i/{invitation.token}/check-in/{later.id}")
    expect(page.get_by_text("Hello Emma")).to_be_visible()
    browse.follow(page.get_by_role("button", name="I am here"))
    expect(page.get_by_role("alert")).to_contain_text("You can check in from")

    browse.visit(f"/i/{invitation.token}/check-in/{session.id}")
    browse.follow(page.get_by_role("button", name="I am here"))
    expect(page.get_by_role("status")).to_contain_text("Thank you, Emma. You are checked in.")
    assert fits_the_screen(page)
