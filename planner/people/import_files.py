"""Read a spreadsheet an organiser uploads: its header, its rows, which column is which.

The web app keeps no state between the steps of an import: the rows travel in a signed payload
(``pack_table`` / ``unpack_table``), so any process can handle the next step.
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime

from itsdangerous import BadSignature, URLSafeTimedSerializer

from planner.people.errors import PeopleError
from planner.people.xlsx_guard import check_archive

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 5_000
MAX_COLUMNS = 30
HEADER_SCAN_ROWS = 10
# Rows read at most, empty ones included: the people, their header and a few title rows above it.
MAX_SCANNED_ROWS = MAX_IMPORT_ROWS + HEADER_SCAN_ROWS
MAX_CELL_CHARS = 500
# All cell text of a list, and the signed copy of it that goes to the review page and back.
MAX_TABLE_CHARS = 2_000_000
MAX_PAYLOAD_CHARS = 3_000_000

PAYLOAD_MAX_AGE = 4 * 60 * 60  # seconds an organiser has between upload and import

FIELDS = (
    "name",
    "email",
    "phone",
    "role",
    "organisation",
    "municipality",
    "language",
    "under_16",
    "guardian_consent_on",
    "guardian_consent_by",
)

# Header names we recognise, in Dutch and English, after plain_word().
HEADER_WORDS = {
    "name": {
        "naam",
        "name",
        "volledigenaam",
        "fullname",
        "voornaam",
        "firstname",
        "roepnaam",
        "pseudoniem",
        "deelnemer",
    },
    "email": {"email", "emailadres", "mail", "mailadres", "emailaddress"},
    "phone": {
        "telefoon",
        "telefoonnummer",
        "tel",
        "telnr",
        "mobiel",
        "mobielnummer",
        "phone",
        "phonenumber",
        "mobile",
        "telephone",
    },
    "role": {"rol", "role", "doelgroep"},
    "organisation": {"organisatie", "organisation", "organization", "org", "instelling"},
    "municipality": {"gemeente", "municipality", "woonplaats", "plaats", "city"},
    "language": {"taal", "language", "voorkeurstaal", "lang"},
    "under_16": {"onder16", "under16", "jongerdan16", "youngerthan16", "jonger16", "minderjarig"},
    "guardian_consent_on": {
        "toestemmingdatum",
        "datumtoestemming",
        "toestemmingop",
        "consentdate",
        "dateofconsent",
        "consenton",
    },
    "guardian_consent_by": {
        "toestemmingdoor",
        "toestemminggegevendoor",
        "toestemmingvan",
        "ouderverzorger",
        "ouderofverzorger",
        "consentby",
        "consentgivenby",
        "guardian",
        "parentorguardian",
    },
}


def plain_word(text: str) -> str:
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
        return [(self.header[i] if i < len(self.header) else "") for i in range(self.column_count)]


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
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def column_letter(number: int) -> str:
    """A spreadsheet's name for column ``number`` (1 is A, 27 is AA), as an organiser sees it."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _bounded(lines):
    """The lines of a file, refused once they run past MAX_SCANNED_ROWS (empty rows count: a
    sheet can number its rows up to a million with nothing in them), hold a cell longer than
    MAX_CELL_CHARS or more than MAX_TABLE_CHARS of text in all."""
    total = 0
    try:
        for number, cells in lines:
            if number > MAX_SCANNED_ROWS:
                raise PeopleError("import_rows_beyond_limit", maximum=MAX_SCANNED_ROWS, people=MAX_IMPORT_ROWS)
            for index, cell in enumerate(cells):
                if len(cell) > MAX_CELL_CHARS:
                    raise PeopleError(
                        "import_cell_too_long",
                        row=number,
                        column=column_letter(index + 1),
                        length=len(cell),
                        maximum=MAX_CELL_CHARS,
                    )
                total += len(cell)
            if total > MAX_TABLE_CHARS:
                raise PeopleError("import_too_much_text")
            yield number, cells
    finally:
        lines.close()


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
    check_archive(data)
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
        # The sheet's own word on its size first; but a sheet can say A1:C3 and hold row 1,048,576,
        # so openpyxl stops one row past the limit, and _bounded refuses that row.
        if (sheet.max_row or 0) > MAX_SCANNED_ROWS:
            raise PeopleError("import_rows_beyond_limit", maximum=MAX_SCANNED_ROWS, people=MAX_IMPORT_ROWS)
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS, max_row=MAX_SCANNED_ROWS + 1)
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
    return sum(1 for cell in cells if plain_word(cell) in known)


def read_table(filename: str, data: bytes) -> Table:
    """The header and rows of a CSV or XLSX file; PeopleError for anything we cannot use."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in ("csv", "xlsx"):
        raise PeopleError("import_wrong_type")
    if len(data) > MAX_IMPORT_BYTES:
        raise PeopleError("import_too_large", megabytes=MAX_IMPORT_BYTES // (1024 * 1024))
    if not data.strip():
        raise PeopleError("import_empty")
    lines = _bounded(_csv_lines(data) if extension == "csv" else _xlsx_lines(data))
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
    rows = leading[at + 1 :]
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
        word = plain_word(label)
        for name in FIELDS:
            if mapping[name] is None and word in HEADER_WORDS[name] and index not in mapping.values():
                mapping[name] = index
    return mapping


# Carrying the table between requests


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt="people-import")


def pack_table(table: Table, secret_key: str) -> str:
    """The signed copy of ``table`` for the review form; PeopleError("import_too_much_text") if it
    would be longer than MAX_PAYLOAD_CHARS (a form the browser has to send back)."""
    payload = _serializer(secret_key).dumps(
        {"f": table.filename, "h": table.header, "r": [[n, cells] for n, cells in table.rows]}
    )
    if len(payload) > MAX_PAYLOAD_CHARS:
        raise PeopleError("import_too_much_text")
    return payload


def unpack_table(payload: str, secret_key: str, max_age: int = PAYLOAD_MAX_AGE) -> Table:
    """The table ``pack_table`` signed; PeopleError("import_payload_invalid") if it was
    changed, is too old or is missing."""
    if len(payload or "") > MAX_PAYLOAD_CHARS:
        raise PeopleError("import_payload_invalid")  # we never sign one this long
    try:
        data = _serializer(secret_key).loads(payload or "", max_age=max_age)
        return Table(
            header=[str(c) for c in data["h"]],
            rows=[(int(n), [str(c) for c in cells]) for n, cells in data["r"]],
            filename=str(data["f"]),
        )
    except (BadSignature, KeyError, TypeError, ValueError) as error:
        raise PeopleError("import_payload_invalid") from error
