"""An organiser plans a series in a real browser; every page passes axe-core.

Texts are the Dutch ones users see by default (planner/translations/nl). ``browse``
(tests/browser/conftest.py) checks every page reached with axe-core.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from babel.dates import format_date
from playwright.sync_api import Page, expect

from planner.series.scheduling import dutch_holidays
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SESSIONS = 5  # the Ontmoetingenreeks template's default


def weekly_tuesdays_clear_of_holidays(today: date, weeks_ahead: int = 4) -> list[date]:
    """Five weekly Tuesdays a few weeks ahead, none a public holiday or near Koningsdag."""
    holidays = dutch_holidays("nl")
    first = today + timedelta(weeks=weeks_ahead)
    first += timedelta(days=(1 - first.weekday()) % 7)

    def clear(day: date) -> bool:
        near_kings_day = abs(day - date(day.year, 4, 27)) <= timedelta(weeks=6)
        return day not in holidays and not near_kings_day

    while True:
        days = [first + timedelta(weeks=n) for n in range(SESSIONS)]
        if all(clear(day) for day in days):
            return days
        first += timedelta(weeks=1)


def dutch_day(day: date) -> str:
    return format_date(day, "EEEE d MMMM y", locale="nl")


def test_organiser_creates_a_series_from_a_template_and_sees_it_listed(page: Page, browse, organiser):
    days = weekly_tuesdays_clear_of_holidays(datetime.now(UTC).date())
    assert days[0].weekday() == 1

    # Anonymous visitors are sent to the login page.
    browse.visit("/")
    expect(page).to_have_url(re.compile(r"/login\b"))
    expect(page.get_by_role("heading", level=1, name="Inloggen")).to_be_visible()

    page.get_by_label("E-mailadres").fill("organiser@example.org")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    browse.follow(page.get_by_role("button", name="Inloggen", exact=True))
    expect(page.get_by_role("heading", level=1, name="Welkom, Olga Organiser")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Te doen")).to_be_visible()

    menu = page.get_by_role("navigation", name="Hoofdmenu")
    browse.follow(menu.get_by_role("link", name="Leerateliers"))
    browse.follow(page.get_by_role("link", name="Armoede", exact=True))
    expect(page.get_by_role("heading", level=1, name="Armoede")).to_be_visible()

    browse.follow(page.get_by_role("link", name="Nieuwe reeks"))
    browse.follow(page.get_by_role("link", name="Ontmoetingenreeks"))
    expect(page.get_by_role("radio", name="Ontmoetingenreeks")).to_be_checked()
    expect(page.get_by_role("radio", name="Elke week")).to_be_checked()
    expect(page.get_by_label("Begintijd")).to_have_value("19:30")
    expect(page.get_by_label("Eindtijd")).to_have_value("21:30")
    expect(page.get_by_label("Aantal bijeenkomsten")).to_have_value(str(SESSIONS))

    page.get_by_label("Titel", exact=True).fill("Ontmoeting Gendt")
    page.get_by_label("Datum van de eerste bijeenkomst").fill(days[0].isoformat())
    browse.follow(page.get_by_role("button", name="Datums voorstellen"))

    proposals = page.get_by_role("region", name="Voorgestelde bijeenkomsten")
    expect(proposals.get_by_role("listitem")).to_have_count(SESSIONS)
    for item, day in zip(proposals.get_by_role("listitem").all(), days, strict=True):
        expect(item).to_contain_text(f"{dutch_day(day)}, 19:30–21:30")
    expect(proposals.get_by_text("Niet op")).to_have_count(0)

    browse.follow(page.get_by_role("button", name="Reeks maken met deze datums"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Ontmoeting Gendt")
    expect(heading).to_contain_text("Concept")
    expect(page.get_by_role("heading", level=3)).to_have_count(SESSIONS)
    expect(page.get_by_role("heading", level=3, name="Ontmoeting 1")).to_be_visible()

    browse.follow(page.get_by_role("button", name="Reeks publiceren"))
    expect(page.get_by_role("status")).to_contain_text("Reeks gepubliceerd.")
    expect(heading).to_contain_text("Gepubliceerd")
    expect(page.get_by_role("button", name="Reeks publiceren")).to_have_count(0)
    expect(page.get_by_role("heading", level=3)).to_have_count(SESSIONS)

    browse.follow(page.get_by_role("link", name="Armoede", exact=True))
    series_table = page.get_by_role("table", name="Reeksen van Armoede")
    row = series_table.get_by_role("row").filter(has=page.get_by_role("link", name="Ontmoeting Gendt"))
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(2)).to_have_text(str(SESSIONS))
    expect(row).to_contain_text("Gepubliceerd")

    browse.follow(menu.get_by_role("link", name="Binnenkort"))
    upcoming = page.get_by_role("table", name="Bijeenkomsten in de komende zes maanden")
    for n, day in enumerate(days, start=1):
        row = upcoming.get_by_role("row").filter(has=page.get_by_role("link", name=f"Ontmoeting {n}"))
        expect(row).to_contain_text(f"{dutch_day(day)}, 19:30–21:30")
        expect(row).to_contain_text("Armoede")

    browse.follow(menu.get_by_role("link", name="Maand", exact=True))
    expect(menu.get_by_role("link", name="Maand", exact=True)).to_have_attribute("aria-current", "page")
    first_month = format_date(days[0], "MMMM y", locale="nl")
    months = page.get_by_role("navigation", name="Andere maanden")
    for _ in range(12):
        if page.get_by_role("heading", level=1).inner_text() == first_month:
            break
        browse.follow(months.get_by_role("link", name=re.compile("→")))
    expect(page.get_by_role("heading", level=1)).to_have_text(first_month)
    month_table = page.get_by_role("table", name=f"Bijeenkomsten in {first_month}")
    expect(month_table.get_by_role("link", name="19:30 Ontmoeting 1")).to_be_visible()


def test_switching_to_english_translates_the_page(page: Page, browse):
    browse.visit("/login")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1, name="Inloggen")).to_be_visible()

    page.get_by_label("Taal").select_option("en")
    browse.follow(page.get_by_role("button", name="Wissel"))

    expect(page).to_have_url(re.compile(r"/login\b"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1, name="Log in")).to_be_visible()
    expect(page.get_by_label("E-mail address")).to_be_visible()
    expect(page.get_by_label("Language")).to_have_value("en")
