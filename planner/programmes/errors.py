"""What the learning-studio rules refuse, and what each refusal means to a person."""

from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

from planner.errors import DomainError, ErrorCode, when


class ProgrammeCode(ErrorCode):
    BLOCKED_DATE_TAKEN = "blocked_date_taken", lambda p: _("%(day)s is already blocked.", **when(p))
    NAME_REQUIRED = "name_required", _l("Enter a name.")
    PROGRAMME_NAME_TAKEN = "programme_name_taken", _l("There is already a learning studio with this name.")
    RETENTION_OUT_OF_RANGE = "retention_out_of_range", _l("Enter a number of months between 1 and 120.")


class ProgrammeError(DomainError):
    """A refusal by the learning-studio rules."""

    codes = ProgrammeCode
