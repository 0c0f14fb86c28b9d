"""Logins that end: at logout, with a new password, everywhere at once, and after a time.

A login's session holds the account id with its session version (``StaffUser.get_id``) and
the moment of login. On every request the user loader refuses a session whose version is no
longer the account's, or whose login is older than ``PERMANENT_SESSION_LIFETIME``: a copied
cookie stops working as soon as its owner logs out, changes their password or chooses "log
out everywhere", and after the lifetime whatever happens.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app, session
from flask_login import login_user, logout_user

from planner.auth.models import StaffUser
from planner.extensions import db
from planner.timekeeping import utcnow

LOGGED_IN_AT = "logged_in_at"


def start_session(user: StaffUser, now: datetime | None = None) -> None:
    """A fresh session for ``user``, in place of whatever this browser had."""
    now = now or utcnow()
    session.clear()
    login_user(user)
    session.permanent = True  # the cookie expires too, not only the server's check
    session[LOGGED_IN_AT] = int(now.timestamp())


def end_session() -> None:
    logout_user()
    session.clear()


def load_user(user_id: str) -> StaffUser | None:
    """Flask-Login's user loader: the account of a session that is still valid, or None."""
    account, _, version = user_id.partition(":")
    if not (account.isdigit() and version.isdigit() and len(user_id) <= 40):
        return None  # a malformed id, or one from before session versions
    logged_in_at = session.get(LOGGED_IN_AT)
    if not isinstance(logged_in_at, int):
        return None
    # Only the age counts: a login stamped a little ahead by another machine's clock is fine.
    if utcnow().timestamp() - logged_in_at > current_app.permanent_session_lifetime.total_seconds():
        return None
    user = db.session.get(StaffUser, int(account))
    if user is None or user.session_version != int(version):
        return None
    return user
