"""Consent, the statements and the audit trail in a real browser; every page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from planner.people.models import Consent
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SMALLEST = {"width": 320, "height": 640}


def main_fits(page: Page) -> bool:
    return page.evaluate("document.querySelector('main').scrollWidth <= window.innerWidth")


def test_a_participant_gives_consent_on_a_small_phone_and_reads_the_statements(
    page: Page, browse, db, programme, organiser
):
    series = factories.make_series(programme, organiser)
    invitation = factories.make_invitation(series, name="Iris", language="nl")
    page.set_viewport_size(SMALLEST)
    browse.visit(f"/i/{invitation.token}")
    consent = page.get_by_role("region", name="Waar je toestemming voor geeft")
    photos = consent.get_by_role("group", name="Op de foto gaan")
    photos.get_by_label("Ja, dat vind ik goed").check()
    consent.get_by_role("group", name="Benaderd worden voor vervolgonderzoek").get_by_label(
        "Nee, dat vind ik niet goed"
    ).check()
    browse.follow(consent.get_by_role("button", name="Mijn keuzes opslaan"))
    expect(page.get_by_role("status")).to_contain_text("Je keuzes zijn opgeslagen")
    expect(page.get_by_role("group", name="Op de foto gaan").get_by_label("Ja, dat vind ik goed")).to_be_checked()
    assert main_fits(page)
    assert {(c.purpose, c.given) for c in db.session.scalars(select(Consent))} == {
        ("photos", True),
        ("research", False),
    }

    browse.follow(page.get_by_role("contentinfo").get_by_role("link", name="Privacyverklaring"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacyverklaring")
    assert main_fits(page)
    browse.follow(page.get_by_role("contentinfo").get_by_role("link", name="Toegankelijkheidsverklaring"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Toegankelijkheidsverklaring")
    assert main_fits(page)
    page.get_by_label("Taal").select_option("en")
    browse.follow(page.get_by_role("button", name="Wissel"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Accessibility statement")


def test_an_admin_filters_the_audit_trail(page: Page, browse, db, admin):
    person = factories.make_person(name="Bram")
    browse.visit("/login")
    page.get_by_label("E-mailadres").fill(admin.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    browse.follow(page.get_by_role("button", name="Inloggen", exact=True))
    browse.visit(f"/people/{person.id}")
    expect(page.get_by_role("table", name="Toestemming per doel")).to_contain_text("Niet gevraagd")
    browse.follow(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Logboek"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Logboek")
    page.get_by_label("Actie").select_option("view")
    page.get_by_label("Soort gegevens").select_option("person")
    browse.follow(page.get_by_role("button", name="Toon"))
    table = page.get_by_role("table", name="Logboek")
    expect(table.get_by_role("row")).to_have_count(2)
    expect(table).to_contain_text(admin.email)
    expect(table).to_contain_text(f"GET /people/{person.id}")
