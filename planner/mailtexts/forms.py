from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from planner.forms import Form
from planner.mail.texts import BODY_LIMIT, SUBJECT_LIMIT


class MailTextForm(Form):
    # Empty and unknown placeholders are the service's to refuse (planner/mail/texts.py).
    subject = StringField(
        _l("Subject"),
        validators=[Length(max=SUBJECT_LIMIT, message=_l("Keep it under %(max)d characters."))],
    )
    body = TextAreaField(
        _l("Text"),
        validators=[Length(max=BODY_LIMIT, message=_l("Keep it under %(max)d characters."))],
        description=_l("Leave an empty line between paragraphs. The signature and the footer are added below it."),
    )


class ResetForm(Form):
    """Only the CSRF token: the reset is a POST of its own."""
