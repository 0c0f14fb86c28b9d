"""Forms of the attend step: a walk-in at the door, a participant typing their name, breakout groups."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from planner.people.models import ROLE_LABELS


class WalkInForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=160)])
    email = StringField(
        _l("E-mail address"),
        description=_l("Optional. We use it to find someone we already know."),
        validators=[Optional(), Length(max=254)],
    )
    under_16 = BooleanField(_l("Under 16"))
    guardian_consent_on = DateField(
        _l("Date of consent"),
        description=_l("Only for someone under 16: when a parent or guardian consented."),
        validators=[Optional()],
    )
    guardian_consent_by = StringField(
        _l("Consent given by"),
        description=_l("Name of the parent or guardian."),
        validators=[Optional(), Length(max=120)],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]


class NameCheckInForm(FlaskForm):
    name = StringField(
        _l("Your name"),
        description=_l("As it is in your invitation."),
        validators=[DataRequired(), Length(max=120)],
    )


class GroupsForm(FlaskForm):
    how = RadioField(
        _l("Divide into"),
        choices=[SelectChoice("count", _l("this number of groups")), SelectChoice("size", _l("groups of this size"))],
        default="size",
    )
    number = IntegerField(_l("Number"), default=5, validators=[DataRequired(), NumberRange(min=1, max=100)])
