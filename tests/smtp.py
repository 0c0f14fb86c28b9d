"""A real SMTP server in the test process: the ``smtp_server`` fixture.

Loaded as a plugin from conftest.py. The server (aiosmtpd) listens on 127.0.0.1 on a free
port, parses every message it accepts with Python's ``email`` package, and can be told to
answer with an error (``server.answer("451 ...")``) or be stopped and started again. The
fixture points the app's MAIL_SERVER / MAIL_PORT at it for the duration of the test.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


HANG_UP = "hang up"


class RecordingHandler:
    """aiosmtpd handler: accepts, or refuses with the reply it was given, or hangs up."""

    def __init__(self, server: SMTPServer):
        self.server = server

    def _refusal(self, smtp, at: str) -> str | None:
        reply = self.server.replies.get(at)
        if reply == HANG_UP:
            self.server.replies.pop(at)  # once: the next connection is served again
            smtp.transport.abort()
            return "421 4.4.2 Connection dropped"  # never arrives
        return reply

    async def handle_EHLO(self, smtp, session, envelope, hostname, responses):
        with self.server._lock:
            self.server.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, smtp, session, envelope, address, rcpt_options):
        reply = self._refusal(smtp, f"RCPT {address}") or self._refusal(smtp, "RCPT")
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp, session, envelope):
        reply = self._refusal(smtp, "DATA")
        if reply:
            return reply
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content)
        self.server.record(message, envelope)
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self, host: str = "127.0.0.1", port: int | None = None):
        self.host = host
        self.port = port or free_port()
        self.replies: dict[str, str] = {}
        self.connections = 0  # greeted with EHLO
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None
        self._options: dict = {}

    # -- control --------------------------------------------------------------------------

    def start(self) -> SMTPServer:
        if self._controller is None:
            # A stopped controller's event loop is closed, so each start gets a new one.
            self._controller = Controller(RecordingHandler(self), hostname=self.host, port=self.port, **self._options)
            self._controller.start()
        return self

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def secure(self, certificate: Path, key: Path, *, implicit: bool = False, login: tuple[str, str] | None = None):
        """Restart with TLS: STARTTLS required (or TLS from the start), and optionally a login."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate, key)
        options: dict = {"ssl_context": context} if implicit else {"tls_context": context, "require_starttls": True}
        if login:
            options.update(authenticator=_authenticator(*login), auth_required=True)
        self.stop()
        self._options = options
        return self.start()

    @property
    def running(self) -> bool:
        return self._controller is not None

    def answer(self, reply: str | None, *, at: str = "RCPT") -> None:
        """Refuse from now on with ``reply`` (e.g. "451 4.3.0 Try later") at RCPT or DATA.

        ``HANG_UP`` drops the connection there instead, once. ``at="RCPT someone@example.org"``
        answers so for that recipient only.
        """
        if reply is None:
            self.replies.pop(at, None)
        else:
            self.replies[at] = reply

    def accept(self) -> None:
        self.replies.clear()

    # -- what arrived ---------------------------------------------------------------------

    def record(self, message: EmailMessage, envelope) -> None:
        with self._lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))

    def message_ids(self) -> list[str]:
        with self._lock:
            return [m["Message-ID"] for m in self.messages]

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.envelopes.clear()


def _authenticator(username: str, password: str):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            username.encode(),
            password.encode(),
        )
        return AuthResult(success=ok, handled=False)  # let the server answer 535

    return authenticate


@pytest.fixture(scope="session")
def smtp_certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: (certificate, key)."""
    folder = tmp_path_factory.mktemp("smtp-tls")
    certificate, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key


@pytest.fixture
def smtp_server(app):
    """A running SMTP server the app delivers to; stopped (and the config restored) afterwards."""
    server = SMTPServer().start()
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT", "MAIL_TIMEOUT")}
    app.config.update(MAIL_SERVER=server.host, MAIL_PORT=server.port, MAIL_TIMEOUT=5)
    try:
        yield server
    finally:
        server.stop()
        app.config.update(saved)
