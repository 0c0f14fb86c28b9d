"""What the account rules refuse, and what each refusal means to a person."""

from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l, ngettext

from planner.errors import DomainError, ErrorCode


class AuthCode(ErrorCode):
    BAD_CREDENTIALS = "bad_credentials", _l("The e-mail address or password is not correct.")
    EMAIL_TAKEN = "email_taken", lambda p: _("There is already an account for %(email)s.", **p)
    INVALID_EMAIL = "invalid_email", _l("Enter a valid e-mail address, like name@example.org.")
    NAME_REQUIRED = "name_required", _l("Enter a name.")
    PHONE_TOO_LONG = "phone_too_long", lambda p: _("A phone number has at most %(maximum)s characters.", **p)
    OWN_ADMIN_RIGHTS = "own_admin_rights", _l("You cannot take away your own admin rights or account.")
    PASSWORD_TOO_SHORT = "password_too_short", lambda p: _("The password must be at least %(minimum)s characters.", **p)
    WRONG_CURRENT_PASSWORD = "wrong_current_password", _l("This is not your current password.")
    THROTTLED = (
        "throttled",
        lambda p: ngettext(
            "Too many failed attempts. Please try again in %(num)s minute.",
            "Too many failed attempts. Please try again in %(num)s minutes.",
            p["minutes"],
        ),
    )
    THROTTLED_ACCOUNT = (
        "throttled_account",
        lambda p: ngettext(
            "Too many failed attempts on this account from devices it does not know. Log in on a "
            "device you have logged in with before, or try again in %(num)s minute.",
            "Too many failed attempts on this account from devices it does not know. Log in on a "
            "device you have logged in with before, or try again in %(num)s minutes.",
            p["minutes"],
        ),
    )


class AuthError(DomainError):
    """A refusal by the account and login rules."""

    codes = AuthCode
