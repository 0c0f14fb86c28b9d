"""The core rules for persons: one e-mail address, one person."""

import pytest

from planner.errors import DomainError
from planner.people.services import create_person, get_or_create_by_email


def test_the_same_email_cannot_be_stored_twice(db):
    create_person(name="Aisha", role="resident", email="Aisha@Example.org")
    with pytest.raises(DomainError) as error:
        create_person(name="Aisha B.", role="resident", email="aisha@example.org ")
    assert error.value.code == "person_email_taken"


def test_get_or_create_reuses_a_known_address(db):
    known = create_person(name="Bram", role="volunteer", email="bram@example.org")
    assert get_or_create_by_email("BRAM@example.org") is known
    new = get_or_create_by_email("nieuw@example.org", language="en")
    assert (new.name, new.email, new.language, new.role) == ("nieuw", "nieuw@example.org", "en", "resident")


@pytest.mark.parametrize("fields, code", [
    ({"name": " ", "role": "resident"}, "name_required"),
    ({"name": "X", "role": "king"}, "unknown_role"),
    ({"name": "X", "role": "resident", "language": "fr"}, "unknown_language"),
    ({"name": "X", "role": "resident", "email": "not-an-address"}, "invalid_email"),
])
def test_bad_person_data_is_refused(db, fields, code):
    with pytest.raises(DomainError) as error:
        create_person(**fields)
    assert error.value.code == code
