"""The known-device cookie: this browser logged in to this account before.

One cookie per account, signed with the app's secret, holding the address and a random device
token; its name is a keyed hash of the address, so the name alone tells nobody whose it is.
Login throttling (auth/throttling.py) counts a known device's failed tries against that device
only, so strangers cannot lock its owner out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response as BaseResponse

from planner.auth.throttling import LoginSource, client_key

COOKIE_PREFIX = "known_device_"
_SALT = "reeks.known-device"


def _secret() -> bytes:
    secret = current_app.secret_key
    if secret is None:  # create_app refuses to start without one
        raise RuntimeError("SECRET_KEY is not set")
    return secret.encode() if isinstance(secret, str) else secret


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_secret(), salt=_SALT)


def _cookie_name(email: str) -> str:
    secret = _secret()
    return COOKIE_PREFIX + hmac.new(secret, email.encode(), hashlib.sha256).hexdigest()[:20]


def _lifetime() -> timedelta:
    return timedelta(days=current_app.config["LOGIN_KNOWN_DEVICE_DAYS"])


def known_device(email: str) -> str | None:
    """The device token of this browser for the account with ``email``, if it has a valid one."""
    email = email.strip().lower()
    value = request.cookies.get(_cookie_name(email))
    if not value:
        return None
    try:
        payload = _serializer().loads(value, max_age=int(_lifetime().total_seconds()))
    except BadSignature:  # also when expired
        return None
    if not isinstance(payload, dict) or payload.get("email") != email:
        return None
    device = payload.get("device")
    return device if isinstance(device, str) and 0 < len(device) <= 64 else None


def login_source(email: str) -> LoginSource:
    """Where a login try for ``email`` comes from, for throttling."""
    return LoginSource(client=client_key(request.remote_addr), device=known_device(email))


def remember_device(response: BaseResponse, email: str, device: str | None = None) -> None:
    """Mark this browser as known to the account (again), for LOGIN_KNOWN_DEVICE_DAYS."""
    email = email.strip().lower()
    payload = {"email": email, "device": device or secrets.token_urlsafe(24)}
    config = current_app.config
    response.set_cookie(
        _cookie_name(email),
        _serializer().dumps(payload),
        max_age=int(_lifetime().total_seconds()),
        secure=config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
