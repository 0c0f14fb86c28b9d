"""The README's first ten minutes, walked in a real browser on the demo world.

An organiser plans and publishes a series, pastes two addresses (one with a name, one
without: the review step asks for it), a participant answers from the link in their mail,
the admin sends the demo's evaluation mails from the debug mailbox, and a trekker reads a
summary. With ``SCREENSHOTS=1`` the steps the README shows are written to docs/screenshots/.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from planner.mail.models import OutboxMessage
from tests.browser.test_series_in_browser import weekly_tuesdays_clear_of_holidays

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DEMO_PASSWORD = "reeks-demo-2026"
LINK = re.compile(r"https?://[^\s\"<>]+(/i/[A-Za-z0-9_\-]+)")


def screenshot(page: Page, name: str) -> None:
    """Only when asked (SCREENSHOTS=1): the README's images are made once and committed."""
    if os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=False)


def log_in(page: Page, browse, email: str) -> None:
    browse.visit("/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    browse.follow(page.get_by_role("button", name="Inloggen", exact=True))


def log_out(page: Page, browse) -> None:
    browse.follow(page.get_by_role("button", name="Uitloggen"))


def test_the_first_ten_minutes_of_the_readme(app, db, page: Page, browse, monkeypatch):
    monkeypatch.setitem(app.config, "DEBUG", True)  # the debug mailbox, as `make run` has it
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    page.set_viewport_size({"width": 1280, "height": 860})
    days = weekly_tuesdays_clear_of_holidays(datetime.now(UTC).date(), weeks_ahead=8)

    # 1. The organiser plans a series: template, title, first date; the app proposes the dates.
    log_in(page, browse, "ruud.hendriks@example.org")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    browse.follow(menu.get_by_role("link", name="Leerateliers"))
    browse.follow(page.get_by_role("link", name="Armoede", exact=True))
    browse.follow(page.get_by_role("link", name="Nieuwe reeks"))
    browse.follow(page.get_by_role("link", name="Ontmoetingenreeks"))
    page.get_by_label("Titel", exact=True).fill("Ontmoeting Angeren")
    page.get_by_label("Gemeente").fill("Lingewaard")
    page.get_by_label("Datum van de eerste bijeenkomst").fill(days[0].isoformat())
    browse.follow(page.get_by_role("button", name="Datums voorstellen"))
    proposals = page.get_by_role("region", name="Voorgestelde bijeenkomsten")
    expect(proposals.get_by_role("listitem")).to_have_count(5)
    proposals.evaluate("region => region.scrollIntoView()")
    screenshot(page, "1-dates-proposed.png")
    browse.follow(page.get_by_role("button", name="Reeks maken met deze datums"))
    browse.follow(page.get_by_role("button", name="Reeks publiceren"))
    expect(page.get_by_role("status")).to_contain_text("Reeks gepubliceerd.")

    # 2. Invite: pasted addresses; the one without a name gets one before anything is stored.
    browse.follow(page.get_by_role("link", name="Uitnodigingen"))
    page.get_by_label("E-mailadressen").fill("Mirjam de Vries <mirjam.devries@example.org>\nkees.nieuw@example.org")
    browse.follow(page.get_by_role("button", name="Uitnodigen", exact=True))
    expect(page.get_by_role("heading", level=1, name="Wie zijn deze mensen?")).to_be_visible()
    expect(page.get_by_label("Naam van mirjam.devries@example.org")).to_have_value("Mirjam de Vries")
    page.get_by_label("Naam van kees.nieuw@example.org").fill("Kees")
    screenshot(page, "2-name-the-new-people.png")
    browse.follow(page.get_by_role("button", name="Sla deze mensen op en nodig uit"))
    expect(page.locator("#sending-counts")).to_contain_text("2 mensen krijgen een mail")
    screenshot(page, "2-check-before-sending.png")
    browse.follow(page.get_by_role("button", name="Versturen", exact=True))
    expect(page.get_by_role("status")).to_contain_text("Nieuw uitgenodigd: 2.")
    expect(page.get_by_text("Kees", exact=True).first).to_be_visible()
    log_out(page, browse)

    # 3. The participant opens the link in their mail, on a phone, and says yes.
    mail = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == "mirjam.devries@example.org")
    ).one()
    assert "Hallo Mirjam de Vries" in mail.body_text
    personal_path = LINK.search(mail.body_text).group(1)
    page.set_viewport_size({"width": 390, "height": 844})
    browse.visit(personal_path)
    expect(page.get_by_role("heading", level=1, name="Ontmoeting Angeren")).to_be_visible()
    first = page.locator(".session-card").first
    first.get_by_label("Ja, ik kom").check()
    browse.follow(page.get_by_role("button", name="Mijn antwoorden opslaan"))
    expect(page.get_by_role("status")).to_contain_text("Je antwoorden zijn opgeslagen")
    screenshot(page, "3-participant-answers.png")

    # 4. The admin sends the demo's evaluation mails from the debug mailbox; they arrive there.
    page.set_viewport_size({"width": 1280, "height": 860})
    log_in(page, browse, "beheer@example.org")
    browse.visit("/debug/mailbox/")
    browse.follow(page.get_by_role("button", name="Verstuur de evaluatiemails die klaarstaan"))
    expect(page.get_by_role("status")).to_contain_text("6 evaluatiemail(s)")
    expect(page.get_by_role("link", name="Terugkomavond Ontmoeting Huissen").first).to_be_visible()
    log_out(page, browse)

    # 5. The trekker reads what an earlier round thought of it.
    log_in(page, browse, "sanne.devries@example.org")
    browse.follow(page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Leerateliers"))
    browse.follow(page.get_by_role("link", name="Armoede", exact=True))
    browse.follow(page.get_by_role("link", name="Ontmoeting Huissen", exact=True))
    browse.follow(page.get_by_role("link", name="Samenvatting evaluatie"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ontmoeting Huissen")
