"""An organiser puts the invitation in their own words, previews it, saves it, and invites with it:
the mails are shown before they go, with a note added, and what arrives over SMTP says what they
wrote. Every page passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from planner.series.services import publish_series
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SUBJECT = "Welkom bij {reeks}"
BODY = "Beste {naam},\n\nWe zien je graag bij {reeks}. Neem gerust iemand mee!\n\n{bijeenkomsten}\n\n{link}"


def test_organiser_edits_previews_and_saves_the_invitation_then_invites_with_it(
    app, page: Page, browse, db, programme, organiser, smtp_server
):
    organiser.phone = "024 123 4567"
    series = factories.make_series(programme, organiser, title="Ontmoeting Gendt")
    publish_series(series)
    db.session.commit()

    browse.visit("/login")
    page.get_by_label("E-mailadres").fill(organiser.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    browse.follow(page.get_by_role("button", name="Inloggen", exact=True))
    browse.visit(f"/programmes/{programme.slug}")
    browse.follow(page.get_by_role("link", name="Mailteksten"))
    browse.follow(page.get_by_role("link", name=re.compile(r"^Bewerken\W+Uitnodiging, Nederlands$")))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uitnodiging")
    expect(page.get_by_role("table", name="Invulvelden van deze mail")).to_contain_text("{bijeenkomsten}")

    # A placeholder that does not exist is refused, with the text kept.
    page.get_by_label("Tekst").fill("Hallo {voornaam},\n\n{link}")
    browse.follow(page.get_by_role("button", name="Voorbeeld"))
    expect(page.get_by_role("alert")).to_contain_text("{voornaam} is geen invulveld van deze mail")
    expect(page.get_by_label("Tekst")).to_have_value("Hallo {voornaam},\n\n{link}")

    page.get_by_label("Onderwerp").fill(SUBJECT)
    page.get_by_label("Tekst").fill(BODY)
    browse.follow(page.get_by_role("button", name="Voorbeeld"))
    expect(page.locator("#preview-subject")).to_have_text("Welkom bij Ontmoeting Gendt")
    mail = page.frame_locator("iframe.mail-preview")
    expect(mail.get_by_text("Neem gerust iemand mee!")).to_be_visible()
    expect(mail.get_by_role("link", name="Naar je persoonlijke pagina")).to_be_visible()
    expect(mail.get_by_text("Olga Organiser", exact=True)).to_be_visible()

    browse.follow(page.get_by_role("button", name="Opslaan"))
    expect(page.get_by_role("status")).to_contain_text("De tekst van deze mail is opgeslagen.")
    expect(page.get_by_text("Dit leeratelier gebruikt een eigen tekst voor deze mail.")).to_be_visible()

    browse.visit(f"/series/{series.id}/invitations")
    page.get_by_label("E-mailadressen").fill("Anna Jansen <anna.jansen@example.org>\nBen Bakker <ben@example.org>")
    browse.follow(page.get_by_role("button", name="Uitnodigen", exact=True))

    # Two people: the mail is shown as they will get it, in their own words, before anything goes.
    expect(page.locator("#sending-counts")).to_contain_text("2 mensen krijgen een mail")
    expect(page.locator(".sample-subject")).to_have_text("Welkom bij Ontmoeting Gendt")
    sample = page.frame_locator("iframe.mail-preview")
    expect(sample.get_by_text("Neem gerust iemand mee!")).to_be_visible()
    assert not smtp_server.messages
    page.get_by_label("Persoonlijke notitie (niet verplicht)").fill("De koffie staat om half acht klaar.")
    browse.follow(page.get_by_role("button", name="Tonen met deze notitie"))
    expect(sample.get_by_text("De koffie staat om half acht klaar.")).to_be_visible()
    browse.follow(page.get_by_role("button", name="Versturen", exact=True))
    expect(page.get_by_role("status")).to_contain_text("2")

    assert app.test_cli_runner().invoke(args=["mail", "deliver"]).exit_code == 0
    assert len(smtp_server.messages) == 2
    message = next(m for m in smtp_server.messages if "anna.jansen" in m["To"])
    assert message["Subject"] == "Welkom bij Ontmoeting Gendt"
    assert message["Reply-To"].addresses[0].addr_spec == organiser.email
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "We zien je graag bij Ontmoeting Gendt. Neem gerust iemand mee!" in text
    assert "De koffie staat om half acht klaar." in text, "the note of the sending"
    assert "024 123 4567" in text
