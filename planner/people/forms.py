"""Forms of the people pages. The person rules are not repeated here: a form turns its fields
into ``PersonDetails`` and the service's refusal is shown beside the field it names."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, EmailField, HiddenField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.2 has it, types-WTForms not yet
from wtforms.validators import DataRequired, Length, Optional

from planner.converters import coerce_id
from planner.forms import Form
from planner.people.details import PersonDetails
from planner.people.import_files import FIELDS, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS
from planner.people.models import FIELD_LABELS, MAX_LENGTHS, ConsentPurpose, Language, PersonRole


def text_attributes(field: str, *, required: bool = False) -> dict:
    """What the browser is told of a field's rule (the rule itself is ``check_person_details``)."""
    return {"maxlength": MAX_LENGTHS[field], **({"required": True} if required else {})}


class AgeFields(Form):
    """Under 16, and then a guardian's consent: the person form and the walk-in ask the same."""

    under_16 = BooleanField(_l("Under 16"))
    guardian_consent_on = DateField(
        _l("Date of consent"),
        description=_l("Only for someone under 16: when a parent or guardian consented."),
        validators=[Optional()],
    )
    guardian_consent_by = StringField(
        _l("Consent given by"),
        description=_l("Name of the parent or guardian."),
        render_kw=text_attributes("guardian_consent_by"),
    )

    def age_details(self) -> dict:
        return {
            "under_16": self.under_16.data,
            "guardian_consent_on": self.guardian_consent_on.data,
            "guardian_consent_by": self.guardian_consent_by.data or "",
        }


class PersonForm(AgeFields):
    name = StringField(
        _l("Name"),
        description=_l("A first name or a pseudonym is enough."),
        render_kw=text_attributes("name", required=True),
    )
    email = EmailField(
        _l("E-mail address"),
        description=_l("Optional. Without one, the person gets invitations on paper."),
    )
    phone = StringField(_l("Phone"), render_kw=text_attributes("phone"))
    role = SelectField(_l("Role"), validate_choice=False, render_kw={"required": True})
    organisation_id = SelectField(_l("Organisation"), coerce=coerce_id, default=0)
    municipality = StringField(_l("Municipality"), render_kw=text_attributes("municipality"))
    language = RadioField(_l("Language"), default=Language.DUTCH, validate_choice=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = list(organisations)
        self.role.choices = PersonRole.choices()
        self.language.choices = Language.choices()
        self.organisation_id.choices = [SelectChoice(0, _l("No organisation"))] + [
            SelectChoice(o.id, str(o)) for o in self.organisations
        ]

    def details(self) -> PersonDetails:
        return PersonDetails(
            name=self.name.data or "",
            email=self.email.data,
            phone=self.phone.data or "",
            role=self.role.data or "",
            organisation=next((o for o in self.organisations if o.id == self.organisation_id.data), None),
            municipality=self.municipality.data or "",
            language=self.language.data or "",
            **self.age_details(),
        )


# Consent per purpose on the person form: yes, no, or not asked (no record).
CONSENT_ANSWERS = {"yes": True, "no": False, "": None}


def consent_field_name(purpose) -> str:
    return f"consent_{purpose}"


for _purpose in ConsentPurpose:
    setattr(
        PersonForm,
        consent_field_name(_purpose),
        RadioField(
            _purpose.label,
            choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No")), SelectChoice("", _l("Not asked"))],
            default="",
        ),
    )


class OrganisationForm(Form):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter a name.")), Length(max=MAX_LENGTHS["organisation"])],
    )
    municipality = StringField(_l("Municipality"), validators=[Optional(), Length(max=MAX_LENGTHS["municipality"])])


class ImportUploadForm(Form):
    file = FileField(
        _l("Spreadsheet"),
        description=_l(
            "An .xlsx or .csv file of at most %(megabytes)s MB and %(rows)s rows, with a header row.",
            megabytes=MAX_IMPORT_BYTES // (1024 * 1024),
            rows=MAX_IMPORT_ROWS,
        ),
        validators=[FileRequired(_l("Choose a file."))],
    )


class ImportReviewForm(Form):
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
        no_role = SelectChoice("", _l("None: such a row is not imported"))
        self.default_role.choices = [no_role, *PersonRole.choices()]

    def mapping(self) -> dict[str, int | None]:
        return {name: int(value) if (value := getattr(self, f"column_{name}").data) else None for name in FIELDS}

    def show_mapping(self, mapping: dict[str, int | None]) -> None:
        for name in FIELDS:
            index = mapping.get(name)
            getattr(self, f"column_{name}").data = "" if index is None else str(index)
