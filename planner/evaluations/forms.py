"""The organiser's forms: a form's details, one question, and the choice of form per session."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.2 has it, types-WTForms not yet
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from planner.evaluations.kinds import KINDS
from planner.evaluations.models import Condition, FormPurpose, Moment
from planner.forms import Form


class FormDetailsForm(Form):
    field_names = ("title_nl", "title_en", "intro_nl", "intro_en", "purpose", "anonymous")  # as pages show them
    title_nl = StringField(_l("Title (Dutch)"), validators=[InputRequired(), Length(max=160)])
    title_en = StringField(_l("Title (English, optional)"), validators=[Optional(), Length(max=160)])
    intro_nl = TextAreaField(_l("Introduction (Dutch, optional)"), validators=[Optional(), Length(max=1000)])
    intro_en = TextAreaField(_l("Introduction (English, optional)"), validators=[Optional(), Length(max=1000)])
    purpose = SelectField(_l("What is the form for?"), choices=FormPurpose.choices())
    anonymous = BooleanField(
        _l("Anonymous"), description=_l("Answers are stored without name, role or time. Nobody can trace them back.")
    )


class QuestionForm(Form):
    field_names = (  # as the page shows them
        "kind",
        "text_nl",
        "text_en",
        "hint_nl",
        "hint_en",
        "options_nl",
        "options_en",
        "condition",
        "required",
        "pair_key",
        "moment",
    )
    kind = SelectField(_l("Type of question"), choices=[SelectChoice(kind, spec.label) for kind, spec in KINDS.items()])
    text_nl = StringField(_l("Question (Dutch)"), validators=[InputRequired(), Length(max=500)])
    text_en = StringField(_l("Question (English, optional)"), validators=[Optional(), Length(max=500)])
    hint_nl = StringField(_l("Explanation (Dutch, optional)"), validators=[Optional(), Length(max=300)])
    hint_en = StringField(_l("Explanation (English, optional)"), validators=[Optional(), Length(max=300)])
    options_nl = TextAreaField(
        _l("Options or smiley labels (Dutch)"),
        description=_l("One per line. Smileys: 3 or 5 labels, saddest first. Choice: at least 2 options."),
        validators=[Optional(), Length(max=5000)],
    )
    options_en = TextAreaField(
        _l("Options or smiley labels (English, optional)"),
        description=_l("One per line, in the same order as the Dutch ones."),
        validators=[Optional(), Length(max=5000)],
    )
    condition = SelectField(_l("Condition of social quality"), choices=Condition.choices(none=_l("None")))
    required = BooleanField(_l("An answer is required"))
    pair_key = StringField(
        _l("Before / now pair (optional)"),
        description=_l("Give two questions the same pair name, one for before and one for now."),
        validators=[Optional(), Length(max=40)],
    )
    moment = SelectField(_l("Moment"), choices=Moment.choices(none=_l("Not part of a pair")))


class DelayForm(Form):
    evaluation_delay_hours = IntegerField(
        _l("Send the evaluation mail this many hours after a session ends"),
        validators=[InputRequired(), NumberRange(min=0, max=336)],
    )
