"""Import people from a spreadsheet: read the file, map its columns, check each row, import.

The web app keeps no state between the steps: the rows travel in a signed payload
(``pack_table`` / ``unpack_table``), so any process can handle the next step.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select

from planner.errors import DomainError
from planner.extensions import db
from planner.people.models import FIELD_LABELS, LANGUAGES, Organisation, Person, PersonRole
from planner.people.services import PeopleError, check_length, normalise_email

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 5_000
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # an .xlsx is a zip: refuse one that unpacks to far more
MAX_COLUMNS = 30
HEADER_SCAN_ROWS = 10
PAYLOAD_MAX_AGE = 4 * 60 * 60  # seconds an organiser has between upload and import
CHUNK = 500  # values per IN (...) query

FIELDS = (
    "name", "email", "phone", "role", "organisation", "municipality", "language",
    "under_16", "guardian_consent_on", "guardian_consent_by",
)

# Header names we recognise, in Dutch and English, after _word() normalisation.
HEADER_WORDS = {
    "name": {"naam", "name", "volledigenaam", "fullname", "voornaam", "firstname", "roepnaam", "pseudoniem", "deelnemer"},
    "email": {"email", "emailadres", "mail", "mailadres", "emailaddress"},
    "phone": {"telefoon", "telefoonnummer", "tel", "telnr", "mobiel", "mobielnummer", "phone", "phonenumber", "mobile", "telephone"},
    "role": {"rol", "role", "doelgroep"},
    "organisation": {"organisatie", "organisation", "organization", "org", "instelling"},
    "municipality": {"gemeente", "municipality", "woonplaats", "plaats", "city"},
    "language": {"taal", "language", "voorkeurstaal", "lang"},
    "under_16": {"onder16", "under16", "jongerdan16", "youngerthan16", "jonger16", "minderjarig"},
    "guardian_consent_on": {
        "toestemmingdatum", "datumtoestemming", "toestemmingop", "consentdate", "dateofconsent", "consenton",
    },
    "guardian_consent_by": {
        "toestemmingdoor", "toestemminggegevendoor", "toestemmingvan", "ouderverzorger", "ouderofverzorger",
        "consentby", "consentgivenby", "guardian", "parentorguardian",
    },
}

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


def _word(text: str) -> str:
    """Lower case with only letters and digits: "E-mail adres" and "e-mailadres" agree."""
    return re.sub(r"[\W_]+", "", text.casefold())


@dataclass
class Table:
    """The rows of a file below its header, each with its line number in the file."""

    header: list[str]
    rows: list[tuple[int, list[str]]]
    filename: str = ""

    @property
    def column_count(self) -> int:
        return max([len(self.header), *(len(cells) for _, cells in self.rows)])

    def column_labels(self) -> list[str]:
        return [
            (self.header[i] if i < len(self.header) else "") for i in range(self.column_count)
        ]


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


# Reading files


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _trimmed(cells) -> list[str]:
    cells = [_cell_text(c) for c in list(cells)[:MAX_COLUMNS]]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the Windows code page.
        return data.decode("cp1252", errors="replace")


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_lines(data: bytes):
    if b"\x00" in data or data.startswith(b"PK\x03\x04"):
        raise PeopleError("import_unreadable")
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, _trimmed(cells)
    except csv.Error as error:
        raise PeopleError("import_unreadable") from error


def _xlsx_lines(data: bytes):
    from openpyxl import load_workbook

    if not data.startswith(b"PK"):
        raise PeopleError("import_unreadable")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise PeopleError("import_unreadable") from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise PeopleError("import_unreadable")
    try:
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it does not know; the data is fine.
            warnings.simplefilter("ignore")
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file; all mean "unreadable"
        raise PeopleError("import_unreadable") from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, cells in enumerate(rows, start=1):
                yield number, _trimmed(cells or ())
    except PeopleError:
        raise
    except Exception as error:  # as above: a sheet can be damaged past the workbook's index
        raise PeopleError("import_unreadable") from error
    finally:
        workbook.close()


def _header_score(cells: list[str]) -> int:
    known = set().union(*HEADER_WORDS.values())
    return sum(1 for cell in cells if _word(cell) in known)


def read_table(filename: str, data: bytes) -> Table:
    """The header and rows of a CSV or XLSX file; PeopleError for anything we cannot use."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in ("csv", "xlsx"):
        raise PeopleError("import_wrong_type")
    if len(data) > MAX_IMPORT_BYTES:
        raise PeopleError("import_too_large", megabytes=MAX_IMPORT_BYTES // (1024 * 1024))
    if not data.strip():
        raise PeopleError("import_empty")
    lines = _csv_lines(data) if extension == "csv" else _xlsx_lines(data)
    try:
        return _table_from(lines, filename)
    finally:
        lines.close()


def _table_from(lines, filename: str) -> Table:
    # The header is the row among the first few that names the most columns we know;
    # title rows above it ("Deelnemerslijst 2027") are skipped.
    leading: list[tuple[int, list[str]]] = []
    for number, cells in lines:
        if cells:
            leading.append((number, cells))
        if len(leading) == HEADER_SCAN_ROWS:
            break
    if not leading:
        raise PeopleError("import_empty")
    scores = [_header_score(cells) for _, cells in leading]
    at = scores.index(max(scores)) if max(scores) else 0
    header = leading[at][1]
    rows = leading[at + 1:]
    for number, cells in lines:
        if cells:
            rows.append((number, cells))
            if len(rows) > MAX_IMPORT_ROWS:
                raise PeopleError("import_too_many_rows", maximum=MAX_IMPORT_ROWS)
    if not rows:
        raise PeopleError("import_no_rows")
    return Table(header=header, rows=rows, filename=filename)


def propose_mapping(table: Table) -> dict[str, int | None]:
    """For each field, the first column whose header we recognise, or None."""
    mapping: dict[str, int | None] = dict.fromkeys(FIELDS)
    for index, label in enumerate(table.header):
        word = _word(label)
        for name in FIELDS:
            if mapping[name] is None and word in HEADER_WORDS[name] and index not in mapping.values():
                mapping[name] = index
    return mapping


# Carrying the table between requests


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="people-import")


def pack_table(table: Table, secret_key: str) -> str:
    return _serializer(secret_key).dumps(
        {"f": table.filename, "h": table.header, "r": [[n, cells] for n, cells in table.rows]}
    )


def unpack_table(payload: str, secret_key: str, max_age: int = PAYLOAD_MAX_AGE) -> Table:
    """The table ``pack_table`` signed; PeopleError("import_payload_invalid") if it was
    changed, is too old or is missing."""
    try:
        data = _serializer(secret_key).loads(payload or "", max_age=max_age)
        return Table(
            header=[str(c) for c in data["h"]],
            rows=[(int(n), [str(c) for c in cells]) for n, cells in data["r"]],
            filename=str(data["f"]),
        )
    except (BadSignature, KeyError, TypeError, ValueError) as error:
        raise PeopleError("import_payload_invalid") from error


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
        role = ROLES_BY_WORD.get(_word(values["role"]))
        if not values["role"]:
            check.problems.append(PeopleError("role_required"))
        elif role is None:
            check.problems.append(PeopleError("unknown_role", role=values["role"]))
        else:
            values["role"] = str(role)
        _check_guardian_consent(check)
        language = LANGUAGES_BY_WORD.get(_word(values["language"]), None) if values["language"] else "nl"
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
    answer = _word(values["under_16"])
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

