"""What the learning-studio rules refuse, and what each refusal means to a person."""

from __future__ import annotations

from enum import auto

from flask_babel import lazy_gettext as _l

from planner.errors import DomainError, ErrorCode


class ProgrammeCode(ErrorCode):
    BLOCKED_DATE_TAKEN = auto(), _l("%(day)s is already blocked.")
    NAME_REQUIRED = auto(), _l("Enter a name.")
    PROGRAMME_NAME_TAKEN = auto(), _l("There is already a learning studio with this name.")
    RETENTION_OUT_OF_RANGE = auto(), _l("Enter a number of months between 1 and 120.")


class ProgrammeError(DomainError, codes=ProgrammeCode):
    """A refusal by the learning-studio rules."""
