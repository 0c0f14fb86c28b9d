"""Production settings: secrets, cookies and headers."""

import stat
import threading
from pathlib import Path

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from planner import create_app
from planner.auth.sessions import LOGGED_IN_AT
from planner.config import SECRET_KEY_FILE, instance_secret_key
from planner.extensions import db as _db
from planner.timekeeping import utcnow
from tests.conftest import login

THE_OLD_PUBLISHED_KEY = "development-only-not-secret"


def test_secret_key_is_required_outside_debug(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(instance_path=str(tmp_path))
    assert not (tmp_path / SECRET_KEY_FILE).exists(), "production made a key of its own"


@pytest.fixture
def debug_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("FLASK_DEBUG", "1")


def test_debug_mode_makes_one_random_key_per_instance_and_keeps_it(debug_without_secret_key, tmp_path):
    first = create_app(instance_path=str(tmp_path / "one"))
    again = create_app(instance_path=str(tmp_path / "one"))
    elsewhere = create_app(instance_path=str(tmp_path / "two"))
    assert first.debug
    assert first.secret_key == again.secret_key, "two apps on one instance folder disagree on the key"
    assert first.secret_key != elsewhere.secret_key, "two instances share one key"
    assert first.secret_key != THE_OLD_PUBLISHED_KEY
    assert len(first.secret_key) >= 64
    key_file = tmp_path / "one" / SECRET_KEY_FILE
    assert key_file.read_text() == first.secret_key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600, "others on the machine may read the key"
    # What one app signs, the other reads: a restart does not log everybody out.
    signed = SecureCookieSessionInterface().get_signing_serializer(first).dumps({"lang": "en"})
    assert SecureCookieSessionInterface().get_signing_serializer(again).loads(signed) == {"lang": "en"}


def test_processes_starting_at_once_agree_on_one_key(tmp_path):
    for attempt in range(10):
        folder = str(tmp_path / f"instance-{attempt}")
        start = threading.Barrier(8)
        keys = []

        def make_key(start=start, keys=keys, folder=folder):
            start.wait()
            keys.append(instance_secret_key(folder))

        threads = [threading.Thread(target=make_key) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        assert len(keys) == 8, f"starting at once gave {len(set(keys))} keys"
        assert len(set(keys)) == 1, f"starting at once gave {len(set(keys))} keys"
        assert sorted(p.name for p in Path(folder).iterdir()) == [SECRET_KEY_FILE], "drafts were left behind"


def test_a_cookie_signed_with_the_old_published_key_is_refused(debug_without_secret_key, app, admin, tmp_path):
    debug_app = create_app(
        {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}, instance_path=str(tmp_path)
    )
    payload = {"_user_id": f"{admin.id}:1", "_fresh": True, LOGGED_IN_AT: int(utcnow().timestamp())}

    def cookie_signed_with(key: str) -> str:
        signer = Flask("forger")
        signer.secret_key = key
        return SecureCookieSessionInterface().get_signing_serializer(signer).dumps(payload)

    try:
        forged = debug_app.test_client()
        forged.set_cookie("session", cookie_signed_with(THE_OLD_PUBLISHED_KEY))
        assert forged.get("/admin/users").status_code == 302, "a cookie forged with the published key works"
        # The same cookie signed with this instance's own key is an admin's session: the test can tell.
        genuine = debug_app.test_client()
        genuine.set_cookie("session", cookie_signed_with(debug_app.secret_key))
        assert genuine.get("/admin/users").status_code == 200
    finally:
        with debug_app.app_context():
            _db.engine.dispose()


def test_production_cookies_are_secure_and_http_only(monkeypatch, client, organiser):
    response = login(client, organiser.email)
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "max-age" in response.headers["Strict-Transport-Security"]


def test_templates_have_no_inline_scripts_or_styles():
    for template in Path("planner/templates").rglob("*.html"):
        text = template.read_text()
        assert "<script>" not in text, template
        assert " onclick=" not in text, template
        assert "style=" not in text, template


def test_participant_text_is_escaped(organiser_client, programme, organiser, db):
    from tests.factories import make_series

    series = make_series(programme, organiser, title="<script>alert(1)</script>")
    page = organiser_client.get(f"/series/{series.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_unknown_page_and_bad_method_get_friendly_errors(client):
    response = client.get("/does-not-exist")
    assert response.status_code == 404
    assert "bestaat niet" in response.get_data(as_text=True)
    assert client.get("/logout").status_code == 405


@pytest.mark.parametrize("url", ["/people/?q=%00", "/organisations/?q=a%00", "/admin/audit?actor=a%00"])
def test_a_nul_character_in_a_query_is_refused_with_a_message(admin_client, url):
    """On PostgreSQL a NUL in a search was a server error; now it is a 400 that says why."""
    response = admin_client.get(url)
    assert response.status_code == 400
    assert "teken dat niet gebruikt kan worden (NUL)" in response.get_data(as_text=True)


def test_an_address_with_a_nul_character_is_not_found(admin_client):
    """On PostgreSQL looking up a programme by such a name was a server error."""
    response = admin_client.get("/programmes/a%00b")
    assert response.status_code == 404
    assert "bestaat niet" in response.get_data(as_text=True)
