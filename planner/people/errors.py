"""What the people rules refuse, and what each refusal means to a person."""

from __future__ import annotations

from enum import auto

from flask_babel import lazy_gettext as _l, ngettext

from planner.errors import DomainError, ErrorCode
from planner.people.models import FIELD_LABELS


class PeopleCode(ErrorCode):
    DUPLICATE_IN_FILE = auto(), _l("%(email)s is already in row %(row)s of the file.")
    GUARDIAN_CONSENT_REQUIRED = (
        auto(),
        _l(
            "Someone under 16 can only be stored when a parent or guardian has consented: enter the "
            "date and who gave consent."
        ),
    )
    INVALID_CONSENT_DATE = (
        auto(),
        _l("“%(value)s” is not a date. Write the date of consent as 31-12-2026 or 2026-12-31."),
    )
    IMPORT_EMPTY = auto(), _l("The file is empty.")
    IMPORT_HAS_ERRORS = (
        auto(),
        lambda p: ngettext(
            "Nothing was imported: %(num)s row has an error, and you asked for all or nothing.",
            "Nothing was imported: %(num)s rows have an error, and you asked for all or nothing.",
            p["count"],
        ),
    )
    IMPORT_NAME_NOT_MAPPED = auto(), _l("Choose the column that holds the names.")
    IMPORT_NO_ROWS = auto(), _l("The file has a header row but no people below it.")
    IMPORT_NOTHING_GOOD = auto(), _l("Nothing was imported: no row can be imported.")
    IMPORT_PAYLOAD_INVALID = (
        auto(),
        _l("The uploaded list could not be read back, or is more than a few hours old. Upload the file again."),
    )
    IMPORT_TOO_LARGE = auto(), _l("The file is too large: at most %(megabytes)s MB.")
    IMPORT_TOO_MANY_ROWS = auto(), _l("The file has more than %(maximum)s rows. Split it into smaller files.")
    IMPORT_UNREADABLE = auto(), _l("This file cannot be read as a spreadsheet. Save it as .xlsx or .csv and try again.")
    IMPORT_WRONG_TYPE = auto(), _l("Choose a .csv or .xlsx file (in Excel: Save as, Excel workbook or CSV).")
    INVALID_EMAIL = auto(), _l("Enter a valid e-mail address, like name@example.org.")
    NAME_REQUIRED = auto(), _l("Enter a name.")
    NOT_YES_OR_NO = auto(), _l("%(field)s must be yes or no, not “%(value)s”.")
    ORGANISATION_TAKEN = auto(), _l("There is already an organisation %(name)s in this municipality.")
    PERSON_ANONYMISED = auto(), _l("This person's data has been deleted; the record can no longer be changed.")
    PERSON_EMAIL_TAKEN = auto(), _l("There is already a person with the e-mail address %(email)s.")
    ROLE_REQUIRED = auto(), _l("Enter a role.")
    TOO_LONG = auto(), _l("%(field)s is too long: at most %(maximum)s characters.")
    UNKNOWN_CONSENT_PURPOSE = auto(), _l("Unknown purpose of consent: %(purpose)s.")
    UNKNOWN_LANGUAGE = auto(), _l("Unknown language: %(language)s.")
    UNKNOWN_ROLE = auto(), _l("Unknown role: %(role)s.")
    IMPORT_ROWS_BEYOND_LIMIT = (
        auto(),
        _l(
            "The file goes on past row %(maximum)s (empty rows count too), and at most %(people)s people can be "
            "imported at once. Delete the rows below the list, or split it into smaller files."
        ),
    )
    IMPORT_CELL_TOO_LONG = (
        auto(),
        _l(
            "Row %(row)s, column %(column)s holds %(length)s characters; a cell can hold at most %(maximum)s. "
            "Shorten it or remove the column, and upload the file again."
        ),
    )
    IMPORT_TOO_MUCH_TEXT = (
        auto(),
        _l("The file holds too much text to check at once. Remove the columns you do not need, or split the list."),
    )
    IMPORT_TOO_COMPLEX = (
        auto(),
        _l(
            "This spreadsheet is too large or too complex to read: it unpacks to more than %(megabytes)s MB, or "
            "holds too many cells, sheets or styles. Copy the list to a new workbook or save it as CSV, "
            "and try again."
        ),
    )


class PeopleError(DomainError, codes=PeopleCode):
    """A refusal by the people rules. ``field`` names the person field it is about (a key of
    ``FIELD_LABELS``, e.g. "email"), so a form can show the message beside that field; the
    message itself gets the field's label as ``field``."""

    def __init__(self, code: PeopleCode | str, *, field: str | None = None, **params):
        if field is not None:
            params.setdefault("field", FIELD_LABELS[field])
        super().__init__(code, form_field=field, **params)
