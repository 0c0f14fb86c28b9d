"""An organiser keeps people and imports a spreadsheet in a real browser; every page passes axe-core.

The people pages are new and not yet in the Dutch catalogue, so the test switches to English.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def log_in_in_english(page: Page, browse) -> None:
    browse.visit("/login")
    page.get_by_label("E-mailadres").fill("organiser@example.org")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    browse.follow(page.get_by_role("button", name="Inloggen", exact=True))
    page.get_by_label("Taal").select_option("en")
    browse.follow(page.get_by_role("button", name="Wissel"))


def test_organiser_adds_a_person_and_imports_a_list(page: Page, browse, organiser, tmp_path):
    log_in_in_english(page, browse)
    menu = page.get_by_role("navigation", name="Main menu")
    browse.follow(menu.get_by_role("link", name="People"))
    expect(page.get_by_role("heading", level=1, name="People")).to_be_visible()

    browse.follow(page.get_by_role("link", name="New person"))
    page.get_by_label("Name", exact=True).fill("Aisha")
    page.get_by_label("Role").select_option("expert")
    page.get_by_label("Under 16").check()
    browse.follow(page.get_by_role("button", name="Save"))
    expect(page.get_by_role("alert")).to_contain_text("a parent or guardian has consented")
    page.get_by_label("Date of consent").fill("2026-11-01")
    page.get_by_label("Consent given by").fill("Moeder")
    browse.follow(page.get_by_role("button", name="Save"))
    people = page.get_by_role("table", name="People")
    expect(people.get_by_role("link", name="Aisha")).to_be_visible()
    expect(people).to_contain_text("Expert by experience")

    browse.follow(page.get_by_role("link", name="Import from a spreadsheet"))
    sheet = tmp_path / "deelnemers.csv"
    sheet.write_bytes(
        "\ufeffNaam;E-mail;Rol;Organisatie;Gemeente\r\n"
        "Bram;bram@example.org;vrijwilliger;Wijkteam Oost;Nijmegen\r\n"
        "Zoë;geen-adres;bewoner;;Heumen\r\n".encode("utf-8")
    )
    page.get_by_label("Spreadsheet").set_input_files(str(sheet))
    browse.follow(page.get_by_role("button", name="Upload and check"))
    expect(page.get_by_role("heading", level=1, name="Check the import")).to_be_visible()
    expect(page.get_by_label("E-mail address")).to_have_value("1")
    rows = page.get_by_role("table", name="Rows in the file")
    expect(rows.get_by_role("row").filter(has_text="Bram")).to_contain_text("OK")
    expect(rows.get_by_role("row").filter(has_text="Zoë")).to_contain_text("Enter a valid e-mail address")

    browse.follow(page.get_by_role("button", name="Import", exact=True))
    expect(page.get_by_role("status")).to_contain_text("1 person imported. 1 row skipped.")
    expect(page.get_by_role("table", name="People").get_by_role("link", name="Bram")).to_be_visible()

    browse.follow(page.get_by_role("link", name="Organisations"))
    expect(page.get_by_role("link", name="1 person at Wijkteam Oost")).to_be_visible()
