"""A trekker reads a series' evaluation in the browser: charts beside tables, hidden small figures; axe clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests import evaluation_data as data, factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def series(db, programme, organiser):
    series = factories.make_series(programme, organiser, count=4, municipality="Beuningen")
    form = data.make_form(programme)
    for i, session in enumerate(series.sessions[:2]):
        data.use_form(session, form)
        data.mark_present(session, 12)
        responses = [
            data.respond(
                session,
                form,
                {
                    "mood": 3 if j % 3 else 2,
                    "useful": 4,
                    "mark": 8,
                    "again": 1,
                    "theme": "care",
                    "learned": ["signals"],
                    "remark": f"Ik voelde me welkom ({i}-{j})",
                },
                role="resident" if j < 6 else "professional",
            )
            for j in range(12)
        ]
        data.approve_all(responses)
    db.session.commit()
    return series


def test_a_trekker_reads_a_summary_and_stars_a_quote(page: Page, browse, db, trekker, series):
    browse.visit("/login")
    page.get_by_label("E-mailadres").fill(trekker.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    browse.follow(page.get_by_role("button", name="Inloggen", exact=True))
    browse.visit(f"/series/{series.id}")
    browse.follow(page.get_by_role("link", name="Samenvatting evaluatie", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Evaluatie")
    expect(page.locator(".response-line")).to_contain_text("24")
    chart = page.get_by_role("img", name="Vraag mark", exact=True)
    expect(chart).to_be_visible()
    expect(page.get_by_role("img", name="Gemiddelde per bijeenkomst: Vraag mark")).to_be_visible()
    expect(page.get_by_role("table", name="Antwoorden op: Vraag mark")).to_contain_text("24")
    expect(page.get_by_role("table", name="Reacties en gemiddelden per rol")).to_contain_text("Professional")

    browse.follow(page.get_by_role("link", name="Citaten", exact=True))
    quote = page.locator(".quote").first
    expect(quote).to_contain_text("Ik voelde me welkom")
    browse.follow(quote.get_by_role("button", name="Ster voor het verslag"))
    expect(page.locator(".quote.is-starred")).to_have_count(1)

    browse.visit(f"/series/{series.id}/evaluation/report")
    expect(page.locator(".report .quotes")).to_contain_text("Ik voelde me welkom")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()


def test_the_report_and_the_compare_page_pass_axe(page: Page, browse, db, trekker, series, programme, organiser):
    other = factories.make_series(programme, organiser, count=4, title="Ontmoeting Heumen", municipality="Heumen")
    form = data.make_form(programme, title="Ander")
    data.use_form(other.sessions[0], form)
    data.mark_present(other.sessions[0], 7)
    for _j in range(6):
        data.respond(
            other.sessions[0],
            form,
            {"mood": 2, "useful": 3, "mark": 6, "contact_before": 2, "contact_now": 3},
            role="volunteer",
        )
    db.session.commit()
    browse.visit("/login")
    page.get_by_label("E-mailadres").fill(trekker.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    browse.follow(page.get_by_role("button", name="Inloggen", exact=True))

    browse.visit(f"/series/{series.id}/evaluation/report")
    expect(page.get_by_role("heading", name="Wie we bereikten")).to_be_visible()
    expect(page.get_by_role("img", name="Profiel sociale kwaliteit (0–100)")).to_be_visible()
    browse.follow(page.get_by_role("link", name="Met de hele bijlage per vraag"))
    expect(page.get_by_role("heading", name="Bijlage: alle vragen")).to_be_visible()
    expect(page.get_by_role("img", name="Vraag mark", exact=True)).to_be_visible()

    browse.visit(f"/programmes/{programme.slug}/evaluations?series={series.id}&series={other.id}")
    chart = page.get_by_role("img", name="Sociale kwaliteit (0–100) per reeks")
    expect(chart).to_be_visible()
    expect(page.get_by_role("table", name="Reeksen naast elkaar")).to_contain_text("Ontmoeting Heumen")
