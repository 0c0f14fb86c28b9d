from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from planner.converters import coerce_id
from planner.forms import Form, MultiCheckboxField


class ProgrammeForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=160)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    retention_months = IntegerField(
        _l("Keep personal data for (months)"),
        default=12,
        validators=[
            Optional(),
            NumberRange(min=1, max=120, message=_l("Enter a number of months between 1 and 120.")),
        ],
        description=_l("After the last session of a series, its personal data is anonymised after this many months."),
    )
    organisers = MultiCheckboxField(_l("Organisers"), coerce=coerce_id)
    trekkers = MultiCheckboxField(_l("Trekkers"), coerce=coerce_id)


class BlockedDateForm(Form):
    day = DateField(
        _l("Date"),
        validators=[InputRequired(_l("Enter a date, like 2027-04-27."))],
        description=_l("No session will be proposed on this date."),
    )
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=200)])
