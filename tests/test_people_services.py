"""The core rules for persons: one e-mail address, one person."""

import pytest

from planner.errors import DomainError
from planner.people.services import create_person


def test_the_same_email_cannot_be_stored_twice(db):
    create_person(name="Aisha", role="resident", email="Aisha@Example.org")
    with pytest.raises(DomainError) as error:
        create_person(name="Aisha B.", role="resident", email="aisha@example.org ")
    assert error.value.code == "person_email_taken"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"name": " ", "role": "resident"}, "name_required"),
        ({"name": "X", "role": "king"}, "unknown_role"),
        ({"name": "X", "role": "resident", "language": "fr"}, "unknown_language"),
        ({"name": "X", "role": "resident", "email": "not-an-address"}, "invalid_email"),
    ],
)
def test_bad_person_data_is_refused(db, fields, code):
    with pytest.raises(DomainError) as error:
        create_person(**fields)
    assert error.value.code == code


def test_under_16_only_with_a_guardians_consent(db):
    from datetime import date

    for consent in [
        {},
        {"guardian_consent_on": date(2026, 11, 1)},
        {"guardian_consent_by": "Vader"},
        {"guardian_consent_on": date(2026, 11, 1), "guardian_consent_by": "  "},
    ]:
        with pytest.raises(DomainError) as error:
            create_person(name="Jonge mantelzorger", role="resident", under_16=True, **consent)
        assert error.value.code == "guardian_consent_required"
    young = create_person(
        name="Jonge mantelzorger",
        role="resident",
        under_16=True,
        guardian_consent_on=date(2026, 11, 1),
        guardian_consent_by="Vader",
    )
    assert young.under_16
    assert young.guardian_consent_by == "Vader"


def test_the_database_refuses_under_16_without_consent_too(db):
    import sqlalchemy.exc

    from planner.people.models import Person

    db.session.add(Person(name="X", role="resident", under_16=True, guardian_consent_by=""))
    with pytest.raises(sqlalchemy.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_update_person_keeps_the_rules(db):
    from planner.people.services import update_person

    known = create_person(name="Kees", role="resident", email="kees@example.org")
    other = create_person(name="Lotte", role="resident", email="lotte@example.org")
    with pytest.raises(DomainError) as error:
        update_person(other, name="Lotte", role="resident", email="KEES@example.org", language="nl", organisation=None)
    assert error.value.code == "person_email_taken"
    same = update_person(known, name="Kees", role="expert", email="Kees@Example.org", language="en", organisation=None)
    assert (same.email, same.role, same.language) == ("kees@example.org", "expert", "en")


def test_too_long_text_is_refused_before_the_database_sees_it(db):
    with pytest.raises(DomainError) as error:
        create_person(name="X", role="resident", phone="0" * 41)
    assert error.value.code == "too_long"
    assert error.value.params["maximum"] == 40


def test_organisations_are_one_per_name_and_municipality(db):
    from planner.people.services import find_or_create_organisation, save_organisation

    wijkteam = save_organisation(None, name="Wijkteam", municipality="Gendt")
    assert find_or_create_organisation(" wijkteam ", "GENDT") is wijkteam
    elsewhere = find_or_create_organisation("Wijkteam", "Bemmel")
    assert elsewhere is not wijkteam
    assert elsewhere.municipality == "Bemmel"
    with pytest.raises(DomainError) as error:
        save_organisation(None, name="WIJKTEAM", municipality="gendt")
    assert error.value.code == "organisation_taken"
    with pytest.raises(DomainError) as error:
        save_organisation(None, name=" ", municipality="Gendt")
    assert error.value.code == "name_required"


def test_search_finds_people_by_name_email_organisation_and_municipality(db):
    from planner.people.models import people_matching
    from planner.people.services import save_organisation

    stichting = save_organisation(None, name="Stichting Mantelzorg", municipality="Arnhem")
    create_person(name="Mila", role="professional", email="mila@zorg.nl", organisation=stichting)
    create_person(name="Noah", role="resident", municipality="Heumen")

    def names(term):
        return [p.name for p in db.session.scalars(people_matching(term))]

    assert names("") == ["Mila", "Noah"]
    assert names("MILA") == names("zorg.nl") == names("mantelzorg") == names("arnhem") == ["Mila"]
    assert names("heumen") == ["Noah"]
    assert names("100%") == []
