"""Settings from the environment, with safe defaults for development."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(instance_path: str) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "reeks.sqlite3")
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _planning_timezone() -> str:
    name = os.environ.get("PLANNING_TIMEZONE", "Europe/Amsterdam").strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuntimeError(f"PLANNING_TIMEZONE {name!r} is not a known time zone (e.g. Europe/Amsterdam).")
    return name


def load_config(instance_path: str, debug: bool) -> dict:
    """Everything the app reads from the environment, in one place."""
    planning_timezone = _planning_timezone()
    secret_key = os.environ.get("SECRET_KEY")
    if not secret_key and debug:
        secret_key = "development-only-not-secret"
    production = not debug
    return {
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "BABEL_DEFAULT_LOCALE": "nl",
        # Series are planned in one zone; pages show times in it, new series and sessions get it.
        "PLANNING_TIMEZONE": planning_timezone,
        "BABEL_DEFAULT_TIMEZONE": planning_timezone,
        "LANGUAGES": ("nl", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "PREFERRED_URL_SCHEME": "http" if debug else "https",
        "WTF_CSRF_TIME_LIMIT": None,
        # The people import carries a signed copy of an uploaded list (up to 2 MB) between steps.
        "MAX_FORM_MEMORY_SIZE": 8 * 1024 * 1024,
        # Failed logins per e-mail address within the window before we refuse more tries.
        "LOGIN_MAX_FAILURES": int(os.environ.get("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_FAILURE_WINDOW_MINUTES": int(os.environ.get("LOGIN_FAILURE_WINDOW_MINUTES", "15")),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "Reeks <reeks@localhost>"),
        "MAIL_MESSAGE_ID_DOMAIN": os.environ.get("MAIL_MESSAGE_ID_DOMAIN", "reeks.local"),
        # Delivery: seconds per SMTP operation, messages per claim, how long a claim holds,
        # and how many attempts before a message is given up.
        "MAIL_TIMEOUT": float(os.environ.get("MAIL_TIMEOUT", "30")),
        "MAIL_BATCH_SIZE": int(os.environ.get("MAIL_BATCH_SIZE", "50")),
        "MAIL_LEASE_SECONDS": int(os.environ.get("MAIL_LEASE_SECONDS", "600")),
        "MAIL_MAX_ATTEMPTS": int(os.environ.get("MAIL_MAX_ATTEMPTS", "10")),
        # A personal link stops working this many days after the last session of its series.
        "INVITATION_LINK_DAYS_AFTER_SERIES": int(os.environ.get("INVITATION_LINK_DAYS_AFTER_SERIES", "60")),
        # Evaluations: a reminder this many days after the first mail (0: none); links and the
        # screen's short link stop working this many days after the session ended.
        "EVALUATION_REMINDER_DAYS": int(os.environ.get("EVALUATION_REMINDER_DAYS", "3")),
        "EVALUATION_LINK_DAYS": int(os.environ.get("EVALUATION_LINK_DAYS", "30")),
        # The screen's short link closes this many hours after its session ends.
        "EVALUATION_SCREEN_HOURS": int(os.environ.get("EVALUATION_SCREEN_HOURS", "24")),
        # Links in mails point here; participants open them outside the app.
        "BASE_URL": os.environ.get("BASE_URL", "http://127.0.0.1:5000"),
        # Where people send questions about their data and about accessibility (shown in the statements).
        "PRIVACY_CONTACT": os.environ.get("PRIVACY_CONTACT", ""),
    }
