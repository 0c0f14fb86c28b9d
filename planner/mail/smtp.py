"""Speak SMTP: build a message from an outbox row, send it, and say what kind of failure it was.

Knows nothing of the database: delivery.py claims rows and records outcomes.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime


@dataclass(frozen=True)
class Envelope:
    """What a worker needs to send one claimed message, detached from the session."""

    id: int
    message_id: str
    to_address: str
    to_name: str
    language: str
    subject: str
    body_text: str
    body_html: str
    created_at: datetime
    attempts: int  # including the current one
    claimed_until: datetime  # our claim token: outcomes are recorded only while it matches
    calendar_method: str = ""  # e.g. REQUEST or CANCEL (RFC 5546), with calendar_body
    calendar_body: str = ""
    reply_to: str = ""  # the organiser's address; calendar replies go to the invite's ORGANIZER


class TemporaryFailure(Exception):
    """Try this message again later."""


class PermanentFailure(Exception):
    """The server (or the address itself) refused this message: do not try again."""


class ConnectionProblem(TemporaryFailure):
    """The server cannot be reached or will not let us in: it affects the whole batch."""


def build_message(envelope: Envelope, sender: str) -> EmailMessage:
    """The message exactly as it goes out, the same on every attempt."""
    message = EmailMessage()
    try:
        recipient = Address(display_name=envelope.to_name, addr_spec=envelope.to_address)
    except (ValueError, IndexError, TypeError) as error:
        raise PermanentFailure(f"Invalid recipient address {envelope.to_address!r}: {error}") from error
    try:
        message["From"] = sender
        message["To"] = recipient
        if envelope.reply_to:
            message["Reply-To"] = envelope.reply_to
        message["Subject"] = envelope.subject
        message["Date"] = format_datetime(envelope.created_at)
        message["Message-ID"] = envelope.message_id
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(envelope.body_text)
        message.add_alternative(envelope.body_html, subtype="html")
        if envelope.calendar_method and envelope.calendar_body:
            # The iTIP part says its method in its MIME type too, as calendars expect (RFC 6047).
            params = {"method": envelope.calendar_method}
            message.add_alternative(envelope.calendar_body, subtype="calendar", params=params)
            # The same as a file too, for mail programs that do not read the part above.
            message.add_attachment(
                envelope.calendar_body.encode("utf-8"),
                maintype="text",
                subtype="calendar",
                filename="invite.ics" if envelope.calendar_method == "REQUEST" else "cancel.ics",
                params=params,
            )
        message["Content-Language"] = envelope.language  # after the body: set_content drops Content-*
    except (ValueError, IndexError, TypeError) as error:
        # e.g. a line break in a header: this message can never be sent as it is.
        raise PermanentFailure(f"Cannot build the message: {error}") from error
    return message


def _reply_text(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {text}".strip()


def _classify(code: int, reply: bytes | str) -> Exception:
    text = _reply_text(code, reply)
    return PermanentFailure(text) if 500 <= code < 600 else TemporaryFailure(text)


class SMTPSession:
    """One connection to the mail server, opened on first use and reused for a batch."""

    def __init__(self, config):
        self.config = config
        self.connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
        connection: smtplib.SMTP
        try:
            if config["MAIL_USE_SSL"]:
                connection = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
            else:
                connection = smtplib.SMTP(host, port, timeout=timeout)
            try:
                if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
                    connection.starttls(context=ssl.create_default_context())
                if config["MAIL_USERNAME"]:
                    connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            except BaseException:
                connection.close()
                raise
        except smtplib.SMTPResponseException as error:
            # Refused logins and greetings are about our settings, not about one message.
            raise ConnectionProblem(_reply_text(error.smtp_code, error.smtp_error)) from error
        except (smtplib.SMTPException, OSError) as error:
            raise ConnectionProblem(f"Cannot connect to {host}:{port}: {error!r}") from error
        return connection

    def send(self, message: EmailMessage) -> None:
        if self.connection is not None and self.connection.sock is None:
            self.connection = None  # smtplib hung up itself, e.g. after a 421 reply
        if self.connection is None:
            self.connection = self._connect()
        try:
            refused = self.connection.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise _classify(code, reply) from error
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            raise _classify(error.smtp_code, error.smtp_error) from error
        except smtplib.SMTPNotSupportedError as error:
            # e.g. a non-ASCII address and a server without SMTPUTF8: this address cannot go out.
            raise PermanentFailure(f"Cannot send to this address: {error}") from error
        except smtplib.SMTPResponseException as error:
            self.close()
            raise _classify(error.smtp_code, error.smtp_error) from error
        except (TimeoutError, smtplib.SMTPException, OSError) as error:
            # Disconnected, timed out, reset: the connection is gone; the next message reconnects.
            self.close()
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
        if refused:  # one recipient per message, so this is unusual; treat it as refused
            code, reply = next(iter(refused.values()))
            raise _classify(code, reply)

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()
