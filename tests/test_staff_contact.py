"""Organisers say how participants reach them; mails and letters sign with that contact."""

from planner.series.contact import Contact, organiser_contact
from tests import factories


def test_organiser_saves_name_and_phone_on_the_account_page(organiser_client, organiser, db):
    response = organiser_client.post(
        "/account/contact", data={"contact-name": " Olga Janssen ", "contact-phone": "06 1234 5678"}
    )
    assert response.status_code == 302
    db.session.refresh(organiser)
    assert organiser.name == "Olga Janssen"
    assert organiser.phone == "06 1234 5678"
    page = organiser_client.get("/account").get_data(as_text=True)
    assert 'value="06 1234 5678"' in page


def test_a_too_long_phone_or_no_name_is_refused_and_nothing_changes(organiser_client, organiser, db):
    response = organiser_client.post("/account/contact", data={"contact-name": "Olga", "contact-phone": "1" * 41})
    assert response.status_code == 422
    assert "40" in response.get_data(as_text=True)
    response = organiser_client.post("/account/contact", data={"contact-name": "  ", "contact-phone": ""})
    assert response.status_code == 422
    assert "Vul een naam in." in response.get_data(as_text=True)
    db.session.refresh(organiser)
    assert (organiser.name, organiser.phone) == ("Olga Organiser", "")


def test_admin_gives_an_account_a_phone(admin_client, organiser, db):
    response = admin_client.post(
        f"/admin/users/{organiser.id}",
        data={"name": organiser.name, "email": organiser.email, "phone": "024 123 4567", "active": "y"},
    )
    assert response.status_code == 302
    db.session.refresh(organiser)
    assert organiser.phone == "024 123 4567"


def test_the_series_creator_is_its_contact_while_they_organise(db, programme, organiser):
    organiser.phone = "06 1234 5678"
    series = factories.make_series(programme, actor=organiser)
    assert organiser_contact(series) == Contact("Olga Organiser", "organiser@example.org", "06 1234 5678")


def test_another_organiser_takes_over_when_the_creator_left_or_was_blocked(db, programme, organiser):
    series = factories.make_series(programme, actor=organiser)
    other = factories.make_user(email="bram@example.org", name="Bram Bos")
    factories.add_member(programme, other, "organiser")
    organiser.active = False
    db.session.commit()
    assert organiser_contact(series) == Contact("Bram Bos", "bram@example.org", "")
    other.active = False
    db.session.commit()
    assert organiser_contact(series) is None
