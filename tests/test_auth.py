"""Staff log in with a hashed password (throttling: test_login_throttling.py; sessions: test_sessions.py)."""

import pytest
from sqlalchemy import select

from planner.auth.models import StaffUser
from tests import factories
from tests.conftest import login


def test_passwords_are_hashed(db, organiser):
    stored = db.session.scalar(select(StaffUser.password_hash).where(StaffUser.id == organiser.id))
    assert factories.PASSWORD not in stored
    assert stored.startswith(("scrypt:", "pbkdf2:"))


def test_login_and_logout(client, organiser):
    response = login(client, "  Organiser@Example.org ")
    assert response.status_code == 302
    assert response.location == "/"
    assert client.get("/sessions").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/sessions").status_code == 302


def test_login_follows_only_local_next(client, organiser):
    response = client.post(
        "/login?next=https://evil.example/", data={"email": organiser.email, "password": factories.PASSWORD}
    )
    assert response.location == "/"
    client.post("/logout")
    response = client.post("/login?next=/programmes/", data={"email": organiser.email, "password": factories.PASSWORD})
    assert response.location == "/programmes/"


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("organiser@example.org", "wrong password"),
        ("nobody@example.org", factories.PASSWORD),
    ],
)
def test_wrong_login_gives_one_generic_message(client, organiser, email, password):
    response = login(client, email, password)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Het e-mailadres of wachtwoord klopt niet." in page
    assert client.get("/sessions").status_code == 302


def test_blocked_account_cannot_log_in(client, organiser, db):
    organiser.active = False
    db.session.commit()
    assert "klopt niet" in login(client, organiser.email).get_data(as_text=True)


def test_admin_creates_and_edits_an_account(admin_client, db):
    response = admin_client.post(
        "/admin/users/new",
        data={
            "name": "Nieuwe Collega",
            "email": "Collega@Example.org",
            "password": "lang genoeg wachtwoord",
            "active": "y",
        },
    )
    assert response.status_code == 302
    user = db.session.scalar(StaffUser.by_email("collega@example.org"))
    assert user.email == "collega@example.org"
    assert not user.is_admin
    assert user.active

    duplicate = admin_client.post(
        "/admin/users/new",
        data={
            "name": "Dubbel",
            "email": "collega@example.org",
            "password": "lang genoeg wachtwoord",
        },
    )
    assert duplicate.status_code == 422
    assert "Er is al een account" in duplicate.get_data(as_text=True)
    short = admin_client.post(
        "/admin/users/new", data={"name": "Kort", "email": "kort@example.org", "password": "kort"}
    )
    assert short.status_code == 422

    response = admin_client.post(
        f"/admin/users/{user.id}", data={"name": "Collega Twee", "email": "collega@example.org"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(StaffUser, user.id).name == "Collega Twee"
    assert not db.session.get(StaffUser, user.id).active, "an unticked box blocks the account"


def test_admin_cannot_lock_themselves_out(admin_client, admin, db):
    response = admin_client.post(
        f"/admin/users/{admin.id}", data={"name": admin.name, "email": admin.email, "active": "y"}
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(StaffUser, admin.id).is_admin
