"""People and organisations: kept once, found again, never the same e-mail twice."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from planner.errors import DomainError
from planner.extensions import db
from planner.people.models import LANGUAGES, Person, PersonRole


class PeopleError(DomainError):
    pass


def normalise_email(email: str | None) -> str | None:
    """A valid address in lower case, None for an empty one; PeopleError when invalid."""
    if email is None or not email.strip():
        return None
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise PeopleError("invalid_email", email=email.strip()) from error


def person_with_email(email: str):
    return select(Person).where(func.lower(Person.email) == email.lower())


def create_person(
    *, name: str, role: str, email: str | None = None, language: str = "nl", **fields
) -> Person:
    """A new person; refuses an empty name, an unknown role or language, or a known e-mail."""
    name = name.strip()
    if not name:
        raise PeopleError("name_required")
    if role not in set(PersonRole):
        raise PeopleError("unknown_role", role=role)
    if language not in LANGUAGES:
        raise PeopleError("unknown_language", language=language)
    email = normalise_email(email)
    if email and db.session.scalar(person_with_email(email)) is not None:
        raise PeopleError("person_email_taken", email=email)
    person = Person(name=name, role=role, email=email, language=language, **fields)
    db.session.add(person)
    db.session.flush()
    return person


def get_or_create_by_email(email: str, *, language: str = "nl", role: str = PersonRole.RESIDENT) -> Person:
    """The person with this address, or a new one named after the address's local part."""
    email = normalise_email(email)
    if email is None:
        raise PeopleError("invalid_email", email="")
    existing = db.session.scalar(person_with_email(email))
    if existing is not None:
        return existing
    return create_person(name=email.split("@")[0], role=role, email=email, language=language)
