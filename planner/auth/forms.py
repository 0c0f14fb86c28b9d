from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.2 has it, types-WTForms not yet
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from planner.auth.services import MAX_PHONE_LENGTH, MIN_PASSWORD_LENGTH
from planner.forms import Form


class LoginForm(Form):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(_l("Enter your e-mail address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])


class LanguageForm(Form):
    lang = SelectField(_l("Language"), choices=[SelectChoice("nl", "Nederlands"), SelectChoice("en", "English")])


class StaffUserForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=120)])
    email = EmailField(
        _l("E-mail address"),
        validators=[
            DataRequired(_l("Enter an e-mail address.")),
            Email(_l("Enter a valid e-mail address, like name@example.org.")),
            Length(max=254),
        ],
    )
    phone = StringField(
        _l("Phone (optional)"),
        description=_l("Shown to participants in mails and letters, so they can reach the organiser."),
        validators=[Optional(), Length(max=MAX_PHONE_LENGTH)],
    )
    password = PasswordField(
        _l("Password"),
        description=_l("At least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
    )
    is_admin = BooleanField(_l("Administrator (manages accounts and learning studios)"))
    active = BooleanField(_l("Account active"), default=True)


class ContactForm(Form):
    """How participants see and reach you: your name and phone in mails and letters."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter a name.")), Length(max=120)])
    phone = StringField(
        _l("Phone (optional)"),
        description=_l("Shown to participants in mails and letters, so they can reach the organiser."),
        validators=[Optional(), Length(max=MAX_PHONE_LENGTH)],
    )


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("New password"),
        description=_l("At least %(n)s characters.", n=MIN_PASSWORD_LENGTH),
        validators=[
            DataRequired(_l("Enter a new password.")),
            Length(min=MIN_PASSWORD_LENGTH, max=200, message=_l("Choose a password of %(min)d to %(max)d characters.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(_l("Enter the new password once more.")),
            EqualTo("new_password", _l("The two new passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
