from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, EmailField, HiddenField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from planner.people.import_files import FIELDS, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS
from planner.people.models import CONSENT_LABELS, FIELD_LABELS, LANGUAGE_LABELS, MAX_LENGTHS, ROLE_LABELS


def _role_choices() -> list[SelectChoice]:
    return [SelectChoice(str(role), label) for role, label in ROLE_LABELS.items()]


class PersonForm(FlaskForm):
    name = StringField(
        _l("Name"),
        description=_l("A first name or a pseudonym is enough."),
        validators=[DataRequired(_l("Enter a name.")), Length(max=MAX_LENGTHS["name"])],
    )
    email = EmailField(
        _l("E-mail address"),
        description=_l("Optional. Without one, the person gets invitations on paper."),
        validators=[Optional(), Length(max=254)],
    )
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=MAX_LENGTHS["phone"])])
    role = SelectField(_l("Role"), validators=[InputRequired(_l("Choose a role."))])
    organisation_id = SelectField(_l("Organisation"), coerce=int, default=0)
    municipality = StringField(
        _l("Municipality"), validators=[Optional(), Length(max=MAX_LENGTHS["municipality"])]
    )
    language = RadioField(_l("Language"), default="nl", validators=[InputRequired(_l("Choose a language."))])
    under_16 = BooleanField(_l("Under 16"))
    guardian_consent_on = DateField(
        _l("Date of consent"),
        description=_l("Only for someone under 16: when a parent or guardian consented."),
        validators=[Optional()],
    )
    guardian_consent_by = StringField(
        _l("Consent given by"),
        description=_l("Name of the parent or guardian."),
        validators=[Optional(), Length(max=MAX_LENGTHS["guardian_consent_by"])],
    )

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = _role_choices()
        self.language.choices = [SelectChoice(code, label) for code, label in LANGUAGE_LABELS.items()]
        self.organisation_id.choices = [SelectChoice(0, _l("No organisation"))] + [
            SelectChoice(o.id, str(o)) for o in organisations
        ]


# Consent per purpose on the person form: yes, no, or not asked (no record).
CONSENT_ANSWERS = {"yes": True, "no": False, "": None}


def consent_field_name(purpose) -> str:
    return f"consent_{purpose}"


for _purpose, _label in CONSENT_LABELS.items():
    setattr(
        PersonForm,
        consent_field_name(_purpose),
        RadioField(
            _label,
            choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No")), SelectChoice("", _l("Not asked"))],
            default="",
        ),
    )


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter a name.")), Length(max=MAX_LENGTHS["organisation"])],
    )
    municipality = StringField(
        _l("Municipality"), validators=[Optional(), Length(max=MAX_LENGTHS["municipality"])]
    )


class ImportUploadForm(FlaskForm):
    file = FileField(
        _l("Spreadsheet"),
        description=_l(
            "An .xlsx or .csv file of at most %(megabytes)s MB and %(rows)s rows, with a header row.",
            megabytes=MAX_IMPORT_BYTES // (1024 * 1024),
            rows=MAX_IMPORT_ROWS,
        ),
        validators=[FileRequired(_l("Choose a file."))],
    )


class ImportReviewForm(FlaskForm):
    """The column for each field, over the rows carried in ``payload``."""

    payload = HiddenField()
    column_name = SelectField(FIELD_LABELS["name"], default="")
    column_email = SelectField(FIELD_LABELS["email"], default="")
    column_phone = SelectField(FIELD_LABELS["phone"], default="")
    column_role = SelectField(FIELD_LABELS["role"], default="")
    column_organisation = SelectField(FIELD_LABELS["organisation"], default="")
    column_municipality = SelectField(FIELD_LABELS["municipality"], default="")
    column_language = SelectField(FIELD_LABELS["language"], default="")
    column_under_16 = SelectField(FIELD_LABELS["under_16"], default="")
    column_guardian_consent_on = SelectField(FIELD_LABELS["guardian_consent_on"], default="")
    column_guardian_consent_by = SelectField(FIELD_LABELS["guardian_consent_by"], default="")
    default_role = SelectField(
        _l("Role for rows without one"),
        description=_l("For example when the whole list is volunteers."),
        default="",
    )
    all_or_nothing = BooleanField(
        _l("All or nothing"),
        description=_l("Import nothing if any row has an error."),
    )

    def __init__(self, *args, columns=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [SelectChoice("", _l("(not in the file)"))] + [
            SelectChoice(str(i), label or _l("Column %(number)s", number=i + 1)) for i, label in enumerate(columns)
        ]
        for name in FIELDS:
            getattr(self, f"column_{name}").choices = choices
        self.default_role.choices = [SelectChoice("", _l("None: such a row is not imported"))] + _role_choices()

    def mapping(self) -> dict[str, int | None]:
        return {
            name: int(value) if (value := getattr(self, f"column_{name}").data) else None
            for name in FIELDS
        }

    def show_mapping(self, mapping: dict[str, int | None]) -> None:
        for name in FIELDS:
            index = mapping.get(name)
            getattr(self, f"column_{name}").data = "" if index is None else str(index)

