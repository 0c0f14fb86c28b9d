"""A participant downloads their own data and stops our mails, on a phone; every page passes axe-core."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page, expect

from planner.invitations.services import answer, save_needs
from planner.people.models import Person
from tests import factories

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_participant_downloads_their_data_and_stops_our_mails(page: Page, browse, db, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    invitation = factories.make_invitation(series, name="Fatima", email="fatima@example.org")
    answer(invitation, series.sessions[0], "yes")
    save_needs(
        invitation,
        learning_question="Hoe vind ik hulp in de buurt?",
        access=False,
        interpreter=True,
        childcare=False,
        other="",
    )
    factories.make_invitation(series, name="Iemand Anders")
    db.session.commit()

    page.set_viewport_size(PHONE)
    browse.visit(f"/i/{invitation.token}")
    browse.follow(page.get_by_role("link", name="Jouw gegevens"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Jouw gegevens")
    expect(page.get_by_text("Hoe vind ik hulp in de buurt?")).to_be_visible()
    expect(page.get_by_text("Iemand Anders")).to_have_count(0)
    assert fits_the_screen(page)

    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download mijn gegevens").click()
    download = waiting.value
    assert download.suggested_filename.endswith(".json")
    data = json.loads(download.path().read_text(encoding="utf-8"))
    assert data["person"]["name"] == "Fatima"
    assert data["person"]["email"] == "fatima@example.org"
    assert data["invitations"][0]["needs"]["interpreter"] is True
    assert "Iemand Anders" not in json.dumps(data)

    browse.follow(page.get_by_role("button", name="Stop alle mails van ons"))
    expect(page.get_by_text("Je krijgt geen mails meer van ons.")).to_be_visible()
    expect(page.get_by_role("button", name="Stuur mij weer mails")).to_be_visible()
    assert fits_the_screen(page)
    db.session.expire_all()
    assert db.session.get(Person, invitation.person_id).mail_withdrawn_at is not None

    browse.follow(page.get_by_role("link", name="Vraag om mijn gegevens te verwijderen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Je gegevens verwijderen?")
    browse.follow(page.get_by_role("button", name="Ja, verwijder mijn gegevens"))
    expect(page.get_by_role("button", name="Ik ben van gedachten veranderd: bewaar mijn gegevens")).to_be_visible()
    assert fits_the_screen(page)
