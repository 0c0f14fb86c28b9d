"""The privacy and accessibility statements: public, in Dutch and English, linked from every page and mail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from planner.mail.models import OutboxMessage
from planner.mail.services import queue_mail
from tests import factories


def english(client):
    client.post("/language", data={"lang": "en"})
    return client


@pytest.mark.parametrize(
    ("url", "dutch", "english_words"),
    [
        (
            "/privacy",
            ["Privacyverklaring", "12 maanden", "anoniem", "downloaden", "verwijderen", "Wie kan je gegevens zien?"],
            [
                "Privacy statement",
                "12 months",
                "anonymous",
                "download your data",
                "delete your data",
                "Who can see your data?",
            ],
        ),
        (
            "/toegankelijkheid",
            [
                "Toegankelijkheidsverklaring",
                "WCAG 2.1",
                "voldoet gedeeltelijk",
                "axe-core",
                "Toetsenbord",
                "320 pixels",
            ],
            ["Accessibility statement", "WCAG 2.1", "partially complies", "axe-core", "Keyboard", "320 pixels"],
        ),
    ],
)
def test_the_statements_are_public_and_follow_the_language_switch(client, url, dutch, english_words):
    response = client.get(url)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<html lang="nl">' in page
    assert [word for word in dutch if word not in page] == []
    page = english(client).get(url).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert [word for word in english_words if word not in page] == []


def test_the_contact_address_is_shown_when_configured(app, client):
    assert "organisator die je heeft uitgenodigd" in client.get("/privacy").get_data(as_text=True)
    app.config["PRIVACY_CONTACT"] = "privacy@reeks.example"
    try:
        page = client.get("/toegankelijkheid").get_data(as_text=True)
        assert 'href="mailto:privacy@reeks.example"' in page
    finally:
        app.config["PRIVACY_CONTACT"] = ""


def footer_links(page: str) -> bool:
    return 'href="/privacy"' in page and 'href="/toegankelijkheid"' in page


def test_every_kind_of_page_has_the_footer(client, organiser_client, programme, organiser):
    series = factories.make_series(programme, organiser)
    invitation = factories.make_invitation(series)
    anonymous = client.application.test_client()
    pages = {
        "login": anonymous.get("/login"),
        "not found": anonymous.get("/nergens"),
        "participant": anonymous.get(f"/i/{invitation.token}"),
        "unknown link": anonymous.get("/i/" + "x" * 30),
        "staff": organiser_client.get("/sessions"),
        "series": organiser_client.get(f"/series/{series.id}"),
    }
    for name, response in pages.items():
        assert footer_links(response.get_data(as_text=True)), name


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nl", ["omgaan (privacyverklaring)", "Toegankelijkheidsverklaring"]),
        ("en", ["privacy statement", "Accessibility statement"]),
    ],
)
def test_every_mail_links_the_statements_in_the_recipients_language(app, db, language, words):
    app.config["BASE_URL"] = "https://reeks.example/"
    try:
        queue_mail(to_address="a@example.org", to_name="A", language=language, template="test", context={})
        db.session.commit()
    finally:
        app.config["BASE_URL"] = "http://127.0.0.1:5000"
    message = db.session.scalar(select(OutboxMessage))
    for body in (message.body_text, message.body_html):
        assert "https://reeks.example/privacy" in body
        assert "https://reeks.example/toegankelijkheid" in body
    assert [word for word in words if word not in message.body_text] == []
    assert message.body_html.rstrip().endswith("</html>"), "the footer goes inside the body"
    assert message.body_html.index("reeks.example/privacy") < message.body_html.index("</body>")


def test_an_invitation_mail_carries_the_footer(db, programme, organiser):
    series = factories.make_series(programme, organiser)
    factories.make_invitation(series, language="en")
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address.like("person%")))
    assert "/privacy" in message.body_text
    assert "/toegankelijkheid" in message.body_html
