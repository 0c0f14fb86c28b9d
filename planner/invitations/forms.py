"""Forms of the invite step: the participant's answers, and the organiser's invite form."""

from __future__ import annotations

from flask_babel import format_date, lazy_gettext as _l
from wtforms import BooleanField, FieldList, FormField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.2 has it, types-WTForms not yet
from wtforms.validators import DataRequired, Length, Optional

from planner.converters import coerce_id
from planner.forms import Form, MultiCheckboxField
from planner.invitations.models import Answer
from planner.people.models import FIELD_LABELS, MAX_LENGTHS, Language, PersonRole

# The answers as the participant gives them: to "Will you come?", in their own words.
ANSWER_CHOICES = [
    SelectChoice(Answer.YES, _l("Yes, I will come")),
    SelectChoice(Answer.NO, _l("No, I cannot come")),
    SelectChoice(Answer.MAYBE, _l("I do not know yet")),
]


class NeedsForm(Form):
    learning_question = TextAreaField(
        _l("Your learning question"),
        description=_l("What would you like to learn or talk about at this meeting? You may leave this empty."),
        validators=[Optional(), Length(max=2000)],
    )
    needs_access = BooleanField(_l("I need a place that is easy to reach, for example without stairs"))
    needs_interpreter = BooleanField(_l("I need an interpreter"))
    needs_childcare = BooleanField(_l("I need childcare"))
    needs_other = StringField(_l("Do you need something else to take part?"), validators=[Optional(), Length(max=500)])


class OwnDetailsForm(Form):
    """What participants correct themselves: their name, phone and language."""

    name = StringField(
        FIELD_LABELS["name"],
        description=_l("A first name is enough."),
        validators=[DataRequired(_l("Enter your name.")), Length(max=MAX_LENGTHS["name"])],
    )
    phone = StringField(
        FIELD_LABELS["phone"],
        description=_l("You may leave this empty."),
        validators=[Optional(), Length(max=MAX_LENGTHS["phone"])],
    )
    language = RadioField(_l("Language of this page and our mails"), choices=Language.choices(), validate_choice=False)


def answer_field_name(session) -> str:
    return f"session_{session.id}"


def participant_form(rsvps, *, ask_learning_question: bool, **kwargs) -> NeedsForm:
    """The needs form with one yes / no / maybe question per session that is not cancelled."""

    class ParticipantForm(NeedsForm):
        pass

    for rsvp in rsvps:
        if rsvp.session.is_cancelled:
            continue
        day = format_date(rsvp.session.local_start.date(), "EEEE d MMMM")
        field = RadioField(
            _l("Will you come on %(day)s?", day=day),
            choices=ANSWER_CHOICES,
            default=None if rsvp.answer == Answer.PENDING else rsvp.answer,
            validate_choice=False,  # the service refuses unknown answers with a clear message
        )
        setattr(ParticipantForm, answer_field_name(rsvp.session), field)
    form = ParticipantForm(**kwargs)
    if not ask_learning_question:
        del form.learning_question
    return form


class NewcomerForm(Form):
    """One new pasted address, and the name it is stored with (a first name is enough)."""

    class Meta:
        csrf = False  # part of the invite form, which has the token

    address = HiddenField()
    name = StringField(_l("Name"), validators=[Optional(), Length(max=MAX_LENGTHS["name"])])


class InviteForm(Form):
    people = MultiCheckboxField(_l("People"), coerce=coerce_id, validate_choice=False)
    organisation = SelectField(_l("Everyone of an organisation"), coerce=coerce_id, default=0)
    role = SelectField(_l("Everyone with a role"), default="")
    emails = TextAreaField(
        _l("E-mail addresses"),
        description=_l(
            "One or more addresses, separated by new lines or commas. Pasted as “Name <address>”, the name "
            "is kept; for a new address without a name you are asked for one before anything is stored. "
            "New people are added as adults "
            "(16 or older). Add someone under 16 on the People page first, with the consent of a parent or guardian."
        ),
        validators=[Optional(), Length(max=100_000)],
    )
    sessions = MultiCheckboxField(_l("Sessions"), coerce=coerce_id, validate_choice=False)
    # Filled in on the review step, for pasted addresses that are new: address → name.
    newcomers = FieldList(FormField(NewcomerForm), max_entries=5000)

    def newcomer_names(self) -> dict[str, str]:
        return {
            (entry.form.address.data or "").strip().lower(): (entry.form.name.data or "").strip()
            for entry in self.newcomers
            if (entry.form.address.data or "").strip()
        }

    def __init__(self, *args, people=(), organisations=(), sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.people.choices = [SelectChoice(value, label) for value, label in people]
        self.organisation.choices = [SelectChoice(0, _l("No organisation"))] + [
            SelectChoice(o.id, str(o)) for o in organisations
        ]
        self.role.choices = [SelectChoice("", _l("No role")), *PersonRole.choices()]
        self.sessions.choices = [SelectChoice(value, label) for value, label in sessions]
