"""Production settings: secrets, cookies and headers."""

from pathlib import Path

import pytest

from planner import create_app
from tests.conftest import login


def test_secret_key_is_required_outside_debug(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


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
