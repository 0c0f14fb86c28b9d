"""The one kind of error the people rules raise."""

from __future__ import annotations

from planner.errors import DomainError
from planner.people.models import FIELD_LABELS


class PeopleError(DomainError):
    """A refusal by the people rules. ``field`` names the person field it is about (a key of
    ``FIELD_LABELS``, e.g. "email"), so a form can show the message beside that field; the
    message itself gets the field's label as ``field``."""

    def __init__(self, code: str, *, field: str | None = None, **params):
        if field is not None:
            params.setdefault("field", FIELD_LABELS[field])
        super().__init__(code, **params)
        self.field = field
