"""Form pieces shared by every area, and the base of every form.

Every form derives from :class:`Form`, which fixes two things for all fields at once: typed
text loses its control characters (``planner.plain_text``), and a date must lie between
``FIRST_YEAR`` and ``LAST_YEAR`` (a year 9999 would overflow the date arithmetic behind it).
"""

from __future__ import annotations

from typing import TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, PasswordField, SelectMultipleField, StringField
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from planner.plain_text import clean_text
from planner.timekeeping import FIRST_YEAR, LAST_YEAR, is_plausible_date

T = TypeVar("T")


def plausible_date_message():
    return _l("Enter a date between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)


def plausible_date(_form, field) -> None:
    """A validator every date field gets (see :class:`Form`)."""
    if field.data is not None and not is_plausible_date(field.data):
        raise StopValidation(plausible_date_message())


class Form(FlaskForm):
    class Meta(DefaultMeta):  # WTForms puts it before FlaskForm's own Meta
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            # New lists: the unbound field's own are shared by every form made from the class.
            if isinstance(field, StringField) and not isinstance(field, PasswordField):
                field.filters = [clean_text, *field.filters]
            if isinstance(field, DateField):
                field.validators = [*field.validators, plausible_date]
            return field


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
