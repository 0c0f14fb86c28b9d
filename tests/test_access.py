"""Each learning studio's data stays with its own people."""

import pytest

from planner.series.models import Series
from tests import factories
from tests.conftest import login


@pytest.fixture
def other_series(db, admin):
    other = factories.make_programme(name="JIP")
    return factories.make_series(other, admin, title="ARENA Nijmegen")


def urls_of(series):
    session = series.sessions[0]
    base = f"/series/{series.id}"
    return {
        "get": [
            base,
            f"{base}/edit",
            f"{base}/sessions/new",
            f"{base}/sessions/{session.id}/edit",
            f"{base}/sessions/{session.id}/cancel",
            f"/programmes/{series.programme.slug}",
            f"/programmes/{series.programme.slug}/series/new",
        ],
        "post": [
            f"{base}/publish",
            f"{base}/edit",
            f"{base}/sessions/new",
            f"{base}/sessions/{session.id}/edit",
            f"{base}/sessions/{session.id}/cancel",
            f"{base}/sessions/{session.id}/remove",
            f"/programmes/{series.programme.slug}/series/new",
            f"/programmes/{series.programme.slug}/blocked-dates",
        ],
    }


def test_organiser_of_another_programme_gets_404_and_cannot_change_anything(organiser_client, other_series, db):
    urls = urls_of(other_series)
    for url in urls["get"]:
        assert organiser_client.get(url).status_code == 404, url
    for url in urls["post"]:
        assert organiser_client.post(url, data={"title": "Gekaapt", "reason": "x"}).status_code == 404, url
    db.session.expire_all()
    series = db.session.get(Series, other_series.id)
    assert series.title == "ARENA Nijmegen"
    assert not series.is_published
    assert not any(s.is_cancelled for s in series.sessions)
    assert len(series.sessions) == 5


def test_other_programmes_are_not_listed(organiser_client, other_series):
    assert "JIP" not in organiser_client.get("/programmes/").get_data(as_text=True)
    assert "ARENA Nijmegen" not in organiser_client.get("/sessions").get_data(as_text=True)
    first = other_series.sessions[0].local_start
    month = organiser_client.get(f"/sessions/month/{first.year}-{first.month}").get_data(as_text=True)
    assert "Ontmoeting 1" not in month


def test_trekker_reads_but_does_not_edit(client, programme, db, admin):
    series = factories.make_series(programme, admin)
    trekker = factories.make_user(email="trekker@example.org")
    factories.add_member(programme, trekker, "trekker")
    db.session.commit()
    login(client, trekker.email)
    page = client.get(f"/series/{series.id}")
    assert page.status_code == 200
    assert "Ontmoeting 1" in page.get_data(as_text=True)
    for action in ["/edit", "/publish", "/cancel", "/remove", "/sessions/new"]:
        assert action not in page.get_data(as_text=True), "a trekker sees no editing controls"
    for url in urls_of(series)["post"]:
        assert client.post(url, data={"reason": "x"}).status_code == 404, url
    assert client.get(f"/programmes/{programme.slug}/series/new").status_code == 404


def test_admin_sees_every_programme(admin_client, other_series):
    assert admin_client.get(f"/series/{other_series.id}").status_code == 200


def test_anonymous_users_go_to_login(client, other_series):
    for url in urls_of(other_series)["get"] + ["/sessions", "/sessions/month", "/programmes/", "/admin/users"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.location.startswith("/login?next="), url
    assert client.get("/").status_code == 302


def test_admin_pages_are_hidden_from_staff(organiser_client):
    for url in ["/admin/users", "/admin/users/new", "/programmes/new", "/programmes/armoede/edit"]:
        assert organiser_client.get(url).status_code == 404, url
