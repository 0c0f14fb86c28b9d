from __future__ import annotations

import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    URLField,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.2 has it, types-WTForms not yet
from wtforms.validators import (
    URL,
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from planner.converters import coerce_id
from planner.forms import Form, MultiCheckboxField, plausible_date_message
from planner.series.audiences import Audience
from planner.series.catalogue import TEMPLATES
from planner.series.errors import SeriesError
from planner.series.scheduling import RhythmKind
from planner.series.services import check_horizon
from planner.timekeeping import is_plausible_date

RHYTHM_LABELS = {
    RhythmKind.WEEKLY: _l("Weekly"),
    RhythmKind.FORTNIGHTLY: _l("Every two weeks"),
    RhythmKind.MONTHLY: _l("Monthly, on the same weekday (e.g. every second Tuesday)"),
    RhythmKind.MANUAL: _l("Dates I choose myself"),
}

DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")


def parse_dates(text: str) -> list[date]:
    """Dates separated by commas, spaces or new lines, as 2027-03-02 or 2-3-2027."""
    days = []
    for token in filter(None, re.split(r"[\s,;]+", text or "")):
        for fmt in DATE_FORMATS:
            try:
                day = datetime.strptime(token, fmt).date()  # noqa: DTZ007 - only the date is kept
                break
            except ValueError:
                continue
        else:
            raise ValidationError(_l("“%(value)s” is not a date. Write dates like 2027-03-02.", value=token))
        days.append(within_planning_horizon(day))
    return days


def within_planning_horizon(day: date) -> date:
    """``day`` if a session may be planned on it. Past the planning horizon the planning rule's
    own message ("up to 5 years ahead"), before the general date bound of every form."""
    try:
        check_horizon(day)
    except SeriesError as error:
        raise ValidationError(error.message) from error
    if not is_plausible_date(day):
        raise ValidationError(plausible_date_message())
    return day


def planning_date(_form, field) -> None:
    if field.data is not None:
        try:
            within_planning_horizon(field.data)
        except ValidationError as error:
            raise StopValidation(*error.args) from error


class VenueChoices:
    """A form with a ``venue`` field, offered the venues it is made with: ``Form(venues=...)``."""

    venue: SelectField

    def __init__(self, *args, venues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.venue.choices = [SelectChoice(0, _l("No venue yet / online"))] + [
            SelectChoice(v.id, str(v)) for v in venues
        ]


class SeriesPlaceForm(VenueChoices, Form):
    """What every form of a whole series asks first: its title and where it is."""

    title = StringField(
        _l("Title"),
        description=_l("Neutral: it appears in calendars and e-mails, e.g. “Ontmoeting Gendt”."),
        validators=[DataRequired(_l("Enter a title.")), Length(max=160)],
    )
    municipality = StringField(_l("Municipality"), validators=[Optional(), Length(max=80)])
    venue = SelectField(_l("Venue"), coerce=coerce_id, default=0)


class NewVenueFields:
    """A venue that is not in the list yet, named on the spot (a new series, a copy)."""

    new_venue_name = StringField(_l("Or a new venue: name"), validators=[Optional(), Length(max=160)])
    new_venue_address = StringField(_l("Address of the new venue"), validators=[Optional(), Length(max=250)])


class SeriesDetailsForm(SeriesPlaceForm):
    description = TextAreaField(_l("Description for participants"), validators=[Optional(), Length(max=4000)])
    reminder_days = IntegerField(
        _l("Reminder, days before each meeting"),
        description=_l("Those coming get a reminder mail this many days before. 0 sends none."),
        default=2,
        validators=[Optional(), NumberRange(min=0, max=30, message=_l("Enter a number from 0 to 30."))],
    )


class SeriesEditForm(SeriesDetailsForm):
    """An existing series: whether a new title is worth a mail to those who come."""

    tell_participants = BooleanField(
        _l("Tell participants by mail about a new title"),
        description=_l(
            "A corrected title reaches subscribed calendars without a mail. Tick this to mail everyone "
            "who comes an update (you see it before it goes). A new venue is always mailed."
        ),
        default=False,
    )


class SeriesForm(NewVenueFields, SeriesDetailsForm):
    """A new series: its details plus the template and the rhythm to propose dates from."""

    template = RadioField(
        _l("Template"),
        choices=[SelectChoice(t.key, t.name) for t in TEMPLATES.values()],
        validate_choice=False,
        validators=[
            InputRequired(_l("Choose one of the templates.")),
            AnyOf(list(TEMPLATES), message=_l("Choose one of the templates.")),
        ],
    )
    first_day = DateField(
        _l("Date of the first session"),
        validators=[Optional(), planning_date],
        description=_l("For dates you choose yourself, fill in the list below instead."),
    )
    start = TimeField(_l("Start time"), validators=[InputRequired(_l("Enter a start time, like 19:30."))])
    end = TimeField(_l("End time"), validators=[InputRequired(_l("Enter an end time, like 21:30."))])
    rhythm = RadioField(
        _l("Rhythm"),
        choices=[SelectChoice(k.value, label) for k, label in RHYTHM_LABELS.items()],
        default=RhythmKind.WEEKLY.value,
        validate_choice=False,
        validators=[
            InputRequired(_l("Choose a rhythm.")),
            AnyOf([k.value for k in RhythmKind], message=_l("Choose a rhythm.")),
        ],
    )
    count = IntegerField(
        _l("Number of sessions"),
        validators=[
            InputRequired(_l("Enter the number of sessions.")),
            NumberRange(min=1, max=52, message=_l("Choose between 1 and 52 sessions.")),
        ],
    )
    manual_dates = TextAreaField(
        _l("Dates I choose myself"),
        description=_l("One date per line, like 2027-03-02. Only used with “Dates I choose myself”."),
        validators=[Optional(), Length(max=2000)],
    )

    def validate_first_day(self, field):
        if self.rhythm.data != RhythmKind.MANUAL and field.data is None and not field.errors:
            raise ValidationError(_l("Enter the date of the first session, like 2027-03-02."))

    def validate_manual_dates(self, field):
        self.parsed_dates = parse_dates(field.data)
        if self.rhythm.data == RhythmKind.MANUAL and not self.parsed_dates:
            raise ValidationError(_l("Enter at least one date."))


class SessionForm(VenueChoices, Form):
    title = StringField(_l("Title"), validators=[DataRequired(_l("Enter a title.")), Length(max=160)])
    day = DateField(_l("Date"), validators=[InputRequired(_l("Enter a date, like 2027-03-02.")), planning_date])
    start = TimeField(_l("Start time"), validators=[InputRequired(_l("Enter a start time, like 19:30."))])
    end = TimeField(_l("End time"), validators=[InputRequired(_l("Enter an end time, like 21:30."))])
    venue = SelectField(
        _l("Venue"), coerce=coerce_id, default=0, description=_l("Leave empty to use the venue of the series.")
    )
    online_url = URLField(
        _l("Online link"),
        validators=[Optional(), URL(message=_l("Enter a full web address starting with https://.")), Length(max=500)],
    )
    capacity = IntegerField(
        _l("Capacity"),
        description=_l("Maximum number of participants. Leave empty for no limit."),
        validators=[Optional(), NumberRange(min=1, max=10000, message=_l("Capacity must be at least 1."))],
    )
    audiences = MultiCheckboxField(_l("For whom"), choices=Audience.choices())
    theme = StringField(_l("Theme"), validators=[Optional(), Length(max=250)])
    agenda = TextAreaField(_l("Agenda"), validators=[Optional(), Length(max=4000)])


class CancelSessionForm(Form):
    reason = StringField(
        _l("Reason"),
        description=_l("Participants will see this reason."),
        validators=[DataRequired(_l("Give a reason for the cancellation.")), Length(max=300)],
    )


COPY_RHYTHMS = [k for k in RHYTHM_LABELS if k != RhythmKind.MANUAL]


class DuplicateSeriesForm(NewVenueFields, SeriesPlaceForm):
    """The next round of a series: where, from which date, on which rhythm; then one date per
    session (``day_1`` ... ``day_n``, made for the series by ``duplicate_form``)."""

    first_day = DateField(
        _l("Date of the first session"),
        validators=[InputRequired(_l("Enter the date of the first session, like 2027-03-02.")), planning_date],
    )
    rhythm = RadioField(
        _l("Rhythm"),
        choices=[SelectChoice(k.value, RHYTHM_LABELS[k]) for k in COPY_RHYTHMS],
        validate_choice=False,
        validators=[
            InputRequired(_l("Choose a rhythm.")),
            AnyOf([k.value for k in COPY_RHYTHMS], message=_l("Choose a rhythm.")),
        ],
    )

    day_count = 0

    def day_fields(self) -> list:
        return [self[f"day_{n}"] for n in range(1, self.day_count + 1)]

    def chosen_days(self) -> list[date] | None:
        """The reviewed dates, one per session; None while the review step has not been shown."""
        days = [f.data for f in self.day_fields()]
        return days if days and all(days) else None


def duplicate_form(sessions, *args, **kwargs) -> DuplicateSeriesForm:
    """The copy form for a series of these sessions: a date field for each, labelled by its title."""

    class ForThisSeries(DuplicateSeriesForm):
        day_count = len(sessions)

    for n, session in enumerate(sessions, start=1):
        setattr(
            ForThisSeries,
            f"day_{n}",
            DateField(
                _l("Date of session %(number)s (%(title)s)", number=n, title=session.title),
                validators=[Optional(), planning_date],
            ),
        )
    return ForThisSeries(*args, **kwargs)
