"""A login ends: at logout, with a new password, everywhere at once, and after its lifetime."""

from __future__ import annotations

from datetime import timedelta
from email.utils import parsedate_to_datetime

import pytest
from flask.sessions import SecureCookieSessionInterface

from planner.auth import sessions
from planner.timekeeping import utcnow
from tests import factories
from tests.conftest import login

NEW_PASSWORD = "een heel ander wachtwoord"


def logged_in(client) -> bool:
    return client.get("/sessions").status_code == 200


def change_password(client, current: str, new: str = NEW_PASSWORD, again: str | None = None):
    """Fill in *Change password* under My account."""
    data = {"current_password": current, "new_password": new, "confirm_password": again or new}
    return client.post("/account", data=data)


def copy_of(app, client):
    """Another browser holding a copy of ``client``'s session cookie (e.g. a stolen one)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    assert logged_in(thief), "a copied cookie should work while the session lasts"
    return thief


def test_a_copied_cookie_stops_working_after_logout(app, organiser_client):
    thief = copy_of(app, organiser_client)
    assert organiser_client.post("/logout").status_code == 302
    assert not logged_in(thief), "the copied cookie outlived the logout"
    assert thief.get("/sessions").location.startswith("/login")


def test_logging_out_ends_the_sessions_on_other_devices_too(app, client, organiser):
    laptop, phone = client, app.test_client()
    login(laptop, organiser.email)
    login(phone, organiser.email)
    laptop.post("/logout")
    assert not logged_in(phone)
    assert login(phone, organiser.email).status_code == 302
    assert logged_in(phone)


def test_changing_ones_password_ends_every_other_session_and_keeps_this_one(app, organiser_client, organiser):
    thief = copy_of(app, organiser_client)
    response = change_password(organiser_client, factories.PASSWORD)
    assert response.status_code == 302
    page = organiser_client.get(response.location).get_data(as_text=True)
    assert "Je wachtwoord is gewijzigd" in page
    assert logged_in(organiser_client), "the browser that changed the password was logged out"
    assert not logged_in(thief), "the copied cookie outlived the password change"
    organiser_client.post("/logout")
    assert login(organiser_client, organiser.email).status_code == 200, "the old password still works"
    assert login(organiser_client, organiser.email, NEW_PASSWORD).status_code == 302


def test_a_password_is_changed_only_with_the_current_one(organiser_client, organiser):
    response = change_password(organiser_client, "not my password")
    assert response.status_code == 422
    assert "Dit is niet je huidige wachtwoord." in response.get_data(as_text=True)
    mismatch = change_password(organiser_client, factories.PASSWORD, again="iets anders!!")
    assert mismatch.status_code == 422
    assert "De twee nieuwe wachtwoorden zijn niet hetzelfde." in mismatch.get_data(as_text=True)
    assert logged_in(organiser_client)
    organiser_client.post("/logout")
    assert login(organiser_client, organiser.email).status_code == 302, "the password changed after all"


def test_guessing_the_current_password_is_slowed_down_like_a_login(organiser_client):
    for _ in range(5):
        change_password(organiser_client, "a guess")
    refused = change_password(organiser_client, factories.PASSWORD)
    assert refused.status_code == 429
    assert "Te veel mislukte pogingen" in refused.get_data(as_text=True)


def test_log_out_everywhere_ends_every_session_this_one_included(app, organiser_client):
    assert "Uitloggen op elk apparaat" in organiser_client.get("/account").get_data(as_text=True)
    thief = copy_of(app, organiser_client)
    response = organiser_client.post("/account/log-out-everywhere")
    assert response.status_code == 302
    assert response.location == "/login"
    assert not logged_in(thief), "the copied cookie outlived 'log out everywhere'"
    assert not logged_in(organiser_client)


def test_an_admin_logs_an_account_out_everywhere(app, admin_client, organiser):
    organiser_browser = app.test_client()
    login(organiser_browser, organiser.email)
    page = admin_client.get(f"/admin/users/{organiser.id}").get_data(as_text=True)
    assert "op elk apparaat" in page
    response = admin_client.post(f"/admin/users/{organiser.id}/log-out-everywhere")
    assert response.status_code == 302
    assert not logged_in(organiser_browser), "the account's session outlived the admin's button"
    assert admin_client.get("/admin/users").status_code == 200, "the admin was logged out too"


def test_an_admin_setting_a_new_password_ends_the_accounts_sessions(app, admin_client, organiser):
    organiser_browser = app.test_client()
    login(organiser_browser, organiser.email)
    response = admin_client.post(
        f"/admin/users/{organiser.id}",
        data={
            "name": organiser.name,
            "email": organiser.email,
            "password": NEW_PASSWORD,
            "active": "y",
        },
    )
    assert response.status_code == 302
    assert not logged_in(organiser_browser), "the session outlived the new password"


def test_an_admin_changing_their_own_password_stays_logged_in(admin_client, admin):
    response = admin_client.post(
        f"/admin/users/{admin.id}",
        data={
            "name": admin.name,
            "email": admin.email,
            "password": NEW_PASSWORD,
            "active": "y",
            "is_admin": "y",
        },
    )
    assert response.status_code == 302
    assert admin_client.get("/admin/users").status_code == 200


def test_a_blocked_account_that_is_unblocked_does_not_get_its_old_sessions_back(app, admin_client, organiser):
    organiser_browser = app.test_client()
    login(organiser_browser, organiser.email)
    for active in ("", "y"):
        data = {"name": organiser.name, "email": organiser.email}
        if active:
            data["active"] = active
        assert admin_client.post(f"/admin/users/{organiser.id}", data=data).status_code == 302
    assert not logged_in(organiser_browser), "unblocking brought an old session back"


def test_a_session_ends_after_its_lifetime_however_busy(app, organiser_client, monkeypatch):
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"]
    assert lifetime == timedelta(hours=12)
    thief = copy_of(app, organiser_client)
    logged_in_at = utcnow()
    monkeypatch.setattr(sessions, "utcnow", lambda: logged_in_at + lifetime - timedelta(minutes=1))
    assert logged_in(organiser_client), "the session ended before its lifetime"
    assert logged_in(thief), "the session ended before its lifetime"
    monkeypatch.setattr(sessions, "utcnow", lambda: logged_in_at + lifetime + timedelta(minutes=1))
    assert not logged_in(organiser_client), "the session outlived its lifetime"
    assert not logged_in(thief), "the copied cookie outlived the session's lifetime"


def test_the_session_cookie_expires_with_the_lifetime(app, client, organiser):
    response = login(client, organiser.email)
    [cookie] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    expires = parsedate_to_datetime(cookie.split("Expires=")[1].split(";")[0])
    assert abs(expires - (utcnow() + app.config["PERMANENT_SESSION_LIFETIME"])) < timedelta(minutes=1)


@pytest.mark.parametrize("user_id", ["{id}", "{id}:99", "{id}:abc", "{id}:1:1"])
def test_a_session_without_the_accounts_current_version_is_refused(app, organiser, user_id):
    """Even a correctly signed cookie (e.g. from before session versions) must name the version."""
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    cookie = serializer.dumps(
        {"_user_id": user_id.format(id=organiser.id), "_fresh": True, sessions.LOGGED_IN_AT: int(utcnow().timestamp())}
    )
    browser = app.test_client()
    browser.set_cookie("session", cookie)
    assert not logged_in(browser)
    good = serializer.dumps(
        {"_user_id": f"{organiser.id}:1", "_fresh": True, sessions.LOGGED_IN_AT: int(utcnow().timestamp())}
    )
    browser.set_cookie("session", good)
    assert logged_in(browser), "the same cookie with the right version should be accepted"
