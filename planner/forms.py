"""Form pieces shared by every area."""

from __future__ import annotations

from typing import TypeVar

from wtforms import Field, SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

T = TypeVar("T")


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes: easier than a multi-select for keyboard and phone users."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def given(value: T | None) -> T:
    """The value of a required field once the form has validated (its validators refuse it empty)."""
    if value is None:
        raise ValueError("a required field has no value: was the form validated?")
    return value


def add_error(field: Field, message: str) -> None:
    """A message under ``field`` after validation (before it, WTForms keeps its errors in a tuple)."""
    field.errors = [*field.errors, message]
