"""The debug mailbox's one form: send what the cron commands would send, now or as if later."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField
from wtforms.validators import Optional, StopValidation

from planner.forms import Form, plausible_date_message
from planner.timekeeping import is_plausible_date


def _plausible(_form, field) -> None:
    if field.data is not None and not is_plausible_date(field.data):
        raise StopValidation(plausible_date_message())


class DebugSendForm(Form):
    moment = DateTimeLocalField(
        _l("As if it were (leave empty for now)"),
        description=_l("Amsterdam time. Reminders go some days before a session, evaluation mails after it."),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional(), _plausible],
    )
