"""Guessing is slowed per client, per account and across accounts, but never locks out the owner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from planner import create_app
from planner.auth.models import FailedLogin
from planner.auth.services import AuthError, authenticate
from planner.auth.throttling import LoginLimits, LoginSource, client_key
from planner.extensions import db as _db
from planner.timekeeping import utcnow
from tests import factories
from tests.conftest import IsolatedClient, login

OWNER_HOME = "192.0.2.10"
STRANGER = "198.51.100.66"


def client_at(app, address: str):
    """A browser of its own (cookies and all) at this client address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def known_device_of(app, owner_email: str, address: str = OWNER_HOME):
    """The owner's browser after one good login: it now carries a known-device cookie."""
    browser = client_at(app, address)
    response = login(browser, owner_email)
    assert response.status_code == 302, "the owner's first login failed"
    [browser.device_cookie] = [
        header.split(";")[0].split("=", 1)
        for header in response.headers.getlist("Set-Cookie")
        if header.startswith("known_device_")
    ]
    assert browser.post("/logout").status_code == 302
    return browser


def guess(client, email: str, times: int = 1) -> list[int]:
    return [login(client, email, "wrong guess").status_code for _ in range(times)]


def test_five_wrong_passwords_from_one_place_make_that_place_wait(app, client, organiser):
    assert guess(client, organiser.email, app.config["LOGIN_MAX_FAILURES"]) == [200] * 5
    refused = login(client, organiser.email)  # even the right password waits now
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Te veel mislukte pogingen. Probeer het over 15 minuten opnieuw." in page
    assert refused.headers["Retry-After"] == "900"
    assert client.get("/sessions").status_code == 302, "a refused try must not log in"


def test_the_wait_is_said_in_the_users_language(app, organiser):
    browser = client_at(app, STRANGER)
    browser.post("/language", data={"lang": "en"})
    guess(browser, organiser.email, 5)
    refused = login(browser, organiser.email)
    assert refused.status_code == 429
    assert "Too many failed attempts. Please try again in 15 minutes." in refused.get_data(as_text=True)


def test_the_owner_on_a_known_device_gets_in_while_a_stranger_is_refused(app, organiser):
    owner = known_device_of(app, organiser.email)
    stranger = client_at(app, STRANGER)
    guess(stranger, organiser.email, 5)
    assert login(stranger, organiser.email).status_code == 429, "the stranger was not slowed down"
    response = login(owner, organiser.email)
    assert response.status_code == 302, "the owner was locked out"
    assert response.location == "/", "the owner was locked out"


def test_a_stranger_behind_the_owners_own_address_cannot_lock_out_the_known_device(app, organiser):
    owner = known_device_of(app, organiser.email, address=OWNER_HOME)
    colleague_on_the_same_network = client_at(app, OWNER_HOME)
    guess(colleague_on_the_same_network, organiser.email, 5)
    assert login(colleague_on_the_same_network, organiser.email).status_code == 429
    assert login(owner, organiser.email).status_code == 302, "the known device was locked out"


def test_typos_on_a_known_device_are_limited_too(app, organiser):
    owner = known_device_of(app, organiser.email)
    guess(owner, organiser.email, 5)
    assert login(owner, organiser.email).status_code == 429, "a known device may guess without limit"


@pytest.fixture
def lower_wide_limits(app, monkeypatch):
    """Fewer tries before the limits over accounts and clients, so the tests hash fewer passwords."""
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_CLIENT", 8)
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ACCOUNT", 8)


def test_one_client_trying_many_accounts_is_slowed_down(app, organiser, lower_wide_limits):
    guesser = client_at(app, STRANGER)
    limit = app.config["LOGIN_MAX_FAILURES_PER_CLIENT"]
    statuses = [guess(guesser, f"staff.{n}@example.org")[0] for n in range(limit)]
    assert statuses == [200] * limit, "one wrong try per account should be answered normally"
    refused = login(guesser, organiser.email, "wrong guess")
    assert refused.status_code == 429, "a client that tried many accounts was not slowed down"
    assert "Te veel mislukte pogingen" in refused.get_data(as_text=True)
    # The account itself is not touched: its owner logs in from anywhere else.
    assert login(client_at(app, OWNER_HOME), organiser.email).status_code == 302


def test_many_clients_on_one_account_do_not_lock_out_the_owners_known_device(app, organiser, lower_wide_limits):
    owner = known_device_of(app, organiser.email)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for n in range(limit):
        assert guess(client_at(app, f"203.0.113.{n + 1}"), organiser.email) == [200]
    newcomer = login(client_at(app, "203.0.113.200"), organiser.email)
    assert newcomer.status_code == 429, "guessing from many places at once was not slowed down"
    assert "een apparaat waarop je eerder bent ingelogd" in newcomer.get_data(as_text=True)
    assert login(owner, organiser.email).status_code == 302, "the owner's known device was locked out"


def test_addresses_of_one_ipv6_network_count_as_one_client(app, organiser):
    for n in range(5):
        guess(client_at(app, f"2001:db8:1:2::{n + 1:x}"), organiser.email)
    assert login(client_at(app, "2001:db8:1:2:ffff::9"), organiser.email).status_code == 429
    assert login(client_at(app, "2001:db8:1:3::1"), organiser.email).status_code == 302


def test_client_keys():
    assert client_key("192.0.2.7") == "192.0.2.7"
    assert client_key("::ffff:192.0.2.7") == "192.0.2.7"
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::2") == "2001:db8:1:2::/64"
    assert client_key(None) == "unknown"


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(app, organiser):
    stranger = client_at(app, STRANGER)
    for n in range(5):
        login_with_header = stranger.post(
            "/login",
            data={"email": organiser.email, "password": "wrong guess"},
            headers={"X-Forwarded-For": f"10.0.0.{n}"},
        )
        assert login_with_header.status_code == 200
    assert login(stranger, organiser.email).status_code == 429


def test_behind_a_trusted_proxy_clients_are_told_apart_by_their_forwarded_address(app, organiser):
    proxied = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "TRUSTED_PROXIES": 1,
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        }
    )
    proxied.test_client_class = IsolatedClient
    try:
        balancer = "10.0.0.1"
        stranger, owner = client_at(proxied, balancer), client_at(proxied, balancer)
        for _ in range(5):
            stranger.post(
                "/login",
                data={"email": organiser.email, "password": "wrong guess"},
                headers={"X-Forwarded-For": STRANGER},
            )
        refused = stranger.post(
            "/login",
            data={"email": organiser.email, "password": factories.PASSWORD},
            headers={"X-Forwarded-For": STRANGER},
        )
        assert refused.status_code == 429
        allowed = owner.post(
            "/login",
            data={"email": organiser.email, "password": factories.PASSWORD},
            headers={"X-Forwarded-For": OWNER_HOME},
        )
        assert allowed.status_code == 302, "every client behind the balancer was counted as one"
    finally:
        with proxied.app_context():
            _db.engine.dispose()


def test_the_count_is_shared_by_app_instances_on_one_database(app, second_app, organiser, lower_wide_limits):
    second_app.test_client_class = IsolatedClient
    second_app.config.update(LOGIN_MAX_FAILURES_PER_ACCOUNT=8)
    assert guess(client_at(app, STRANGER), organiser.email, 3) == [200] * 3
    assert guess(client_at(second_app, STRANGER), organiser.email, 2) == [200] * 2
    assert login(client_at(app, STRANGER), organiser.email).status_code == 429
    assert login(client_at(second_app, STRANGER), organiser.email).status_code == 429
    # A device known through one instance is known to the other.
    owner = known_device_of(app, organiser.email)
    owner_on_the_other = client_at(second_app, OWNER_HOME)
    owner_on_the_other.set_cookie(*owner.device_cookie)
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        guess(client_at(app if n % 2 else second_app, f"203.0.113.{n + 1}"), organiser.email)
    assert login(client_at(second_app, "203.0.113.250"), organiser.email).status_code == 429
    assert login(owner_on_the_other, organiser.email).status_code == 302


def test_a_tampered_known_device_cookie_counts_for_nothing(app, organiser):
    owner = known_device_of(app, organiser.email)
    name, value = owner.device_cookie
    stranger = client_at(app, STRANGER)
    stranger.set_cookie(name, value[:-2] + ("xx" if not value.endswith("xx") else "yy"))
    guess(stranger, organiser.email, 5)
    assert login(stranger, organiser.email).status_code == 429, "a broken signature was trusted"


LIMITS = LoginLimits(per_source=5, per_client=20, per_account=20, window=timedelta(minutes=15))


def test_the_limit_lifts_once_the_failures_leave_the_window(db, organiser):
    source = LoginSource(client=STRANGER)
    start = utcnow() - timedelta(minutes=20)
    for minute in range(5):
        with pytest.raises(AuthError):
            authenticate(organiser.email, "guess", source=source, limits=LIMITS, now=start + timedelta(minutes=minute))
    with pytest.raises(AuthError) as refused:
        authenticate(
            organiser.email, factories.PASSWORD, source=source, limits=LIMITS, now=start + timedelta(minutes=5)
        )
    assert refused.value.code == "throttled"
    assert refused.value.params == {"minutes": 10}
    # At 15:30 the first failure has left the window: one more try is allowed.
    assert (
        authenticate(
            organiser.email,
            factories.PASSWORD,
            source=source,
            limits=LIMITS,
            now=start + timedelta(minutes=15, seconds=30),
        )
        == organiser
    )


def test_a_good_login_forgets_that_places_typos_but_not_anyone_elses(db, organiser):
    owner, stranger = LoginSource(client=OWNER_HOME), LoginSource(client=STRANGER)

    def fail(source, times):
        for _ in range(times):
            with pytest.raises(AuthError) as error:
                authenticate(organiser.email, "typo", source=source, limits=LIMITS)
            assert error.value.code == "bad_credentials"

    fail(owner, 4)
    fail(stranger, 4)
    assert authenticate(organiser.email, factories.PASSWORD, source=owner, limits=LIMITS) == organiser
    fail(owner, 4)  # four typos again, without waiting: the earlier four are forgotten
    with pytest.raises(AuthError):
        authenticate(organiser.email, "typo", source=stranger, limits=LIMITS)
    with pytest.raises(AuthError) as refused:
        authenticate(organiser.email, factories.PASSWORD, source=stranger, limits=LIMITS)
    assert refused.value.code == "throttled", "the owner's good login wiped a stranger's failures"


def test_old_failures_are_pruned(db):
    source = LoginSource(client=STRANGER)
    start = utcnow() - timedelta(hours=2)
    for n in range(3):
        with pytest.raises(AuthError):
            authenticate(
                f"someone{n}@example.org", "guess", source=LoginSource(client=f"192.0.2.{n}"), limits=LIMITS, now=start
            )
    db.session.commit()
    assert db.session.scalar(select(func.count(FailedLogin.id))) == 3
    with pytest.raises(AuthError):
        authenticate("late@example.org", "guess", source=source, limits=LIMITS)
    db.session.commit()
    assert db.session.scalars(select(FailedLogin.email)).all() == ["late@example.org"], (
        "failures older than the window were kept"
    )
