"""Forms of the letters pages: mark a page of letters printed, take that back, type a code."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from planner.converters import id_from_text
from planner.forms import Form

MAX_LETTERS = 2000  # one page of letters at most


class PrintedForm(Form):
    """The letters that were on the page, by id: only those are marked, not one added since."""

    ids = HiddenField(validators=[DataRequired(), Length(max=MAX_LETTERS * 11)])

    def validate_ids(self, field) -> None:
        parts = (field.data or "").split(",")
        ids = [id_from_text(part) for part in parts]
        if not ids or None in ids or len(ids) > MAX_LETTERS:
            raise ValidationError(_l("These letters are not known. Load the page again."))

    @property
    def letter_ids(self) -> list[int]:
        return [int(part) for part in (self.ids.data or "").split(",")]


class UndoPrintedForm(Form):
    """A batch of letters marked printed, by the second it was marked."""

    printed_at = HiddenField(validators=[DataRequired(), Length(max=40)])

    def validate_printed_at(self, field) -> None:
        try:
            when = datetime.fromisoformat(field.data or "")
        except ValueError:
            raise ValidationError(_l("These letters are not known. Load the page again.")) from None
        if when.tzinfo is None or not 2000 <= when.year <= 9000:
            raise ValidationError(_l("These letters are not known. Load the page again."))

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.printed_at.data or "").astimezone(UTC)


class CodeForm(Form):
    code = StringField(
        _l("Code from your letter"),
        description=_l("Eight letters and digits, for example ABCD-EFGH. Capitals or not, spaces do not matter."),
        validators=[DataRequired(_l("Type the code from your letter.")), Length(max=40)],
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )
