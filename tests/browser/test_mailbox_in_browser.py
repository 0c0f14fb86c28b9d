"""The debug mailbox in a real browser: the mail's HTML shows in its sandbox, its scripts do not run."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD
from tests.test_mail_delivery import queue

pytestmark = pytest.mark.browser


def test_the_mailbox_shows_a_mails_html_in_a_sandbox(app, db, page: Page, browse, admin, monkeypatch):
    monkeypatch.setitem(app.config, "DEBUG", True)
    message = queue()
    message.body_html = (
        '<!doctype html><html lang="nl"><head><title>Uitnodiging</title></head><body>'
        "<p>Hallo Ïda</p>"
        "<script>document.body.insertAdjacentHTML('beforeend', '<p id=ran>script ran</p>')</script>"
        "</body></html>"
    )
    db.session.commit()

    browse.visit("/login")
    page.get_by_label("E-mailadres").fill(admin.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    browse.follow(page.get_by_role("button", name="Inloggen", exact=True))
    browse.visit("/debug/mailbox/")
    browse.follow(page.get_by_role("link", name=message.subject))

    frame = page.frame_locator("iframe.mail-html")
    expect(frame.get_by_text("Hallo Ïda")).to_be_visible()
    expect(frame.locator("#ran")).to_have_count(0)
