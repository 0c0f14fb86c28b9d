"""Import people from a spreadsheet read by ``import_files``: check each row, import the good ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from planner.errors import DomainError
from planner.extensions import db
from planner.people.import_files import FIELDS, Table, plain_word
from planner.people.models import FIELD_LABELS, LANGUAGES, Organisation, Person, PersonRole
from planner.people.services import PeopleError, check_length, normalise_email

CHUNK = 500  # values per IN (...) query

YES_WORDS = {"ja", "j", "yes", "y", "1", "true", "waar", "x"}
NO_WORDS = {"", "nee", "n", "no", "0", "false", "onwaar"}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S")

ROLE_WORDS = {
    PersonRole.RESIDENT: {"resident", "bewoner", "bewoonster", "inwoner"},
    PersonRole.VOLUNTEER: {"volunteer", "vrijwilliger", "vrijwilligster"},
    PersonRole.PROFESSIONAL: {"professional", "professionals"},
    PersonRole.EXPERT: {"expert", "expertbyexperience", "ervaringsdeskundige", "ervaringsdeskundig"},
    PersonRole.STUDENT: {"student", "studente"},
    PersonRole.LECTURER: {"lecturer", "docent", "docente"},
    PersonRole.RESEARCHER: {"researcher", "onderzoeker", "onderzoekster"},
    PersonRole.POLICY_OFFICER: {"policyofficer", "beleidsmedewerker", "beleidsmedewerkster"},
}
ROLES_BY_WORD = {word: role for role, words in ROLE_WORDS.items() for word in words}

LANGUAGES_BY_WORD = {
    "nl": "nl", "nld": "nl", "dutch": "nl", "nederlands": "nl", "ned": "nl",
    "en": "en", "eng": "en", "english": "en", "engels": "en",
}


@dataclass
class RowCheck:
    line: int
    values: dict[str, str]
    problems: list[DomainError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ImportResult:
    imported: int
    skipped: int
    organisations_created: int


# Checking and importing


def _values(cells: list[str], mapping: dict[str, int | None]) -> dict[str, str]:
    return {
        name: (cells[index].strip() if index is not None and index < len(cells) else "")
        for name, index in mapping.items()
    }


def _known_emails(emails: set[str]) -> set[str]:
    known: set[str] = set()
    ordered = sorted(emails)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start:start + CHUNK]
        known.update(db.session.scalars(select(Person.email).where(Person.email.in_(chunk))))
    return known


def check_rows(
    table: Table, mapping: dict[str, int | None], default_role: str | None = None
) -> list[RowCheck]:
    """Each row with what is wrong with it: nothing for a row that can be imported.
    A row without a role gets ``default_role`` when the organiser chose one."""
    if default_role is not None and default_role not in set(PersonRole):
        raise PeopleError("unknown_role", role=default_role)
    mapping = {name: mapping.get(name) for name in FIELDS}
    if mapping["name"] is None:
        raise PeopleError("import_name_not_mapped")
    checks = [RowCheck(number, _values(cells, mapping)) for number, cells in table.rows]

    emails: dict[int, str] = {}
    for i, check in enumerate(checks):
        try:
            email = normalise_email(check.values["email"])
        except PeopleError as error:
            check.problems.append(error)
            continue
        if email:
            emails[i] = email
            check.values["email"] = email
    known = _known_emails(set(emails.values()))
    first_line: dict[str, int] = {}

    for i, check in enumerate(checks):
        values = check.values
        if not values["name"]:
            check.problems.append(PeopleError("name_required"))
        for name in ("name", "phone", "municipality", "organisation"):
            try:
                check_length(name, values[name])
            except PeopleError as error:
                check.problems.append(error)
        if i in emails:
            email = emails[i]
            if email in first_line:
                check.problems.append(PeopleError("duplicate_in_file", email=email, row=first_line[email]))
            else:
                first_line[email] = check.line
                if email in known:
                    check.problems.append(PeopleError("person_email_taken", email=email))
        if not values["role"] and default_role:
            values["role"] = default_role
        role = ROLES_BY_WORD.get(plain_word(values["role"]))
        if not values["role"]:
            check.problems.append(PeopleError("role_required"))
        elif role is None:
            check.problems.append(PeopleError("unknown_role", role=values["role"]))
        else:
            values["role"] = str(role)
        _check_guardian_consent(check)
        language = LANGUAGES_BY_WORD.get(plain_word(values["language"]), None) if values["language"] else "nl"
        if language not in LANGUAGES:
            check.problems.append(PeopleError("unknown_language", language=values["language"]))
        else:
            values["language"] = language
    return checks


def _consent_date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _check_guardian_consent(check: RowCheck) -> None:
    """A row marked under 16 needs the date and the giver of a parent's or guardian's consent."""
    values = check.values
    answer = plain_word(values["under_16"])
    if answer in YES_WORDS:
        values["under_16"] = "1"
    elif answer in NO_WORDS:
        values["under_16"] = ""
        values["guardian_consent_on"] = values["guardian_consent_by"] = ""
        return
    else:
        check.problems.append(PeopleError("not_yes_or_no", field=FIELD_LABELS["under_16"], value=values["under_16"]))
        return
    consent_on = None
    if values["guardian_consent_on"]:
        consent_on = _consent_date(values["guardian_consent_on"])
        if consent_on is None:
            check.problems.append(PeopleError("invalid_consent_date", value=values["guardian_consent_on"]))
            return
        values["guardian_consent_on"] = consent_on.isoformat()
    try:
        check_length("guardian_consent_by", values["guardian_consent_by"])
    except PeopleError as error:
        check.problems.append(error)
        return
    if consent_on is None or not values["guardian_consent_by"]:
        check.problems.append(PeopleError("guardian_consent_required"))


def _organisations_for(checks: list[RowCheck]) -> tuple[dict[tuple[str, str], Organisation], int]:
    wanted = {
        (c.values["organisation"], c.values["municipality"]) for c in checks if c.values["organisation"]
    }
    names = sorted({name.lower() for name, _ in wanted})
    found: dict[tuple[str, str], Organisation] = {}
    for start in range(0, len(names), CHUNK):
        for organisation in db.session.scalars(
            select(Organisation).where(func.lower(Organisation.name).in_(names[start:start + CHUNK]))
        ):
            found.setdefault((organisation.name.lower(), organisation.municipality.lower()), organisation)
    created = 0
    for name, municipality in sorted(wanted):
        key = (name.lower(), municipality.lower())
        if key not in found:
            found[key] = Organisation(name=name, municipality=municipality)
            db.session.add(found[key])
            created += 1
    return found, created


def import_people(
    table: Table,
    mapping: dict[str, int | None],
    *,
    default_role: str | None = None,
    all_or_nothing: bool = False,
) -> ImportResult:
    """Store every good row (finding or making its organisation); with ``all_or_nothing``,
    store nothing when any row is bad. The caller commits once, so it is one transaction."""
    checks = check_rows(table, mapping, default_role)
    good = [c for c in checks if c.ok]
    bad = len(checks) - len(good)
    if all_or_nothing and bad:
        raise PeopleError("import_has_errors", count=bad)
    if not good:
        raise PeopleError("import_nothing_good")
    organisations, created = _organisations_for(good)
    for check in good:
        values = check.values
        organisation = None
        if values["organisation"]:
            organisation = organisations[(values["organisation"].lower(), values["municipality"].lower())]
        db.session.add(
            Person(
                name=values["name"],
                email=values["email"] or None,
                phone=values["phone"],
                role=values["role"],
                municipality=values["municipality"],
                language=values["language"],
                organisation=organisation,
                under_16=bool(values["under_16"]),
                guardian_consent_on=date.fromisoformat(values["guardian_consent_on"]) if values["under_16"] else None,
                guardian_consent_by=values["guardian_consent_by"] if values["under_16"] else "",
            )
        )
    db.session.flush()
    return ImportResult(imported=len(good), skipped=bad, organisations_created=created)

