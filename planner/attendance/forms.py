"""Forms of the attend step: a walk-in at the door, a participant typing their name, breakout groups."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.2 has it, types-WTForms not yet
from wtforms.validators import DataRequired, Length, NumberRange

from planner.forms import Form
from planner.people.details import PersonDetails
from planner.people.forms import AgeFields, text_attributes
from planner.people.models import PersonRole


class WalkInForm(AgeFields):
    """Someone at the door: the person rules are those of the person form (``check_person_details``)."""

    name = StringField(_l("Name"), render_kw=text_attributes("name", required=True))
    role = SelectField(_l("Role"), validate_choice=False, render_kw={"required": True})
    organisation = StringField(_l("Organisation"), render_kw=text_attributes("organisation"))
    email = StringField(
        _l("E-mail address"),
        description=_l("Optional. We use it to find someone we already know."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = PersonRole.choices()

    def details(self) -> PersonDetails:
        return PersonDetails(
            name=self.name.data or "",
            role=self.role.data or "",
            organisation=self.organisation.data or None,
            email=self.email.data or None,
            **self.age_details(),
        )


class SelfCheckInForm(Form):
    """A participant's "I am here" on their personal link: nothing to fill in."""


class NameCheckInForm(Form):
    name = StringField(
        _l("Your name"),
        description=_l("As it is in your invitation."),
        validators=[DataRequired(), Length(max=120)],
    )


class GroupsForm(Form):
    how = RadioField(
        _l("Divide into"),
        choices=[SelectChoice("count", _l("this number of groups")), SelectChoice("size", _l("groups of this size"))],
        default="size",
    )
    number = IntegerField(_l("Number"), default=5, validators=[DataRequired(), NumberRange(min=1, max=100)])
