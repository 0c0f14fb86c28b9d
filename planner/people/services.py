"""People and organisations: kept once, found again, never the same e-mail twice."""

from __future__ import annotations

from datetime import date, datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from planner.errors import DomainError
from planner.extensions import db
from planner.people.models import (
    FIELD_LABELS,
    LANGUAGES,
    MAX_LENGTHS,
    Consent,
    ConsentPurpose,
    Organisation,
    Person,
    PersonRole,
)
from planner.timekeeping import utcnow


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


def check_length(field: str, value: str) -> str:
    """``value`` stripped; PeopleError when it does not fit its column."""
    value = (value or "").strip()
    maximum = MAX_LENGTHS[field]
    if len(value) > maximum:
        raise PeopleError("too_long", field=FIELD_LABELS[field], maximum=maximum)
    return value


def check_guardian_consent(
    under_16: bool, consent_on: date | None, consent_by: str
) -> tuple[date | None, str]:
    """Under 16 only with a parent's or guardian's consent; others keep no consent data."""
    if not under_16:
        return None, ""
    consent_by = check_length("guardian_consent_by", consent_by)
    if consent_on is None or not consent_by:
        raise PeopleError("guardian_consent_required")
    return consent_on, consent_by


def _checked(
    person: Person | None,
    *,
    name: str,
    role: str,
    email: str | None,
    language: str,
    phone: str = "",
    municipality: str = "",
    under_16: bool = False,
    guardian_consent_on: date | None = None,
    guardian_consent_by: str = "",
) -> dict:
    name = check_length("name", name)
    if not name:
        raise PeopleError("name_required")
    if role not in set(PersonRole):
        raise PeopleError("unknown_role", role=role)
    if language not in LANGUAGES:
        raise PeopleError("unknown_language", language=language)
    email = normalise_email(email)
    if email:
        existing = db.session.scalar(person_with_email(email))
        if existing is not None and existing is not person:
            raise PeopleError("person_email_taken", email=email)
    consent_on, consent_by = check_guardian_consent(under_16, guardian_consent_on, guardian_consent_by)
    return {
        "name": name,
        "role": str(role),
        "email": email,
        "language": language,
        "phone": check_length("phone", phone),
        "municipality": check_length("municipality", municipality),
        "under_16": bool(under_16),
        "guardian_consent_on": consent_on,
        "guardian_consent_by": consent_by,
    }


def create_person(
    *,
    name: str,
    role: str,
    email: str | None = None,
    language: str = "nl",
    phone: str = "",
    municipality: str = "",
    under_16: bool = False,
    guardian_consent_on: date | None = None,
    guardian_consent_by: str = "",
    **fields,
) -> Person:
    """A new person; refuses an empty name, an unknown role or language, a known e-mail,
    or someone under 16 without a guardian's consent."""
    checked = _checked(
        None,
        name=name,
        role=role,
        email=email,
        language=language,
        phone=phone,
        municipality=municipality,
        under_16=under_16,
        guardian_consent_on=guardian_consent_on,
        guardian_consent_by=guardian_consent_by,
    )
    person = Person(**checked, **fields)
    db.session.add(person)
    db.session.flush()
    return person


def _not_anonymised(person: Person) -> None:
    if person.anonymised_at is not None:
        raise PeopleError("person_anonymised")


def update_person(
    person: Person,
    *,
    name: str,
    role: str,
    email: str | None,
    language: str,
    phone: str = "",
    municipality: str = "",
    organisation: Organisation | None,
    under_16: bool = False,
    guardian_consent_on: date | None = None,
    guardian_consent_by: str = "",
) -> Person:
    """Change a person under the same rules as a new one (``organisation`` None: none).

    An anonymised person stays anonymous: their record can no longer be changed."""
    _not_anonymised(person)
    checked = _checked(
        person,
        name=name,
        role=role,
        email=email,
        language=language,
        phone=phone,
        municipality=municipality,
        under_16=under_16,
        guardian_consent_on=guardian_consent_on,
        guardian_consent_by=guardian_consent_by,
    )
    for key, value in checked.items():
        setattr(person, key, value)
    person.organisation = organisation
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


def organisation_named(name: str, municipality: str):
    """The organisation with this name in this municipality, ignoring case."""
    return select(Organisation).where(
        func.lower(Organisation.name) == name.strip().lower(),
        func.lower(Organisation.municipality) == municipality.strip().lower(),
    )


def save_organisation(organisation: Organisation | None, *, name: str, municipality: str = "") -> Organisation:
    """A new or changed organisation; one name per municipality."""
    name = check_length("organisation", name)
    municipality = check_length("municipality", municipality)
    if not name:
        raise PeopleError("name_required")
    existing = db.session.scalar(organisation_named(name, municipality))
    if existing is not None and existing is not organisation:
        raise PeopleError("organisation_taken", name=name)
    if organisation is None:
        organisation = Organisation()
        db.session.add(organisation)
    organisation.name = name
    organisation.municipality = municipality
    db.session.flush()
    return organisation


def find_or_create_organisation(name: str, municipality: str = "") -> Organisation:
    """The organisation with this name and municipality, made when it is not known yet."""
    name = check_length("organisation", name)
    municipality = check_length("municipality", municipality)
    if not name:
        raise PeopleError("name_required")
    existing = db.session.scalar(organisation_named(name, municipality))
    return existing or save_organisation(None, name=name, municipality=municipality)


# Consent per purpose


def record_consent(person: Person, purpose: str, given: bool | None, actor, now: datetime | None = None):
    """Record ``person``'s yes (``given`` True) or no for ``purpose``; None: not asked, the record goes.

    ``actor`` is the staff user who recorded it, or None when the person said so on their own page.
    An unchanged answer keeps its date and recorder. Returns the Consent, or None."""
    _not_anonymised(person)
    if purpose not in set(ConsentPurpose):
        raise PeopleError("unknown_consent_purpose", purpose=purpose)
    current = next((c for c in person.consents if c.purpose == purpose), None)
    if given is None:
        if current is not None:
            person.consents.remove(current)
            db.session.flush()
        return None
    if current is not None and current.given == bool(given):
        return current
    if current is None:
        current = Consent(purpose=str(purpose))
        person.consents.append(current)
    current.given = bool(given)
    current.recorded_at = now or utcnow()
    current.recorded_by_id = actor.id if actor is not None else None
    db.session.flush()
    return current


def consent_of(person: Person, purpose: str) -> bool | None:
    """True, False, or None when nobody asked."""
    return next((c.given for c in person.consents if c.purpose == purpose), None)
