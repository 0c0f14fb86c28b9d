"""Staff accounts: create them, and check a login without helping a guesser."""

from __future__ import annotations

from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from werkzeug.security import check_password_hash

from planner.auth.errors import AuthError
from planner.auth.models import StaffUser
from planner.auth.throttling import LoginLimits, LoginSource, forget_failures, record_failure, refusal
from planner.extensions import db
from planner.timekeeping import utcnow

MIN_PASSWORD_LENGTH = 10
MAX_PHONE_LENGTH = 40
# Hashing a password for an unknown address too makes both answers take as long.
_DUMMY_HASH = "scrypt:32768:8:1$reeks$" + "0" * 128


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise AuthError("invalid_email") from error


def check_password_strength(password: str, *, form_field: str | None = None) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AuthError("password_too_short", form_field=form_field, minimum=MIN_PASSWORD_LENGTH)


def create_staff_user(
    email: str, name: str, password: str, *, is_admin: bool = False, organisation=None, phone: str = ""
) -> StaffUser:
    email = normalise_email(email)
    name, phone = _contact_details(name, phone)
    check_password_strength(password)
    if db.session.scalar(StaffUser.by_email(email)) is not None:
        raise AuthError("email_taken", email=email)
    user = StaffUser(email=email, name=name, phone=phone, is_admin=is_admin, organisation=organisation)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def update_staff_user(
    user: StaffUser,
    *,
    actor: StaffUser,
    name: str,
    email: str,
    is_admin: bool,
    active: bool,
    password: str = "",
    phone: str = "",
) -> None:
    """Change an account; nobody can take away their own admin rights or account.

    A new password, or blocking the account, ends every session it has.
    """
    email = normalise_email(email)
    name, phone = _contact_details(name, phone)
    other = db.session.scalar(StaffUser.by_email(email))
    if other is not None and other.id != user.id:
        raise AuthError("email_taken", email=email)
    if user.id == actor.id and not (is_admin and active):
        raise AuthError("own_admin_rights", form_field="is_admin")
    if password:
        change_password(user, password)
    elif user.active and not active:
        end_all_sessions(user)
    user.name, user.email, user.phone, user.is_admin, user.active = name, email, phone, is_admin, active
    db.session.flush()


def update_own_contact(user: StaffUser, *, name: str, phone: str) -> None:
    """The name and phone participants see in mails and letters, as the user gives them."""
    user.name, user.phone = _contact_details(name, phone)
    db.session.flush()


def _contact_details(name: str, phone: str) -> tuple[str, str]:
    name, phone = name.strip(), phone.strip()
    if not name:
        raise AuthError("name_required")
    if len(phone) > MAX_PHONE_LENGTH:
        raise AuthError("phone_too_long", maximum=MAX_PHONE_LENGTH)
    return name, phone


def change_password(user: StaffUser, password: str, *, form_field: str | None = None) -> None:
    """Set a new password; every session of the account ends (log in again where needed)."""
    check_password_strength(password, form_field=form_field)
    user.set_password(password)
    end_all_sessions(user)


def change_own_password(user: StaffUser, current: str, new: str, *, source: LoginSource, limits: LoginLimits) -> None:
    """A user's new password, given their current one: a wrong current password counts as a failed
    login (the caller commits that record, see ``service_call(commit_refusal=True)``)."""
    try:
        authenticate(user.email, current, source=source, limits=limits)
    except AuthError as error:
        if error.code != "bad_credentials":
            raise
        raise AuthError("wrong_current_password", form_field="current_password") from error
    change_password(user, new, form_field="new_password")


def end_all_sessions(user: StaffUser) -> None:
    """Log the account out on every device: sessions carry a version that no longer matches."""
    user.session_version = StaffUser.session_version + 1  # in SQL, so two at once both count
    db.session.flush()


def authenticate(
    email: str, password: str, *, source: LoginSource, limits: LoginLimits, now: datetime | None = None
) -> StaffUser:
    """The active user with this e-mail and password, or AuthError.

    Tries are counted in the database per client, account and known device (auth/throttling.py),
    so guessing is slowed down across any number of web processes; a refused try
    ("throttled", "throttled_account") says how many minutes to wait.
    """
    now = now or utcnow()
    email = email.strip().lower()
    refused = refusal(email, source, limits, now)
    if refused:
        code, minutes = refused
        raise AuthError(code, minutes=minutes)
    user = db.session.scalar(StaffUser.by_email(email))
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password)
        user = None
    if user is None or not user.check_password(password):
        record_failure(email, source, limits, now)
        raise AuthError("bad_credentials")
    forget_failures(email, source)
    return user
