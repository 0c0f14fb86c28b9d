"""What we keep of a person, and the rules those details follow wherever they come from.

The person form, a spreadsheet row and a walk-in at the door all become a ``PersonDetails``
and pass through ``check_person_details``; only whether the e-mail address already belongs
to someone needs the database (``planner.people.services.addresses_in_use``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import partial

from email_validator import EmailNotValidError, validate_email

from planner.people.errors import PeopleError
from planner.people.models import MAX_LENGTHS, Language, Organisation, PersonRole
from planner.plain_text import clean_text

ROLES = frozenset(PersonRole)
LANGUAGES = frozenset(Language)


@dataclass(frozen=True)
class PersonDetails:
    """A person as someone typed them in. ``organisation`` is an organisation, or the name of
    one in ``municipality`` (found, or made when the person is stored), or None."""

    name: str
    role: str
    email: str | None = None
    phone: str = ""
    organisation: Organisation | str | None = None
    municipality: str = ""
    language: str = Language.DUTCH
    under_16: bool = False
    guardian_consent_on: date | None = None
    guardian_consent_by: str = ""

    @property
    def organisation_key(self) -> tuple[str, str] | None:
        """(name, municipality) of an organisation given by name; None otherwise."""
        if isinstance(self.organisation, str) and self.organisation:
            return self.organisation, self.municipality
        return None


def normalise_email(email: str | None) -> str | None:
    """A valid address in lower case, None for an empty one; PeopleError when invalid."""
    if email is None or not email.strip():
        return None
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise PeopleError("invalid_email", field="email", email=email.strip()) from error


def check_length(field: str, value: str | None) -> str:
    """``value`` stripped (of control characters too); PeopleError when it does not fit its column."""
    value = clean_text(value or "").strip()
    maximum = MAX_LENGTHS[field]
    if len(value) > maximum:
        raise PeopleError("too_long", field=field, maximum=maximum)
    return value


def _name(value: str) -> str:
    name = check_length("name", value)
    if not name:
        raise PeopleError("name_required", field="name")
    return name


def _role(value: str) -> PersonRole:
    role = (value or "").strip()
    if not role:
        raise PeopleError("role_required", field="role")
    if role not in ROLES:
        raise PeopleError("unknown_role", field="role", role=role)
    return PersonRole(role)


def _language(value: str) -> Language:
    if value not in LANGUAGES:
        raise PeopleError("unknown_language", field="language", language=value)
    return Language(value)


def _organisation(value: Organisation | str | None) -> Organisation | str | None:
    if isinstance(value, Organisation):
        return value
    return check_length("organisation", value) or None


def person_details_problems(details: PersonDetails) -> tuple[PersonDetails, list[PeopleError]]:
    """``details`` cleaned up (text stripped, the address in lower case, no consent kept for
    someone of 16 or over), with what is wrong with them: at most one problem per field, in
    the order of the form."""
    problems: list[PeopleError] = []
    cleaned: dict = {}

    def take(field: str, clean, value) -> None:
        try:
            cleaned[field] = clean(value)
        except PeopleError as problem:
            problems.append(problem)

    take("name", _name, details.name)
    take("email", normalise_email, details.email)
    take("phone", partial(check_length, "phone"), details.phone)
    take("role", _role, details.role)
    take("organisation", _organisation, details.organisation)
    take("municipality", partial(check_length, "municipality"), details.municipality)
    take("language", _language, details.language)
    cleaned["under_16"] = bool(details.under_16)
    if cleaned["under_16"]:
        # Under 16 only with a parent's or guardian's consent: when it was given and by whom.
        take("guardian_consent_by", partial(check_length, "guardian_consent_by"), details.guardian_consent_by)
        if details.guardian_consent_on is None:
            problems.append(PeopleError("guardian_consent_required", field="guardian_consent_on"))
        elif cleaned.get("guardian_consent_by") == "":
            problems.append(PeopleError("guardian_consent_required", field="guardian_consent_by"))
    else:
        cleaned["guardian_consent_on"], cleaned["guardian_consent_by"] = None, ""
    return replace(details, **cleaned), problems


def check_person_details(details: PersonDetails) -> PersonDetails:
    """``details`` cleaned up; PeopleError, naming its field, for the first thing wrong with them."""
    cleaned, problems = person_details_problems(details)
    if problems:
        raise problems[0]
    return cleaned
