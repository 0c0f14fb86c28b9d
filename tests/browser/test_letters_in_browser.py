"""The letters to print in a real browser: the list, the letters themselves, marking them printed
and taking that back; the code page a participant types their code on. axe-core checks each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from planner.invitations.codes import shown
from planner.series.services import publish_series
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def series(db, programme, organiser):
    organiser.phone = "06 1234 5678"
    series = factories.make_series(programme, organiser, count=4, title="Ontmoeting Gendt")
    publish_series(series)
    db.session.commit()
    return series


def test_organiser_prints_the_letters_marks_them_printed_and_undoes_it(page: Page, browse, organiser, series):
    factories.make_invitation(series, name="Piet Papier", email=None)
    factories.make_invitation(series, name="Kees Krant", email=None)
    factories.make_invitation(series, name="Mira Mail", email="mira@example.org")

    browse.visit("/login")
    page.get_by_label("E-mailadres").fill(organiser.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    browse.follow(page.get_by_role("button", name="Inloggen", exact=True))
    browse.visit(f"/series/{series.id}/invitations")
    browse.follow(page.get_by_role("link", name="Brieven om te printen (2)"))

    expect(page.get_by_role("heading", level=1)).to_contain_text("Brieven om te printen")
    table = page.get_by_role("table").first
    expect(table.get_by_role("row")).to_have_count(3)
    expect(page.locator("article.letter")).to_have_count(2)
    expect(page.locator("article.letter").first).to_contain_text("06 1234 5678")
    expect(page.locator("article.letter").first).to_contain_text("Antwoordstrook")

    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Markeer deze 2 brieven als geprint")).to_be_hidden()
    expect(page.locator("article.letter").first).to_be_visible()
    page.emulate_media(media="screen")

    browse.follow(page.get_by_role("button", name="Markeer deze 2 brieven als geprint"))
    expect(page.get_by_role("status")).to_contain_text("2 brieven gemarkeerd als geprint")
    expect(page.get_by_text("Er zijn geen brieven om te printen.")).to_be_visible()

    browse.follow(page.get_by_role("button", name="Toch niet geprint: opnieuw printen"))
    expect(page.get_by_role("status")).to_contain_text("2 brieven moeten weer worden geprint")
    expect(page.locator("article.letter")).to_have_count(2)


def test_a_participant_types_the_code_from_the_letter(page: Page, browse, series):
    piet = factories.make_invitation(series, name="Piet Papier", email=None)
    browse.visit("/code")
    page.get_by_label("Code uit je brief").fill("zzzz-zzzz")
    browse.follow(page.get_by_role("button", name="Naar mijn pagina"))
    expect(page.get_by_text("Deze code kennen we niet.")).to_be_visible()
    page.get_by_label("Code uit je brief").fill(shown(piet.short_code).lower())
    browse.follow(page.get_by_role("button", name="Naar mijn pagina"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ontmoeting Gendt")
