"""Organisers keep people and organisations once, find them again and edit them."""

from datetime import date

import pytest
from sqlalchemy import func, select

from planner.people.models import Organisation, Person
from planner.people.services import create_person, save_organisation
from tests import factories
from tests.conftest import login
from tests.test_query_counts import queries_for


def english(client):
    client.post("/language", data={"lang": "en"})
    return client


def person_form(**overrides):
    data = {
        "name": "Aisha",
        "email": "",
        "phone": "",
        "role": "resident",
        "organisation_id": "0",
        "municipality": "Nijmegen",
        "language": "nl",
        "guardian_consent_on": "",
        "guardian_consent_by": "",
    }
    data.update(overrides)
    return data


def people(db):
    db.session.expire_all()
    return db.session.scalars(select(Person).order_by(Person.id)).all()


def test_organiser_adds_a_person_and_finds_them(organiser_client, db):
    wijkteam = save_organisation(None, name="Wijkteam Oost", municipality="Nijmegen")
    db.session.commit()
    response = organiser_client.post(
        "/people/new",
        data=person_form(
            name="Bram de Vries",
            email="Bram@Example.org",
            role="volunteer",
            organisation_id=str(wijkteam.id),
            phone="06 1234 5678",
            language="en",
        ),
    )
    assert response.status_code == 302
    [bram] = people(db)
    assert (bram.name, bram.email, bram.role, bram.organisation_id, bram.phone, bram.language) == (
        "Bram de Vries",
        "bram@example.org",
        "volunteer",
        wijkteam.id,
        "06 1234 5678",
        "en",
    )
    for term in ["bram", "BRAM@example", "wijkteam", "nijmeg"]:
        page = organiser_client.get(f"/people/?q={term}").get_data(as_text=True)
        assert "Bram de Vries" in page, term
    assert "Bram de Vries" not in organiser_client.get("/people/?q=Arnhem").get_data(as_text=True)


def test_organiser_edits_a_person(organiser_client, db):
    person = create_person(name="Chris", role="student", email="chris@example.org")
    db.session.commit()
    assert organiser_client.get(f"/people/{person.id}/edit").status_code == 200
    response = organiser_client.post(
        f"/people/{person.id}/edit",
        data=person_form(name="Chris B.", role="lecturer", email="CHRIS@example.org", municipality="Heumen"),
    )
    assert response.status_code == 302
    [chris] = people(db)
    assert (chris.name, chris.role, chris.email, chris.municipality) == (
        "Chris B.",
        "lecturer",
        "chris@example.org",
        "Heumen",
    )
    assert organiser_client.get("/people/999999/edit").status_code == 404


def test_the_same_email_is_refused_whatever_its_case(organiser_client, db):
    create_person(name="Dina", role="resident", email="dina@example.org")
    other = create_person(name="Eva", role="resident", email="eva@example.org")
    db.session.commit()
    english(organiser_client)
    response = organiser_client.post("/people/new", data=person_form(name="Dina 2", email="DINA@Example.ORG"))
    assert response.status_code == 422
    assert "There is already a person with the e-mail address dina@example.org." in response.get_data(as_text=True)
    response = organiser_client.post(f"/people/{other.id}/edit", data=person_form(name="Eva", email="Dina@example.org"))
    assert response.status_code == 422
    assert [p.email for p in people(db)] == ["dina@example.org", "eva@example.org"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": ""},
        {"role": "king"},
        {"language": "fr"},
        {"email": "not-an-address"},
        {"name": "x" * 121},
        {"organisation_id": "424242"},
        {"guardian_consent_on": "31-31-2026"},
    ],
)
def test_bad_input_gets_422_and_nothing_is_saved(organiser_client, db, overrides):
    response = organiser_client.post("/people/new", data=person_form(**overrides))
    assert response.status_code == 422
    assert people(db) == []


def test_under_16_needs_a_guardians_consent(organiser_client, db):
    english(organiser_client)
    response = organiser_client.post("/people/new", data=person_form(name="Fleur", under_16="y"))
    assert response.status_code == 422
    assert "a parent or guardian has consented" in response.get_data(as_text=True)
    response = organiser_client.post(
        "/people/new", data=person_form(name="Fleur", under_16="y", guardian_consent_on="2026-11-01")
    )
    assert response.status_code == 422
    assert people(db) == []
    response = organiser_client.post(
        "/people/new",
        data=person_form(
            name="Fleur", under_16="y", guardian_consent_on="2026-11-01", guardian_consent_by="Moeder Fatima"
        ),
    )
    assert response.status_code == 302
    [fleur] = people(db)
    assert (fleur.under_16, fleur.guardian_consent_on, fleur.guardian_consent_by) == (
        True,
        date(2026, 11, 1),
        "Moeder Fatima",
    )
    # Turning sixteen: the consent is no longer kept.
    organiser_client.post(
        f"/people/{fleur.id}/edit", data=person_form(name="Fleur", guardian_consent_by="Moeder Fatima")
    )
    [fleur] = people(db)
    assert (fleur.under_16, fleur.guardian_consent_on, fleur.guardian_consent_by) == (False, None, "")


def test_people_list_is_paginated(organiser_client, db):
    for n in range(30):
        create_person(name=f"Deelnemer {n:02d}", role="resident")
    db.session.commit()
    first = organiser_client.get("/people/").get_data(as_text=True)
    assert "Deelnemer 00" in first
    assert "Deelnemer 25" not in first
    assert "page=2" in first
    second = organiser_client.get("/people/?page=2").get_data(as_text=True)
    assert "Deelnemer 25" in second
    assert "Deelnemer 00" not in second
    assert organiser_client.get("/people/?page=99").status_code == 200
    assert organiser_client.get("/people/?page=abc").status_code == 200


def test_search_treats_wildcards_as_text(organiser_client, db):
    create_person(name="Gerrit", role="resident")
    db.session.commit()
    assert "Gerrit" not in organiser_client.get("/people/?q=%25").get_data(as_text=True)
    assert "Gerrit" not in organiser_client.get("/people/?q=_").get_data(as_text=True)


def test_organisations_with_their_people_count(organiser_client, db):
    english(organiser_client)
    response = organiser_client.post("/organisations/new", data={"name": "Buurtwerk", "municipality": "Beuningen"})
    assert response.status_code == 302
    buurtwerk = db.session.scalar(select(Organisation))
    for name in ["Hans", "Ilse"]:
        create_person(name=name, role="professional", organisation=buurtwerk)
    save_organisation(None, name="Lege organisatie", municipality="Heumen")
    db.session.commit()
    page = organiser_client.get("/organisations/").get_data(as_text=True)
    assert "2 people at Buurtwerk" in page
    assert "0 people at Lege organisatie" in page

    response = organiser_client.post("/organisations/new", data={"name": "buurtwerk", "municipality": "BEUNINGEN"})
    assert response.status_code == 422
    assert "There is already an organisation buurtwerk in this municipality." in response.get_data(as_text=True)
    assert organiser_client.post("/organisations/new", data={"name": "", "municipality": "X"}).status_code == 422
    # The same name in another municipality is another organisation.
    assert (
        organiser_client.post("/organisations/new", data={"name": "Buurtwerk", "municipality": "Heumen"}).status_code
        == 302
    )

    response = organiser_client.post(
        f"/organisations/{buurtwerk.id}/edit", data={"name": "Buurtwerk Beuningen", "municipality": "Beuningen"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, buurtwerk.id).name == "Buurtwerk Beuningen"
    assert db.session.scalar(select(func.count(Organisation.id))) == 3
    assert organiser_client.get("/organisations/?q=heumen").get_data(as_text=True).count("Heumen") >= 2
    assert organiser_client.get("/organisations/424242/edit").status_code == 404


def test_nav_link_for_people_managers(organiser_client):
    assert 'href="/people/"' in organiser_client.get("/sessions").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/people/", "/people/?q=example", "/organisations/", "/people/new"])
def test_people_pages_ask_a_fixed_number_of_queries(app, organiser_client, db, url):
    def add_people(start, count):
        for n in range(start, start + count):
            organisation = save_organisation(None, name=f"Organisatie {n}", municipality="Nijmegen")
            create_person(name=f"Persoon {n}", role="resident", email=f"p{n}@example.org", organisation=organisation)
        db.session.commit()

    add_people(0, 2)
    few = queries_for(app, organiser_client, url)
    add_people(2, 40)
    many = queries_for(app, organiser_client, url)
    assert many == few, f"{url}: {few} queries with 2 people, {many} with 42"


def test_trekker_without_an_organiser_role_gets_404(client, programme, db):
    person = create_person(name="Jan", role="resident")
    organisation = save_organisation(None, name="Wijkteam", municipality="")
    trekker = factories.make_user(email="trekker@example.org")
    factories.add_member(programme, trekker, "trekker")
    db.session.commit()
    login(client, trekker.email)
    assert 'href="/people/"' not in client.get("/sessions").get_data(as_text=True)
    for url in [
        "/people/",
        "/people/new",
        f"/people/{person.id}/edit",
        "/people/import",
        "/organisations/",
        "/organisations/new",
        f"/organisations/{organisation.id}/edit",
    ]:
        assert client.get(url).status_code == 404, url
    for url in [
        "/people/new",
        f"/people/{person.id}/edit",
        "/people/import",
        "/people/import/review",
        "/organisations/new",
        f"/organisations/{organisation.id}/edit",
    ]:
        assert client.post(url, data=person_form(name="Gekaapt")).status_code == 404, url
    assert [p.name for p in people(db)] == ["Jan"]


def test_an_organiser_of_any_programme_and_an_admin_may_manage_people(admin_client, db):
    assert admin_client.get("/people/").status_code == 200
    assert admin_client.get("/organisations/").status_code == 200


def test_anonymous_visitors_go_to_login(client):
    for url in ["/people/", "/people/new", "/people/1/edit", "/people/import", "/organisations/", "/organisations/new"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.location.startswith("/login?next="), url


def test_an_anonymised_person_cannot_be_filled_in_again(organiser_client, db):
    from planner.timekeeping import utcnow

    person = factories.make_person(name="Geanonimiseerd", email=None)
    person.anonymised_at = utcnow()
    db.session.commit()
    response = organiser_client.post(
        f"/people/{person.id}/edit",
        data=person_form(name="Karin Terug", email="karin@example.org", consent_photos="yes"),
    )
    assert response.status_code == 422
    assert "kunnen niet meer worden veranderd" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (person.name, person.email, person.consents) == ("Geanonimiseerd", None, [])
