"""A participant fills in the evaluation on a phone, without help; every page passes axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from planner.evaluations.catalogue import RESIDENTS, ensure_builtin_forms
from planner.evaluations.models import EvaluationRequest, EvaluationResponse
from planner.evaluations.sending import send_due
from planner.evaluations.services import evaluation_of
from planner.timekeeping import utcnow
from tests import evaluation_factories as ef
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_participant_answers_on_a_phone(page: Page, browse, db, programme, organiser):
    series = ef.past_series(programme, organiser)
    session = series.sessions[-1]
    person = ef.present(session, name="Fenna", email="fenna@example.org")
    send_due(now=utcnow())
    db.session.commit()
    token = db.session.scalar(select(EvaluationRequest.token).where(EvaluationRequest.person_id == person.id))

    page.set_viewport_size(PHONE)
    browse.visit(f"/e/{token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Korte evaluatie van de bijeenkomst")
    expect(page.locator(".progress-hint")).to_have_text("7 vragen, ongeveer 2 minuten")
    assert fits_the_screen(page)

    # Sent without the required first question: the answers given stay, nothing is saved.
    page.get_by_role("group", name="Vraag 2. Ik heb iets geleerd dat ik kan gebruiken.").get_by_role(
        "radio", name="Mee eens", exact=True
    ).check()
    page.get_by_label("Vraag 6. Wat was goed?").fill("Het gesprek met de buurvrouw")
    browse.follow(page.get_by_role("button", name="Verstuur mijn antwoorden"))
    expect(page.get_by_role("alert")).to_contain_text("Geef antwoord op deze vraag")
    expect(page.get_by_label("Vraag 6. Wat was goed?")).to_have_value("Het gesprek met de buurvrouw")
    assert db.session.query(EvaluationResponse).count() == 0

    overall = page.get_by_role("group", name="Vraag 1. Hoe vond je de bijeenkomst? (verplicht)")
    overall.get_by_role("radio", name="Goed", exact=True).check()
    expect(overall.get_by_role("radio", name="Goed", exact=True)).to_be_checked()
    page.get_by_role("group", name="Vraag 5. Welk cijfer geef je de bijeenkomst?").get_by_role(
        "radio", name="8", exact=True
    ).check()
    box = overall.locator("label.option").first.bounding_box()
    assert box["height"] >= 44, "touch targets are at least 44 px high"
    assert fits_the_screen(page)
    browse.follow(page.get_by_role("button", name="Verstuur mijn antwoorden"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt!")

    response = db.session.scalar(select(EvaluationResponse))
    assert response.person_id == person.id
    assert sorted(a.value for a in response.answers if a.value is not None) == [4, 4, 8]


def test_residents_answer_the_three_smiley_form_from_the_screen(page: Page, browse, db, programme, organiser):
    series = ef.past_series(programme, organiser, last_days_ago=0)  # the screen link closes after a day
    session = series.sessions[-1]
    evaluation = evaluation_of(session)
    evaluation.form_id = ensure_builtin_forms()[RESIDENTS].id
    db.session.commit()

    page.set_viewport_size(PHONE)
    browse.visit(f"/e/{evaluation.short_code}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoe was het vandaag?")
    page.get_by_role("group", name="Vraag 1. Hoe vond je het vandaag? (verplicht)").get_by_role(
        "radio", name="Leuk", exact=True
    ).check()
    assert fits_the_screen(page)
    browse.follow(page.get_by_role("button", name="Verstuur mijn antwoorden"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bedankt!")
    response = db.session.scalar(select(EvaluationResponse))
    assert response.anonymous
    assert response.person_id is None


def test_the_organiser_pages_pass_axe(page: Page, browse, db, programme, organiser):
    series = ef.past_series(programme, organiser)
    session = series.sessions[0]
    browse.visit("/login")
    page.get_by_label("E-mailadres").fill(organiser.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    browse.follow(page.get_by_role("button", name="Inloggen", exact=True))
    browse.visit(f"/series/{series.id}")
    browse.follow(page.get_by_role("link", name="Evaluatie", exact=True))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Evaluatie")
    browse.follow(page.get_by_role("link", name="Papieren antwoorden intypen").first)
    browse.visit(f"/series/{series.id}/sessions/{session.id}/evaluation/screen")
    browse.visit(f"/series/{series.id}/sessions/{session.id}/evaluation/print")
    browse.visit(f"/programmes/{programme.slug}/evaluation-forms")
    browse.follow(page.get_by_role("button", name="Kopiëren").first)
    browse.follow(page.get_by_role("link", name="Vraag toevoegen"))
    page.get_by_label("Soort vraag").select_option("choice")
    page.get_by_label("Vraag (Nederlands)").fill("Hoe kwam je hier?")
    page.get_by_label("Antwoorden of teksten bij de smileys (Nederlands)").fill("Fiets")
    browse.follow(page.get_by_role("button", name="Vraag opslaan"))
    expect(page.get_by_role("alert")).to_contain_text("minstens 2 antwoorden")
