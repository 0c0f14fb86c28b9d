"""Admins set up learning studios; organisers keep dates free."""

from datetime import date

from planner.programmes.models import BlockedDate, Programme
from tests import factories


def test_admin_creates_a_programme_with_organisers_and_trekkers(admin_client, db):
    organiser = factories.make_user(name="Olga")
    trekker = factories.make_user(name="Tim")
    response = admin_client.post(
        "/programmes/new",
        data={
            "name": "Betekenisvol contact in de wijk",
            "description": "Welkome Wijk",
            "organisers": [str(organiser.id)],
            "trekkers": [str(trekker.id), str(organiser.id)],
        },
    )
    assert response.status_code == 302
    programme = db.session.query(Programme).one()
    assert programme.slug == "betekenisvol-contact-in-de-wijk"
    assert [u.name for u in programme.members_with("organiser")] == ["Olga"]
    assert [u.name for u in programme.members_with("trekker")] == ["Olga", "Tim"]

    response = admin_client.post(
        f"/programmes/{programme.slug}/edit",
        data={
            "name": "Betekenisvol contact",
            "organisers": [str(trekker.id)],
        },
    )
    assert response.status_code == 302
    assert response.location == "/programmes/betekenisvol-contact"
    db.session.expire_all()
    programme = db.session.get(Programme, programme.id)
    assert [u.name for u in programme.members_with("organiser")] == ["Tim"]
    assert programme.members_with("trekker") == []


def test_programme_names_are_unique_and_required(admin_client, programme, db):
    assert admin_client.post("/programmes/new", data={"name": "armoede"}).status_code == 422
    assert admin_client.post("/programmes/new", data={"name": ""}).status_code == 422
    assert admin_client.post("/programmes/new", data={"name": "JIP", "organisers": ["999"]}).status_code == 422
    assert db.session.query(Programme).count() == 1


def test_organiser_blocks_and_frees_a_date(organiser_client, programme, db):
    url = f"/programmes/{programme.slug}/blocked-dates"
    assert organiser_client.post(url, data={"day": "2027-07-14", "reason": "Zomerstop"}).status_code == 302
    duplicate = organiser_client.post(url, data={"day": "2027-07-14"})
    assert duplicate.status_code == 422
    assert "al geblokkeerd" in duplicate.get_data(as_text=True)
    assert organiser_client.post(url, data={"day": "14 juli"}).status_code == 422
    page = organiser_client.get(f"/programmes/{programme.slug}").get_data(as_text=True)
    assert "woensdag 14 juli 2027" in page
    assert "Zomerstop" in page
    blocked = db.session.query(BlockedDate).one()
    assert blocked.day == date(2027, 7, 14)
    response = organiser_client.post(f"/programmes/{programme.slug}/blocked-dates/{blocked.id}/delete")
    assert response.status_code == 302
    assert db.session.query(BlockedDate).count() == 0
    assert organiser_client.post(f"/programmes/{programme.slug}/blocked-dates/{blocked.id}/delete").status_code == 404
