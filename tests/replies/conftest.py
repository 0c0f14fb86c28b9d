"""A real IMAP server for the calendar reply tests: Debian's Dovecot, started here.

Dovecot runs in the foreground from a throw-away configuration in a temporary directory
(its own base_dir, maildirs, a passwd-file of users, plain-text login on 127.0.0.1, no
TLS), on a free port; nothing of the system's own configuration is used. Each test gets
a mailbox of its own (a new user), and the app's REPLY_* settings point at it.

Without /usr/sbin/dovecot the tests that need it are deselected, with a line in the
terminal summary, unless the CI environment variable is set: then they fail.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from imapclient import IMAPClient

from tests.smtp import free_port

HERE = Path(__file__).resolve().parent
DOVECOT = Path("/usr/sbin/dovecot")
MISSING = f"Dovecot not found at {DOVECOT}: install it with apt-get install dovecot-imapd"
NOT_RUN = f"IMAP tests were NOT run: {DOVECOT} not found (apt-get install dovecot-imapd)"
PASSWORD = "antwoord-geheim"
MAILBOX_DOMAIN = "reeks.example.org"
USERS = 200

_deselected = pytest.StashKey[int]()


def dovecot_available() -> bool:
    return DOVECOT.is_file() and os.access(DOVECOT, os.X_OK)


def _needs_dovecot(item: pytest.Item) -> bool:
    return item.get_closest_marker("imap") is not None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "imap: needs a Dovecot IMAP server (tests/replies/conftest.py)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "reply_mailbox" in getattr(item, "fixturenames", ()) and item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.imap)
    if dovecot_available() or os.environ.get("CI"):
        return
    deselected = [item for item in items if _needs_dovecot(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not _needs_dovecot(item)]
        config.stash[_deselected] = len(deselected)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    if _needs_dovecot(item) and not dovecot_available():
        pytest.fail(MISSING, pytrace=False)


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    count = config.stash.get(_deselected, 0)
    if count:
        terminalreporter.write_sep("=", "IMAP tests", yellow=True, bold=True)
        terminalreporter.write_line(f"{NOT_RUN}; {count} deselected.", yellow=True, bold=True)


class Dovecot:
    """A Dovecot serving IMAP on 127.0.0.1:port, with a mailbox for each test."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="reeks-dovecot-"))
        self.port = free_port()
        self.users_file = self.root / "users"
        self.log = self.root / "dovecot.log"
        self._numbers = itertools.count(1)
        self.process: subprocess.Popen | None = None

    def _config(self) -> str:
        if os.geteuid() == 0:
            # As root, Dovecot wants unprivileged users for its logins and for the mail itself.
            mail_user, login_user, internal_user, chroot = "nobody", "dovenull", "dovecot", "login"
        else:
            mail_user = login_user = internal_user = pwd.getpwuid(os.geteuid()).pw_name
            chroot = ""
        entry = pwd.getpwnam(mail_user)
        for name in ("mail", "home"):
            (self.root / name).mkdir()
            os.chown(self.root / name, entry.pw_uid, entry.pw_gid)
        os.chmod(self.root, 0o755)
        return f"""
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.log}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{self.root}/mail/%u
default_internal_user = {internal_user}
default_login_user = {login_user}
first_valid_uid = {min(entry.pw_uid, 500)}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.users_file}
}}
userdb {{
  driver = static
  args = uid={entry.pw_uid} gid={entry.pw_gid} home={self.root}/home/%u
}}
service imap-login {{
  chroot = {chroot}
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""

    def start(self) -> Dovecot:
        config = self.root / "dovecot.conf"
        config.write_text(self._config())
        # Every user is there from the start: Dovecot may not see a line added in the same second.
        self.users_file.write_text("".join(f"antwoord{n}:{{PLAIN}}{PASSWORD}\n" for n in range(1, USERS + 1)))
        self.process = subprocess.Popen(
            [str(DOVECOT), "-F", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.process.stdout.read().decode(errors="replace")
                raise RuntimeError(f"Dovecot stopped: {output}\n{self._log_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Dovecot did not listen on port {self.port}\n{self._log_text()}")

    def _log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stdout:
            self.process.stdout.close()
        shutil.rmtree(self.root, ignore_errors=True)

    def new_user(self) -> str:
        number = next(self._numbers)
        assert number <= USERS, "more IMAP tests than test users: raise USERS"
        return f"antwoord{number}"


class ReplyMailbox:
    """One user's mailbox on the test Dovecot, seen from outside the app."""

    def __init__(self, server: Dovecot, user: str, config: dict):
        self.server, self.user, self.config = server, user, config
        self.address = f"{user}@{MAILBOX_DOMAIN}"

    def connect(self) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.server.port, ssl=False, timeout=10)
        client.login(self.user, PASSWORD)
        return client

    def deliver(self, *messages: bytes, folder: str = "INBOX") -> None:
        """Put messages in the mailbox as a mail server would: IMAP APPEND."""
        with self.connect() as client:
            for message in messages:
                client.append(folder, message)

    def count(self, folder: str = "INBOX") -> int:
        with self.connect() as client:
            if not client.folder_exists(folder):
                return 0
            return client.folder_status(folder, [b"MESSAGES"])[b"MESSAGES"]

    def subjects(self, folder: str) -> list[str]:
        with self.connect() as client:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            field = "HEADER.FIELDS (SUBJECT)"
            found = client.fetch(client.search("ALL"), [f"BODY.PEEK[{field}]"]).values()
            headers = [data[f"BODY[{field}]".encode()].decode() for data in found]
            return sorted(header.partition(":")[2].strip() for header in headers)


@pytest.fixture(scope="session")
def dovecot():
    if not dovecot_available():
        yield None  # deselected, or failed in pytest_runtest_call on CI
        return
    server = Dovecot().start()
    yield server
    server.stop()


@pytest.fixture
def reply_mailbox(app, dovecot, monkeypatch):
    """A fresh IMAP mailbox, and the app set up to name it in invites and to read it."""
    if dovecot is None:
        return None  # on CI without Dovecot: pytest_runtest_call fails the test
    user = dovecot.new_user()
    config = {
        "REPLY_MAILBOX_ADDRESS": f"{user}@{MAILBOX_DOMAIN}",
        "REPLY_IMAP_HOST": "127.0.0.1",
        "REPLY_IMAP_PORT": dovecot.port,
        "REPLY_IMAP_SSL": False,
        "REPLY_IMAP_STARTTLS": False,
        "REPLY_IMAP_USER": user,
        "REPLY_IMAP_PASSWORD": PASSWORD,
        "REPLY_IMAP_TIMEOUT": 10.0,
    }
    for name, value in config.items():
        monkeypatch.setitem(app.config, name, value)
    return ReplyMailbox(dovecot, user, app.config)
