"""Settings from the environment, with safe defaults for development."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

SECRET_KEY_FILE = "secret_key"


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
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _planning_timezone() -> str:
    name = os.environ.get("PLANNING_TIMEZONE", "Europe/Amsterdam").strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuntimeError(f"PLANNING_TIMEZONE {name!r} is not a known time zone (e.g. Europe/Amsterdam).") from None
    return name


def instance_secret_key(instance_path: str) -> str:
    """This instance's own random key, made on first use and kept in the instance folder.

    For debug mode only, where no SECRET_KEY is set: a key in the code would let anyone sign a
    session. The file is written in full under another name and then linked into place, which
    fails if it already exists, so processes starting at the same moment all read one key.
    """
    folder = Path(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_KEY_FILE
    if not path.exists():
        draft = folder / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w") as file:
                file.write(secrets.token_hex(32))
            os.link(draft, path)
        except FileExistsError:
            pass  # another process was first: use its key
        finally:
            draft.unlink()
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} holds no usable key: remove it and start again.")
    return key


def load_config(instance_path: str, debug: bool) -> dict:
    """Everything the app reads from the environment, in one place."""
    planning_timezone = _planning_timezone()
    database_url = _database_url(instance_path)
    production = not debug
    return {
        # Without it, debug mode makes a key of its own (instance_secret_key); production refuses to start.
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # A server may drop idle connections, so each one is tried before use; a SQLite file cannot.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": not database_url.startswith("sqlite")},
        "BABEL_DEFAULT_LOCALE": "nl",
        # Series are planned in one zone; pages show times in it, new series and sessions get it.
        "PLANNING_TIMEZONE": planning_timezone,
        "BABEL_DEFAULT_TIMEZONE": planning_timezone,
        "LANGUAGES": ("nl", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        # A login lasts this long at most, however busy the session (checked in auth/sessions.py).
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=float(os.environ.get("SESSION_LIFETIME_HOURS", "12"))),
        # There is no "remember me"; should one come, its cookie lasts no longer than a login.
        "REMEMBER_COOKIE_DURATION": timedelta(hours=float(os.environ.get("SESSION_LIFETIME_HOURS", "12"))),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "PREFERRED_URL_SCHEME": "http" if debug else "https",
        "WTF_CSRF_TIME_LIMIT": None,
        # The people import takes files of up to 2 MB and carries a signed copy of the list (at most
        # 3 MB, MAX_PAYLOAD_CHARS) between steps; anything larger is refused with a 413 page.
        "MAX_CONTENT_LENGTH": 4 * 1024 * 1024,
        "MAX_FORM_MEMORY_SIZE": 4 * 1024 * 1024,
        # Failed logins within the window before more tries are refused: per account from one
        # client address (or one known device), per client address over all accounts, and per
        # account from devices that never logged in to it. Known devices are remembered for days.
        "LOGIN_MAX_FAILURES": int(os.environ.get("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_MAX_FAILURES_PER_CLIENT": int(os.environ.get("LOGIN_MAX_FAILURES_PER_CLIENT", "20")),
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": int(os.environ.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", "20")),
        "LOGIN_FAILURE_WINDOW_MINUTES": int(os.environ.get("LOGIN_FAILURE_WINDOW_MINUTES", "15")),
        "LOGIN_KNOWN_DEVICE_DAYS": int(os.environ.get("LOGIN_KNOWN_DEVICE_DAYS", "90")),
        # Names typed on one session's door check-in link from one client address within the
        # window before further tries from there wait (a venue's Wi-Fi is one address for all).
        "CHECK_IN_MAX_TRIES_PER_CLIENT": int(os.environ.get("CHECK_IN_MAX_TRIES_PER_CLIENT", "30")),
        "CHECK_IN_TRY_WINDOW_MINUTES": int(os.environ.get("CHECK_IN_TRY_WINDOW_MINUTES", "15")),
        # Reverse proxies in front of the app whose X-Forwarded-For / -Proto headers we believe.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
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
        # A worker that cannot reach the server waits longer each round, up to this many seconds.
        "MAIL_SERVER_RETRY_MAX_SECONDS": float(os.environ.get("MAIL_SERVER_RETRY_MAX_SECONDS", "30")),
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
        # Calendar replies (planner/replies): the mailbox invites name as their organiser, and
        # how `flask mail replies` reads it over IMAP. Without an address, nothing changes.
        "REPLY_MAILBOX_ADDRESS": os.environ.get("REPLY_MAILBOX_ADDRESS", ""),
        "REPLY_IMAP_HOST": os.environ.get("REPLY_IMAP_HOST", ""),
        "REPLY_IMAP_PORT": int(os.environ["REPLY_IMAP_PORT"]) if os.environ.get("REPLY_IMAP_PORT") else None,
        "REPLY_IMAP_SSL": _bool("REPLY_IMAP_SSL", True),
        "REPLY_IMAP_STARTTLS": _bool("REPLY_IMAP_STARTTLS", False),
        "REPLY_IMAP_CA_FILE": os.environ.get("REPLY_IMAP_CA_FILE", ""),
        "REPLY_IMAP_USER": os.environ.get("REPLY_IMAP_USER", ""),
        "REPLY_IMAP_PASSWORD": os.environ.get("REPLY_IMAP_PASSWORD", ""),
        "REPLY_IMAP_FOLDER": os.environ.get("REPLY_IMAP_FOLDER", "INBOX"),
        "REPLY_IMAP_DONE_FOLDER": os.environ.get("REPLY_IMAP_DONE_FOLDER", "Reeks-verwerkt"),
        "REPLY_IMAP_REFUSED_FOLDER": os.environ.get("REPLY_IMAP_REFUSED_FOLDER", "Reeks-geweigerd"),
        "REPLY_IMAP_OTHER_FOLDER": os.environ.get("REPLY_IMAP_OTHER_FOLDER", "Reeks-overig"),
        "REPLY_IMAP_TIMEOUT": float(os.environ.get("REPLY_IMAP_TIMEOUT", "60")),
        # Where people send questions about their data and about accessibility (shown in the statements).
        "PRIVACY_CONTACT": os.environ.get("PRIVACY_CONTACT", ""),
    }
