"""The debug mailbox: the outbox for developers, in debug mode only, for admins only.

Its mails hold every participant's personal link, so organisers and trekkers must not see it."""

from __future__ import annotations

import pytest

from planner.mail.models import MailStatus
from tests.conftest import login
from tests.test_mail_delivery import queue


@pytest.fixture
def debug_mode(app, monkeypatch):
    monkeypatch.setitem(app.config, "DEBUG", True)
    assert app.debug


@pytest.fixture
def queued(db):
    message = queue(to_name="Ïda <b>de</b> Vries", language="en")
    message.body_html = '<p>Hallo</p><script src="https://evil.example/x.js"></script>'
    message.status = MailStatus.FAILED
    message.attempts = 2
    message.last_error = "550 5.1.1 User unknown"
    db.session.commit()
    return message


def test_there_is_no_mailbox_outside_debug_mode(app, db, client, organiser, queued):
    assert not app.debug
    assert client.get("/debug/mailbox/").status_code == 404  # not even a login redirect
    login(client, organiser.email)
    for url in ["/debug/mailbox/", f"/debug/mailbox/{queued.id}", f"/debug/mailbox/{queued.id}/html"]:
        assert client.get(url).status_code == 404


def test_the_mailbox_wants_a_staff_login(debug_mode, client, queued):
    response = client.get("/debug/mailbox/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("who", ["organiser", "trekker"])
def test_only_admins_see_the_mailbox(debug_mode, client, queued, who, request):
    user = request.getfixturevalue(who)
    login(client, user.email)
    for url in ["/debug/mailbox/", f"/debug/mailbox/{queued.id}", f"/debug/mailbox/{queued.id}/html"]:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "mail settings work" not in response.get_data(as_text=True)
    assert 'href="/debug/mailbox/"' not in client.get("/").get_data(as_text=True)  # not in the menu either


def test_the_mailbox_lists_the_outbox(debug_mode, client, admin, queued):
    login(client, admin.email)
    client.post("/language", data={"lang": "en"})
    page = client.get("/debug/mailbox/").get_data(as_text=True)
    assert "Mailbox" in page
    assert "Ïda &lt;b&gt;de&lt;/b&gt; Vries &lt;ida@example.org&gt;" in page
    assert "failed" in page
    assert "550 5.1.1 User unknown" in page
    assert f'href="/debug/mailbox/{queued.id}"' in page


def test_a_message_shows_its_text_and_its_html_safely(debug_mode, client, admin, queued):
    login(client, admin.email)
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/debug/mailbox/{queued.id}").get_data(as_text=True)
    assert "mail settings work" in page  # the text part
    assert queued.message_id.replace("<", "&lt;").replace(">", "&gt;") in page
    assert '<iframe class="mail-html" sandbox="" ' in page
    assert f'src="/debug/mailbox/{queued.id}/html"' in page
    assert "<script" not in page.replace('<script src="/static/site.js" defer></script>', "")  # only the site's own
    assert "&lt;script src=" in page

    html = client.get(f"/debug/mailbox/{queued.id}/html")
    assert html.status_code == 200
    assert html.mimetype == "text/html"
    policy = html.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "sandbox" in policy
    assert "frame-ancestors 'self'" in policy
    assert "script-src" not in policy
    assert html.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_an_unknown_message_is_not_found(debug_mode, client, admin):
    login(client, admin.email)
    assert client.get("/debug/mailbox/999").status_code == 404
