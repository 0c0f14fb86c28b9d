"""Form pieces shared by every area, and the base of every form.

Every form derives from :class:`Form`, which fixes two things for all fields at once: typed
text loses its control characters (``planner.plain_text``), and a date must lie between
``FIRST_YEAR`` and ``LAST_YEAR`` (a year 9999 would overflow the date arithmetic behind it).
"""

from __future__ import annotations

from typing import TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import DateField, Field, PasswordField, SelectMultipleField, StringField, widgets
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget, core as widgets_core

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


WTFORMS_HTML_PARAMS = widgets_core.html_params  # the original, which ours must equal
_clean_key = widgets_core.clean_key  # type: ignore[attr-defined]  # in WTForms, not in its type stubs


def html_params(**attributes) -> Markup:
    """WTForms' ``html_params``, the same text, without a string formatter per attribute.

    Every input, label and option of a form goes through it (a dozen answer buttons make a
    participant's page); WTForms' own builds each attribute with ``Markup.format``, which was a
    fifth of the time that page took. Same rules: sorted names, ``class_`` → ``class``, ``data_``
    and ``aria_`` names with hyphens, ``True`` alone, ``False`` left out, values escaped with
    ``"`` as ``&quot;``.
    """
    params = []
    for name, value in sorted(attributes.items()):
        name = _clean_key(name)
        if value is True:
            params.append(str(escape(name)))
        elif value is not False:
            params.append(f'{escape(name)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))


def use_fast_html_params() -> None:
    """Render every WTForms widget with :func:`html_params` (create_app calls this once)."""
    widgets.html_params = widgets_core.html_params = html_params  # labels use the first
    for widget in (widgets_core.Input, widgets_core.Button):  # type: ignore[attr-defined]  # Button: not in the stubs
        widget.html_params = staticmethod(html_params)  # type: ignore[method-assign]  # as WTForms sets it
