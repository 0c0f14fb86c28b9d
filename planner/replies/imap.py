"""The reply mailbox over IMAP (imapclient): list, fetch, move away, wait for news.

Messages are never deleted: each one is moved to a folder once it has been handled,
with MOVE where the server has it, else COPY, \\Deleted and EXPUNGE of that one message.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
import time
from dataclasses import dataclass

from imapclient import DELETED, IMAPClient

IDLE_CHECK_SECONDS = 1.0  # how often a waiting worker looks whether it was asked to stop
POLL_SECONDS = 60.0  # without IDLE: look again this often


class ReplySettingsError(Exception):
    pass


@dataclass(frozen=True)
class ImapSettings:
    host: str
    port: int
    use_ssl: bool
    starttls: bool
    ca_file: str
    user: str
    password: str
    folder: str
    done_folder: str
    refused_folder: str
    other_folder: str
    timeout: float

    @classmethod
    def from_config(cls, config) -> ImapSettings:
        missing = [name for name in ("REPLY_IMAP_HOST", "REPLY_IMAP_USER") if not config.get(name)]
        if missing:
            raise ReplySettingsError("Set " + " and ".join(missing) + " to read calendar replies.")
        starttls = bool(config.get("REPLY_IMAP_STARTTLS"))
        use_ssl = bool(config.get("REPLY_IMAP_SSL", True)) and not starttls
        return cls(
            host=config["REPLY_IMAP_HOST"],
            port=int(config.get("REPLY_IMAP_PORT") or (993 if use_ssl else 143)),
            use_ssl=use_ssl,
            starttls=starttls,
            ca_file=config.get("REPLY_IMAP_CA_FILE", ""),
            user=config["REPLY_IMAP_USER"],
            password=config.get("REPLY_IMAP_PASSWORD", ""),
            folder=config.get("REPLY_IMAP_FOLDER") or "INBOX",
            done_folder=config["REPLY_IMAP_DONE_FOLDER"],
            refused_folder=config["REPLY_IMAP_REFUSED_FOLDER"],
            other_folder=config["REPLY_IMAP_OTHER_FOLDER"],
            timeout=float(config.get("REPLY_IMAP_TIMEOUT", 60)),
        )

    @property
    def address(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"


class Mailbox:
    """One logged-in connection with the reply folder selected; use it in a ``with``."""

    def __init__(self, client: IMAPClient, settings: ImapSettings):
        self.client = client
        self.settings = settings
        self.can_move = client.has_capability("MOVE")
        self.can_expunge_one = client.has_capability("UIDPLUS")
        self.can_idle = client.has_capability("IDLE")

    @classmethod
    def open(cls, settings: ImapSettings) -> Mailbox:
        # Certificates are checked against the system's authorities (or REPLY_IMAP_CA_FILE).
        context = ssl.create_default_context(cafile=settings.ca_file or None)
        client = IMAPClient(
            settings.host, port=settings.port, ssl=settings.use_ssl, ssl_context=context, timeout=settings.timeout
        )
        try:
            if settings.starttls:
                client.starttls(context)
            client.login(settings.user, settings.password)
            for folder in (settings.done_folder, settings.refused_folder, settings.other_folder):
                if not client.folder_exists(folder):
                    client.create_folder(folder)
            client.select_folder(settings.folder)
        except BaseException:
            _close(client)
            raise
        return cls(client, settings)

    def __enter__(self) -> Mailbox:
        return self

    def __exit__(self, *exc_info) -> None:
        _close(self.client)

    def message_uids(self) -> list[int]:
        return sorted(self.client.search(["NOT", "DELETED"]))

    def fetch(self, uid: int) -> bytes | None:
        """The whole message as it arrived, without marking it read; None when it is gone."""
        found = self.client.fetch([uid], ["BODY.PEEK[]"])
        return found.get(uid, {}).get(b"BODY[]")

    def move(self, uid: int, folder: str) -> None:
        if self.can_move:
            self.client.move([uid], folder)
            return
        self.client.copy([uid], folder)
        self.client.add_flags([uid], [DELETED])
        # Without UIDPLUS, EXPUNGE takes every \Deleted message of the folder, as any mail program would.
        self.client.expunge([uid] if self.can_expunge_one else None)

    def wait(self, stop: threading.Event, seconds: float) -> None:
        """Until a new message arrives (IMAP IDLE), ``seconds`` pass, or ``stop`` is set."""
        if not self.can_idle:
            stop.wait(min(seconds, POLL_SECONDS))
            self.client.noop()
            return
        deadline = time.monotonic() + seconds
        self.client.idle()
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                responses = self.client.idle_check(timeout=min(IDLE_CHECK_SECONDS, seconds))
                if any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses):
                    return
        finally:
            self.client.idle_done()


def _close(client: IMAPClient) -> None:
    try:
        client.logout()
    except Exception:  # the connection is gone already; nothing to hand back
        with contextlib.suppress(Exception):
            client.shutdown()
