"""What the account rules refuse, and what each refusal means to a person."""

from __future__ import annotations

from enum import auto

from flask_babel import lazy_gettext as _l, ngettext

from planner.errors import DomainError, ErrorCode


class AuthCode(ErrorCode):
    BAD_CREDENTIALS = auto(), _l("The e-mail address or password is not correct.")
    EMAIL_TAKEN = auto(), _l("There is already an account for %(email)s.")
    INVALID_EMAIL = auto(), _l("Enter a valid e-mail address, like name@example.org.")
    NAME_REQUIRED = auto(), _l("Enter a name.")
    PHONE_TOO_LONG = auto(), _l("A phone number has at most %(maximum)s characters.")
    OWN_ADMIN_RIGHTS = auto(), _l("You cannot take away your own admin rights or account.")
    PASSWORD_TOO_SHORT = auto(), _l("The password must be at least %(minimum)s characters.")
    WRONG_CURRENT_PASSWORD = auto(), _l("This is not your current password.")
    THROTTLED = (
        auto(),
        lambda p: ngettext(
            "Too many failed attempts. Please try again in %(num)s minute.",
            "Too many failed attempts. Please try again in %(num)s minutes.",
            p["minutes"],
        ),
    )
    THROTTLED_ACCOUNT = (
        auto(),
        lambda p: ngettext(
            "Too many failed attempts on this account from devices it does not know. Log in on a "
            "device you have logged in with before, or try again in %(num)s minute.",
            "Too many failed attempts on this account from devices it does not know. Log in on a "
            "device you have logged in with before, or try again in %(num)s minutes.",
            p["minutes"],
        ),
    )


class AuthError(DomainError, codes=AuthCode):
    """A refusal by the account and login rules."""
