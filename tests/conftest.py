"""Fixtures: an app on a migrated database (SQLite, or TEST_DATABASE_URL), clients, people."""

from __future__ import annotations

import contextvars
import os
import re

import flask_migrate
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from planner import create_app
from planner.extensions import db as _db
from tests import factories
from tests.world import empty_tables

PASSWORD = factories.PASSWORD

pytest_plugins = ["tests.smtp"]


def _fresh_database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        # Each xdist worker has a temporary directory, so a database file, of its own.
        return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "reeks-test.sqlite3")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        url = _database_of_its_own(url, worker)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def _database_of_its_own(url: str, worker: str) -> str:
    """On PostgreSQL, a database beside the given one for this xdist worker: test_gw0, test_gw1, ..."""
    given = sa.make_url(url)
    name = f"{given.database}_{worker}"
    engine = sa.create_engine(given, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        known = connection.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name})
        if not known:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return given.set(database=name).render_as_string(hide_password=False)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests last, so the quick tests report first."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


_browser_tests_not_run: dict[str, int] = {}


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    """With xdist, each worker says how many browser tests it left out for want of Chromium."""
    _browser_tests_not_run[node.gateway.id] = node.workeroutput.get("browser_tests_not_run", 0)


def pytest_terminal_summary(terminalreporter) -> None:
    # Every worker collects every test, so each one left out the same browser tests.
    count = max(_browser_tests_not_run.values(), default=0)
    if count:
        from tests.browser.conftest import report_not_run

        report_not_run(terminalreporter, count)


class IsolatedClient(FlaskClient):
    """Runs each request in a context of its own, as a real server would.

    Without this a request would reuse the test's application context, and with it
    the test's database session and Flask-Login's cached user.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)

    def post(self, url, *args, data=None, csrf=True, **kwargs):
        """POST as the browser would: with the form's CSRF token, unless csrf=False."""
        if csrf:
            data = dict(data or {})
            data.setdefault("csrf_token", self.csrf_token())
        # Requests go over https, as in production, where the CSRF check wants a same-site referrer.
        kwargs.setdefault("headers", {}).setdefault("Referer", "https://localhost/")
        return super().post(url, *args, data=data, **kwargs)

    def csrf_token(self) -> str:
        page = self.get("/login", follow_redirects=True).get_data(as_text=True)
        match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
        assert match, "no CSRF token on the page"
        return match.group(1)


def _compile_catalogues() -> None:
    """The app reads compiled catalogues; build them so a bare `pytest` works too.

    Parallel workers do this at once: a catalogue is written beside its place and then
    renamed, so no worker ever reads a half-written one.
    """
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in Path(__file__).resolve().parent.parent.glob("planner/translations/*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file)
        partial = mo_path.with_name(f"{mo_path.name}.{os.getpid()}")
        with partial.open("wb") as mo_file:
            write_mo(mo_file, catalogue)
        partial.replace(mo_path)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return _fresh_database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
        }
    )
    app.test_client_class = IsolatedClient
    _compile_catalogues()
    with app.app_context():
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        _db.engine.dispose()


@pytest.fixture(autouse=True)
def db(app):
    """An application context for the test, and empty tables afterwards."""
    with app.app_context():
        yield _db
        empty_tables()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def programme(db):
    return factories.make_programme(name="Armoede")


@pytest.fixture
def organiser(db, programme):
    user = factories.make_user(email="organiser@example.org", name="Olga Organiser")
    factories.add_member(programme, user, "organiser")
    db.session.commit()
    return user


@pytest.fixture
def trekker(db, programme):
    user = factories.make_user(email="trekker@example.org", name="Tessa Trekker")
    factories.add_member(programme, user, "trekker")
    db.session.commit()
    return user


@pytest.fixture
def admin(db):
    user = factories.make_user(email="admin@example.org", name="Anna Admin", is_admin=True)
    db.session.commit()
    return user


def login(client, email: str, password: str = PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


@pytest.fixture
def organiser_client(client, organiser):
    login(client, organiser.email)
    return client


@pytest.fixture
def admin_client(client, admin):
    login(client, admin.email)
    return client


@pytest.fixture
def second_app(app):
    """The same database through an app of its own, with a connection for each racing thread."""
    other = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 50, "max_overflow": 0, "pool_timeout": 60},
        }
    )
    yield other
    with other.app_context():
        _db.engine.dispose()
