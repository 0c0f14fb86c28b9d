"""The next round in a real browser: an organiser copies a finished series to new dates, changes
one on the review step, and archives the old one; every page passes axe-core (``browse``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from babel.dates import format_date
from playwright.sync_api import Page, expect

from planner.evaluations.services import FormDetails, choose_forms, create_form
from tests.evaluation_factories import past_series
from tests.factories import PASSWORD, future_tuesday

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def dutch_day(day) -> str:
    return format_date(day, "EEEE d MMMM y", locale="nl")


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def finished(db, programme, organiser):
    series = past_series(programme, organiser, title="Ontmoeting Bemmel")
    form = create_form(programme, FormDetails(title_nl="Na de casus"))
    choose_forms(series, {series.sessions[2].id: form.id}, delay_hours=2)
    db.session.commit()
    return series


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 900}])
def test_organiser_copies_a_finished_series_to_new_dates_and_archives_it(
    page: Page, browse, organiser, finished, viewport
):
    page.set_viewport_size(viewport)
    browse.visit("/login")
    page.get_by_label("E-mailadres").fill(organiser.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    browse.follow(page.get_by_role("button", name="Inloggen", exact=True))
    browse.visit(f"/series/{finished.id}")

    browse.follow(page.get_by_role("link", name="Reeks kopiëren"))
    expect(page.get_by_role("heading", level=1, name="Reeks kopiëren")).to_be_visible()
    page.get_by_label("Titel", exact=True).fill("Ontmoeting Huissen")
    page.get_by_label("Gemeente").fill("Lingewaard")
    first = future_tuesday(6)
    page.get_by_label("Datum van de eerste bijeenkomst").fill(first.isoformat())
    browse.follow(page.get_by_role("button", name="Datums voorstellen"))

    review = page.get_by_role("region", name="Controleer de data")
    expect(review.get_by_role("listitem")).to_have_count(4)
    expect(review.get_by_label("Datum van bijeenkomst 1 (Ontmoeting 1)")).to_have_value(first.isoformat())
    later = first + timedelta(weeks=3, days=2)
    review.get_by_label("Datum van bijeenkomst 4 (Ontmoeting 4)").fill(later.isoformat())
    assert fits_the_screen(page)
    browse.follow(review.get_by_role("button", name="Kopie opslaan", exact=True))

    expect(page.get_by_role("status")).to_contain_text("nog niemand is uitgenodigd")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Ontmoeting Huissen")
    expect(heading).to_contain_text("Concept")
    expect(page.get_by_role("heading", level=3)).to_have_count(4)
    expect(page.get_by_text(dutch_day(later))).to_be_visible()
    assert fits_the_screen(page)

    browse.follow(page.get_by_role("link", name="Evaluatie", exact=True))
    chosen = page.get_by_label("Formulier voor Ontmoeting 3")
    expect(chosen.locator("option:checked")).to_have_text("Na de casus")
    expect(page.get_by_label("Formulier voor Ontmoeting 1").locator("option:checked")).not_to_have_text("Na de casus")

    browse.visit(f"/series/{finished.id}")
    browse.follow(page.get_by_role("button", name="Reeks archiveren"))
    expect(page.get_by_role("status")).to_contain_text("archief")
    expect(page.get_by_role("button", name="Terughalen uit het archief")).to_be_visible()
    browse.follow(page.get_by_role("link", name="Armoede", exact=True))
    expect(page.get_by_role("link", name="Ontmoeting Bemmel", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Ontmoeting Huissen", exact=True)).to_be_visible()
    browse.follow(page.get_by_role("link", name="Ook gearchiveerde reeksen tonen"))
    expect(page.get_by_role("link", name="Ontmoeting Bemmel", exact=True)).to_be_visible()
