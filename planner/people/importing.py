"""Import people from a spreadsheet: turn each row into person details, check them, store them.

A row is checked by the same rules as the person form (``person_details_problems``) and the
people are stored by the same service (``add_people``); what is the import's own is reading
words from cells ("bewoner", "Engels", "ja", "31-12-2026") and refusing an address that
comes twice in the file. Reading the file itself is ``import_files``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from planner.people.details import PersonDetails, person_details_problems
from planner.people.errors import PeopleError
from planner.people.import_files import FIELDS, Table, plain_word
from planner.people.models import PersonRole
from planner.people.services import add_people, addresses_in_use
from planner.timekeeping import is_plausible_date

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
    "nl": "nl",
    "nld": "nl",
    "dutch": "nl",
    "nederlands": "nl",
    "ned": "nl",
    "en": "en",
    "eng": "en",
    "english": "en",
    "engels": "en",
}


@dataclass
class RowCheck:
    """A row of the file: its cells as the preview shows them, the person they describe and
    what is wrong with them (nothing for a row that can be imported)."""

    line: int
    values: dict[str, str]
    details: PersonDetails
    problems: list[PeopleError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class ImportResult:
    imported: int
    skipped: int


def _values(cells: list[str], mapping: dict[str, int | None]) -> dict[str, str]:
    return {
        name: (cells[index].strip() if index is not None and index < len(cells) else "")
        for name, index in mapping.items()
    }


def _consent_date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            day = datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007 - only the date is kept
        except ValueError:
            continue
        return day if is_plausible_date(day) else None
    return None


def _read_row(values: dict[str, str], default_role: str | None) -> tuple[PersonDetails, list[PeopleError]]:
    """The person a row describes, with what its cells do not say in a way we can read.

    A role or language we do not know stays as written, so the person rules name it."""
    problems: list[PeopleError] = []
    role = values["role"] or default_role or ""
    language = values["language"]
    under_16 = plain_word(values["under_16"])
    if under_16 not in YES_WORDS | NO_WORDS:
        problems.append(PeopleError("not_yes_or_no", field="under_16", value=values["under_16"]))
    consent_on = None
    if under_16 in YES_WORDS and values["guardian_consent_on"]:
        consent_on = _consent_date(values["guardian_consent_on"])
        if consent_on is None:
            problems.append(
                PeopleError("invalid_consent_date", field="guardian_consent_on", value=values["guardian_consent_on"])
            )
    details = PersonDetails(
        name=values["name"],
        email=values["email"],
        phone=values["phone"],
        role=str(ROLES_BY_WORD.get(plain_word(role), role)),
        organisation=values["organisation"],
        municipality=values["municipality"],
        language=LANGUAGES_BY_WORD.get(plain_word(language), language) if language else "nl",
        under_16=under_16 in YES_WORDS,
        guardian_consent_on=consent_on,
        guardian_consent_by=values["guardian_consent_by"],
    )
    return details, problems


def _shown(values: dict[str, str], details: PersonDetails, wrong: set[str | None]) -> dict[str, str]:
    """The cells as the preview shows them: read and cleaned up where they are right."""
    shown = dict(values)
    for name in ("email", "role", "language"):
        if name not in wrong:
            shown[name] = getattr(details, name) or ""
    if "under_16" not in wrong:
        shown["under_16"] = "1" if details.under_16 else ""
        if details.guardian_consent_on is not None:
            shown["guardian_consent_on"] = details.guardian_consent_on.isoformat()
        if not details.under_16:
            shown["guardian_consent_on"] = shown["guardian_consent_by"] = ""
    return shown


def check_rows(table: Table, mapping: dict[str, int | None], default_role: str | None = None) -> list[RowCheck]:
    """Each row with what is wrong with it: nothing for a row that can be imported.
    A row without a role gets ``default_role`` when the organiser chose one."""
    if default_role is not None and default_role not in set(PersonRole):
        raise PeopleError("unknown_role", role=default_role)
    mapping = {name: mapping.get(name) for name in FIELDS}
    if mapping["name"] is None:
        raise PeopleError("import_name_not_mapped")
    checks = []
    for line, cells in table.rows:
        values = _values(cells, mapping)
        details, problems = _read_row(values, default_role)
        details, rule_problems = person_details_problems(details)
        # One problem per field: what could not be read says more than what the rules make of it.
        unread = {problem.field for problem in problems}
        problems += [problem for problem in rule_problems if problem.field not in unread]
        wrong = {problem.field for problem in problems}
        checks.append(RowCheck(line, _shown(values, details, wrong), details, problems))

    with_address = [c for c in checks if c.details.email and "email" not in {p.field for p in c.problems}]
    known = addresses_in_use(c.details.email or "" for c in with_address)
    first_line: dict[str, int] = {}
    for check in with_address:
        email = check.details.email or ""  # with_address: never empty
        if email in first_line:
            problem = PeopleError("duplicate_in_file", field="email", email=email, row=first_line[email])
            check.problems.append(problem)
            continue
        first_line[email] = check.line
        if email in known:
            check.problems.append(PeopleError("person_email_taken", field="email", email=email))
    order = {name: i for i, name in enumerate(FIELDS)}
    for check in checks:
        check.problems.sort(key=lambda problem: order.get(problem.field or "", len(order)))
    return checks


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
    add_people([c.details for c in good])
    return ImportResult(imported=len(good), skipped=bad)
