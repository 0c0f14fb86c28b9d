"""People and organisations: kept once, found again, never the same e-mail twice."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select

from planner.extensions import db
from planner.people.details import PersonDetails, check_length, check_person_details
from planner.people.errors import PeopleError
from planner.people.models import Consent, ConsentPurpose, Organisation, Person
from planner.plain_text import name_key
from planner.timekeeping import utcnow

CHUNK = 500  # values per IN (...) query


def addresses_in_use(addresses: Iterable[str], *, besides: Person | None = None) -> set[str]:
    """Those of these (lower-case) addresses that belong to someone other than ``besides``;
    one query per 500 addresses."""
    ordered = sorted(set(addresses))
    taken: set[str] = set()
    for start in range(0, len(ordered), CHUNK):
        query = select(Person.email).where(Person.email.in_(ordered[start : start + CHUNK]))
        if besides is not None and besides.id is not None:
            query = query.where(Person.id != besides.id)
        taken.update(db.session.scalars(query))
    return taken


def _address_taken(email: str) -> PeopleError:
    return PeopleError("person_email_taken", field="email", email=email)


def _columns(details: PersonDetails, organisations: dict[tuple[str, str], Organisation]) -> dict:
    organisation = details.organisation
    if details.organisation_key is not None:
        organisation = organisations[_folded_key(*details.organisation_key)]
    return {
        "name": details.name,
        "email": details.email,
        "phone": details.phone,
        "role": details.role,
        "organisation": organisation,
        "municipality": details.municipality,
        "language": details.language,
        "under_16": details.under_16,
        "guardian_consent_on": details.guardian_consent_on,
        "guardian_consent_by": details.guardian_consent_by,
    }


def add_people(many: Sequence[PersonDetails]) -> list[Person]:
    """New persons, all of them or none: each checked by ``check_person_details``, no address
    that someone already has or that comes twice, organisations given by name found or made
    once per name and municipality. A few queries, however many people."""
    checked = [check_person_details(details) for details in many]
    addresses: set[str] = set()
    for details in checked:
        if details.email in addresses:
            raise _address_taken(details.email)
        if details.email:
            addresses.add(details.email)
    taken = addresses_in_use(addresses)
    if taken:
        raise _address_taken(next(d.email for d in checked if d.email in taken))
    organisations = organisations_named(d.organisation_key for d in checked if d.organisation_key)
    people = [Person(**_columns(details, organisations)) for details in checked]
    db.session.add_all(people)
    db.session.flush()
    return people


def _details(details: PersonDetails | None, fields: dict) -> PersonDetails:
    if details is not None:
        return details
    if "organisation_id" in fields:
        organisation_id = fields.pop("organisation_id")
        fields["organisation"] = db.session.get(Organisation, organisation_id) if organisation_id else None
    return PersonDetails(**fields)


def create_person(details: PersonDetails | None = None, /, **fields) -> Person:
    """A new person, from ``details`` or the same given as keywords (``organisation_id`` for
    ``organisation`` too); refused as ``add_people`` refuses."""
    return add_people([_details(details, fields)])[0]


def _not_anonymised(person: Person) -> None:
    if person.anonymised_at is not None:
        raise PeopleError("person_anonymised")


def update_person(person: Person, details: PersonDetails | None = None, /, **fields) -> Person:
    """Change a person under the same rules as a new one (organisation None: none).

    An anonymised person stays anonymous: their record can no longer be changed."""
    _not_anonymised(person)
    details = check_person_details(_details(details, fields))
    if details.email and addresses_in_use([details.email], besides=person):
        raise _address_taken(details.email)
    organisations = organisations_named([details.organisation_key] if details.organisation_key else [])
    for key, value in _columns(details, organisations).items():
        setattr(person, key, value)
    db.session.flush()
    return person


OWN_DETAILS = ("name", "phone", "language")


def update_own_details(person: Person, *, name: str, phone: str, language: str) -> list[str]:
    """The person corrects their own name, phone and language (on their personal page); the
    rest of their record stays as the organisers keep it. Checked as the person form checks
    them; returns which of the three changed."""
    before = {field: getattr(person, field) for field in OWN_DETAILS}
    details = PersonDetails(
        name=name,
        role=person.role,
        email=person.email,
        phone=phone,
        organisation=person.organisation,
        municipality=person.municipality,
        language=language,
        under_16=person.under_16,
        guardian_consent_on=person.guardian_consent_on,
        guardian_consent_by=person.guardian_consent_by,
    )
    update_person(person, details)
    return [field for field in OWN_DETAILS if getattr(person, field) != before[field]]


def person_with_email(email: str):
    return select(Person).where(func.lower(Person.email) == email.lower())


# Organisations


def _folded_key(name: str, municipality: str) -> tuple[str, str]:
    """As the organisation's ``name_key`` and ``municipality_key`` hold them."""
    return name_key(name), name_key(municipality)


def organisations_named(keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Organisation]:
    """The organisation for each (name, municipality), ignoring case, made when not known yet;
    keyed by both as compared (``_folded_key``). One query per 500 names."""
    wanted = {_folded_key(*key): (key[0].strip(), key[1].strip()) for key in keys}
    names = sorted({name for name, _ in wanted})
    found: dict[tuple[str, str], Organisation] = {}
    for start in range(0, len(names), CHUNK):
        query = select(Organisation).where(Organisation.name_key.in_(names[start : start + CHUNK]))
        for organisation in db.session.scalars(query):
            found.setdefault((organisation.name_key, organisation.municipality_key), organisation)
    for key, (name, municipality) in sorted(wanted.items()):
        if key not in found:
            found[key] = Organisation(name=name, municipality=municipality)
            db.session.add(found[key])
    return found


def organisation_named(name: str, municipality: str):
    """The organisation with this name in this municipality, ignoring case."""
    folded_name, folded_municipality = _folded_key(name, municipality)
    return select(Organisation).where(
        Organisation.name_key == folded_name, Organisation.municipality_key == folded_municipality
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
    organisation = organisations_named([(name, municipality)])[_folded_key(name, municipality)]
    db.session.flush()
    return organisation


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
