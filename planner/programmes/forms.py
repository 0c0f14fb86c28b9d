from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from planner.forms import MultiCheckboxField


class ProgrammeForm(FlaskForm):
    name = StringField(
        _l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=160)]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    organisers = MultiCheckboxField(_l("Organisers"), coerce=int)
    trekkers = MultiCheckboxField(_l("Trekkers"), coerce=int)


class BlockedDateForm(FlaskForm):
    day = DateField(
        _l("Date"),
        validators=[InputRequired(_l("Enter a date, like 2027-04-27."))],
        description=_l("No session will be proposed on this date."),
    )
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=200)])
