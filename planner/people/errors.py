"""What the people rules refuse, and what each refusal means to a person."""

from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l, ngettext

from planner.errors import DomainError, ErrorCode
from planner.people.models import FIELD_LABELS


class PeopleCode(ErrorCode):
    DUPLICATE_IN_FILE = "duplicate_in_file", lambda p: _("%(email)s is already in row %(row)s of the file.", **p)
    GUARDIAN_CONSENT_REQUIRED = (
        "guardian_consent_required",
        _l(
            "Someone under 16 can only be stored when a parent or guardian has consented: enter the "
            "date and who gave consent."
        ),
    )
    INVALID_CONSENT_DATE = (
        "invalid_consent_date",
        lambda p: _("“%(value)s” is not a date. Write the date of consent as 31-12-2026 or 2026-12-31.", **p),
    )
    IMPORT_EMPTY = "import_empty", _l("The file is empty.")
    IMPORT_HAS_ERRORS = (
        "import_has_errors",
        lambda p: ngettext(
            "Nothing was imported: %(num)s row has an error, and you asked for all or nothing.",
            "Nothing was imported: %(num)s rows have an error, and you asked for all or nothing.",
            p["count"],
        ),
    )
    IMPORT_NAME_NOT_MAPPED = "import_name_not_mapped", _l("Choose the column that holds the names.")
    IMPORT_NO_ROWS = "import_no_rows", _l("The file has a header row but no people below it.")
    IMPORT_NOTHING_GOOD = "import_nothing_good", _l("Nothing was imported: no row can be imported.")
    IMPORT_PAYLOAD_INVALID = (
        "import_payload_invalid",
        _l("The uploaded list could not be read back, or is more than a few hours old. Upload the file again."),
    )
    IMPORT_TOO_LARGE = "import_too_large", lambda p: _("The file is too large: at most %(megabytes)s MB.", **p)
    IMPORT_TOO_MANY_ROWS = (
        "import_too_many_rows",
        lambda p: _("The file has more than %(maximum)s rows. Split it into smaller files.", **p),
    )
    IMPORT_UNREADABLE = (
        "import_unreadable",
        _l("This file cannot be read as a spreadsheet. Save it as .xlsx or .csv and try again."),
    )
    IMPORT_WRONG_TYPE = (
        "import_wrong_type",
        _l("Choose a .csv or .xlsx file (in Excel: Save as, Excel workbook or CSV)."),
    )
    INVALID_EMAIL = "invalid_email", _l("Enter a valid e-mail address, like name@example.org.")
    NAME_REQUIRED = "name_required", _l("Enter a name.")
    NOT_YES_OR_NO = "not_yes_or_no", lambda p: _("%(field)s must be yes or no, not “%(value)s”.", **p)
    ORGANISATION_TAKEN = (
        "organisation_taken",
        lambda p: _("There is already an organisation %(name)s in this municipality.", **p),
    )
    PERSON_ANONYMISED = (
        "person_anonymised",
        _l("This person's data has been deleted; the record can no longer be changed."),
    )
    PERSON_EMAIL_TAKEN = (
        "person_email_taken",
        lambda p: _("There is already a person with the e-mail address %(email)s.", **p),
    )
    ROLE_REQUIRED = "role_required", _l("Enter a role.")
    TOO_LONG = "too_long", lambda p: _("%(field)s is too long: at most %(maximum)s characters.", **p)
    UNKNOWN_CONSENT_PURPOSE = "unknown_consent_purpose", lambda p: _("Unknown purpose of consent: %(purpose)s.", **p)
    UNKNOWN_LANGUAGE = "unknown_language", lambda p: _("Unknown language: %(language)s.", **p)
    UNKNOWN_ROLE = "unknown_role", lambda p: _("Unknown role: %(role)s.", **p)
    IMPORT_ROWS_BEYOND_LIMIT = (
        "import_rows_beyond_limit",
        lambda p: _(
            "The file goes on past row %(maximum)s (empty rows count too), and at most %(people)s people can be "
            "imported at once. Delete the rows below the list, or split it into smaller files.",
            **p,
        ),
    )
    IMPORT_CELL_TOO_LONG = (
        "import_cell_too_long",
        lambda p: _(
            "Row %(row)s, column %(column)s holds %(length)s characters; a cell can hold at most %(maximum)s. "
            "Shorten it or remove the column, and upload the file again.",
            **p,
        ),
    )
    IMPORT_TOO_MUCH_TEXT = (
        "import_too_much_text",
        _l("The file holds too much text to check at once. Remove the columns you do not need, or split the list."),
    )
    IMPORT_TOO_COMPLEX = (
        "import_too_complex",
        lambda p: _(
            "This spreadsheet is too large or too complex to read: it unpacks to more than %(megabytes)s MB, or "
            "holds too many cells, sheets or styles. Copy the list to a new workbook or save it as CSV, "
            "and try again.",
            **p,
        ),
    )


class PeopleError(DomainError):
    """A refusal by the people rules. ``field`` names the person field it is about (a key of
    ``FIELD_LABELS``, e.g. "email"), so a form can show the message beside that field; the
    message itself gets the field's label as ``field``."""

    codes = PeopleCode

    def __init__(self, code: PeopleCode | str, *, field: str | None = None, **params):
        if field is not None:
            params.setdefault("field", FIELD_LABELS[field])
        super().__init__(code, form_field=field, **params)
