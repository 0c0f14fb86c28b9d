"""The filter above the audit trail: a GET form, so a filtered page can be bookmarked."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.2 has it, types-WTForms not yet
from wtforms.validators import Length, Optional, ValidationError

from planner.audit.models import AuditAction, object_type_label
from planner.forms import Form


class TrailFilterForm(Form):
    class Meta:
        csrf = False  # a search: it changes nothing

    action = SelectField(_l("Action"), default="", validators=[Optional()])
    object_type = SelectField(_l("Kind of data"), default="", validate_choice=False, validators=[Optional()])
    actor = StringField(
        _l("Who"),
        description=_l("Part of an e-mail address, or “participant”."),
        validators=[Optional(), Length(max=254)],
    )
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("Up to and including"), validators=[Optional()])

    def __init__(self, *args, object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = AuditAction.choices(none=_l("All actions"))
        self.object_type.choices = [SelectChoice("", _l("All kinds"))] + [
            SelectChoice(kind, object_type_label(kind)) for kind in object_types
        ]

    def validate_until(self, field):
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_l("The end date must not be before the start date."))
