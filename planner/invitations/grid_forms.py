"""The forms of the person × session grid: its filters (a GET form) and the bulk actions."""

from __future__ import annotations

from flask_babel import format_date, lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.2 has it, types-WTForms not yet
from wtforms.validators import Length, NumberRange, Optional

from planner.converters import LARGEST_ID, coerce_id
from planner.forms import Form, MultiCheckboxField
from planner.invitations.grid import CELL_LABELS, MAIL_LABELS, NEED_LABELS, FilterChoices, GridFilters
from planner.people.models import PersonRole

BULK_ACTIONS = ("remind", "withdraw", "move", "place", "letters")


def session_label(session) -> str:
    return f"{format_date(session.local_start.date(), 'EEE d MMM y')} · {session.title}"


class GridFilterForm(Form):
    class Meta:
        csrf = False  # a search: it changes nothing

    search = StringField(_l("Search by name or e-mail"), validators=[Optional(), Length(max=100)])
    answer = SelectField(_l("Answer"), default="")
    session = SelectField(_l("In session"), coerce=coerce_id, default=0)
    role = SelectField(_l("Role"), default="")
    organisation = SelectField(_l("Organisation"), coerce=coerce_id, default=0)
    municipality = SelectField(_l("Municipality"), default="")
    need = SelectField(_l("Needs"), default="")
    mail = SelectField(_l("Mail status"), default="")
    page = IntegerField(_l("Page"), validators=[Optional(), NumberRange(min=1, max=LARGEST_ID)])

    def __init__(self, *args, sessions=(), choices: FilterChoices | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = choices or FilterChoices([], [])
        self.answer.choices = [SelectChoice("", _l("Any answer"))] + [
            SelectChoice(key, label) for key, label in CELL_LABELS.items()
        ]
        self.session.choices = [SelectChoice(0, _l("Any session"))] + [
            SelectChoice(s.id, session_label(s)) for s in sessions
        ]
        self.role.choices = [SelectChoice("", _l("Every role")), *PersonRole.choices()]
        self.organisation.choices = [SelectChoice(0, _l("Every organisation"))] + [
            SelectChoice(o.id, str(o)) for o in choices.organisations
        ]
        self.municipality.choices = [SelectChoice("", _l("Every municipality"))] + [
            SelectChoice(m, m) for m in choices.municipalities
        ]
        self.need.choices = [
            SelectChoice("", _l("Needs or not")),
            SelectChoice("any", _l("Has a need")),
            SelectChoice("none", _l("No needs")),
        ] + [SelectChoice(key, label) for key, label in NEED_LABELS.items()]
        self.mail.choices = [SelectChoice("", _l("Every mail status"))] + [
            SelectChoice(key, label) for key, label in MAIL_LABELS.items()
        ]

    def filters(self) -> GridFilters:
        """The filters once the form validated; an invalid form filters nothing."""
        return GridFilters(
            search=(self.search.data or "").strip(),
            answer=self.answer.data or "",
            session_id=self.session.data or 0,
            role=self.role.data or "",
            organisation_id=self.organisation.data or 0,
            municipality=self.municipality.data or "",
            need=self.need.data or "",
            mail=self.mail.data or "",
        )


class BulkForm(Form):
    """The chosen people and what to do with them; the button pressed names the action."""

    chosen = MultiCheckboxField(_l("Chosen people"), coerce=coerce_id, validate_choice=False)
    action = HiddenField()
    session = SelectField(_l("To session"), coerce=coerce_id, default=0)
    from_session = SelectField(_l("Move from session"), coerce=coerce_id, default=0)
    over_capacity = BooleanField(_l("Also over the maximum"))
    confirmed = BooleanField()

    def __init__(self, *args, sessions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.session.choices = [SelectChoice(0, _l("Choose a session"))] + [
            SelectChoice(s.id, session_label(s)) for s in sessions
        ]
        self.from_session.choices = [SelectChoice(0, _l("Choose a session"))] + [
            SelectChoice(s.id, session_label(s)) for s in sessions
        ]
