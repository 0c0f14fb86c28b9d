"""Speak SMTP: build a message from an outbox row, send it, and say what kind of failure it was.

Knows nothing of the database: delivery.py claims rows and records outcomes.

A message is built and flattened to its wire form once (``outgoing``) and sent with the SMTP
commands themselves (MAIL, RCPT, DATA), so the session knows how far a message got when the
connection drops: before the end of its data the server cannot have taken it, and the same
bytes can go again over a new connection (``NotHandedOver``); after that it may have arrived.
"""

from __future__ import annotations

import re
import secrets
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email._policybase import Policy
from email.charset import QP, Charset
from email.generator import BytesGenerator
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import SMTPUTF8
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache
from io import BytesIO
from typing import Any, cast


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


class NotHandedOver(TemporaryFailure):
    """The connection dropped before the message's data was complete: the server cannot have
    accepted it, so it may go again at once over a new connection."""


# The message is built with the email.mime classes (policy compat32): the same message as
# EmailMessage builds, for a sixth of the CPU (EmailMessage parses every header it is given).
_ENCODED = Charset("utf-8")
_ENCODED.body_encoding = QP
_LONGEST_LINE = 998  # RFC 5321: longer lines must be encoded


def _text_part(body: str, subtype: str, **params: str) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype, charset="utf-8")
    for key, value in params.items():
        part.set_param(key, value)
    if body.isascii() and all(len(line) <= _LONGEST_LINE for line in body.splitlines()):
        part.set_payload(body)
        part["Content-Transfer-Encoding"] = "7bit"
    else:
        part.set_payload(body, _ENCODED)
    return part


def _header(text: str) -> str | Header:
    if "\r" in text or "\n" in text:
        raise PermanentFailure(f"Cannot build the message: a line break in a header ({text!r})")
    return text if text.isascii() else Header(text, "utf-8")


# A plain dot-atom address (RFC 5322 3.4.1), which the email package always accepts; others
# (quoted local parts, literals, mistakes) are left to its parser.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_PLAIN_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_ATOM}(?:\.{_ATOM})*")


def _check_address(address: str) -> None:
    if _PLAIN_ADDRESS.fullmatch(address):
        return
    try:
        Address(addr_spec=address)
    except (ValueError, IndexError, TypeError) as error:
        raise PermanentFailure(f"Invalid recipient address {address!r}: {error}") from error


def _boundary() -> str:
    """A random boundary: 128 bits no text can contain by chance (the email package would
    otherwise search every part for its own, with a new regular expression each time)."""
    return "=_" + secrets.token_hex(16)


@lru_cache(maxsize=8)
def _from_header(sender: str) -> str:
    name, address = parseaddr(sender)
    if not address:
        raise PermanentFailure(f"Cannot build the message: no address in the sender {sender!r}")
    return formataddr((name, address), charset="utf-8")


def build_message(envelope: Envelope, sender: str) -> Message:
    """The message exactly as it goes out, the same on every attempt."""
    if not (envelope.to_address + sender).isascii():
        return _international_message(envelope, sender)
    _check_address(envelope.to_address)
    headers: dict[str, str | Header] = {
        "From": _from_header(sender),
        "To": formataddr((str(_header(envelope.to_name)), envelope.to_address), charset="utf-8"),
        "Reply-To": _header(envelope.reply_to),
        "Subject": _header(envelope.subject),
        "Date": format_datetime(envelope.created_at),
        "Message-ID": _header(envelope.message_id),
        "Auto-Submitted": "auto-generated",
        "Content-Language": _header(envelope.language),
    }
    parts = [_text_part(envelope.body_text, "plain"), _text_part(envelope.body_html, "html")]
    message: Message = MIMEMultipart("alternative", boundary=_boundary(), _subparts=parts)
    if envelope.calendar_method and envelope.calendar_body:
        # The iTIP part says its method in its MIME type too, as calendars expect (RFC 6047).
        message.attach(_text_part(envelope.calendar_body, "calendar", method=envelope.calendar_method))
        # The same as a file too, for mail programs that do not read the part above.
        attachment = MIMEApplication(envelope.calendar_body.encode("utf-8"), "calendar")
        attachment.replace_header("Content-Type", "text/calendar")
        attachment.set_param("method", envelope.calendar_method)
        filename = "invite.ics" if envelope.calendar_method == "REQUEST" else "cancel.ics"
        attachment.add_header("Content-Disposition", "attachment", filename=filename)
        message = MIMEMultipart("mixed", boundary=_boundary(), _subparts=[message, attachment])
    with_headers = cast("Message[str, str | Header]", message)  # Header values are fine at run time
    for name, value in headers.items():
        if value:
            with_headers[name] = value
    return message


def _international_message(envelope: Envelope, sender: str) -> EmailMessage:
    """A message to or from a non-ASCII address, which only servers with SMTPUTF8 take."""
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


@dataclass(frozen=True)
class Outgoing:
    """A message as it goes over the wire, built once and sent as often as needed."""

    sender: str  # MAIL FROM
    recipient: str  # RCPT TO
    data: bytes  # what follows DATA: CRLF line ends, leading dots doubled, ending in CRLF "." CRLF
    international: bool  # a non-ASCII address: needs a server that speaks SMTPUTF8
    size: int


_LEADING_DOT = re.compile(rb"(?m)^\.")


def outgoing(message: Message, sender: str, recipient: str) -> Outgoing:
    """Flatten ``message`` once for the envelope ``sender`` (an address) and ``recipient``,
    in the form smtplib's ``send_message`` would send it."""
    international = not (sender + recipient).isascii()
    with BytesIO() as buffer:
        policy: Policy[Any] = SMTPUTF8 if international else message.policy
        BytesGenerator(buffer, policy=policy).flatten(message, linesep="\r\n")
        flat = buffer.getvalue()
    data = _LEADING_DOT.sub(b"..", flat)
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return Outgoing(sender, recipient, data + b".\r\n", international, len(flat))


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
                connection.ehlo_or_helo_if_needed()
            except BaseException:
                connection.close()
                raise
        except smtplib.SMTPResponseException as error:
            # Refused logins and greetings are about our settings, not about one message.
            raise ConnectionProblem(_reply_text(error.smtp_code, error.smtp_error)) from error
        except (smtplib.SMTPException, OSError) as error:
            raise ConnectionProblem(f"Cannot connect to {host}:{port}: {error!r}") from error
        return connection

    def send(self, message: Outgoing) -> None:
        """Hand ``message`` to the server, or raise what kind of failure it was."""
        if self.connection is not None and self.connection.sock is None:
            self.connection = None  # smtplib hung up itself, e.g. after a 421 reply
        if self.connection is None:
            self.connection = self._connect()
        connection = self.connection
        options = [f"SIZE={message.size}"] if connection.has_extn("size") else []
        if message.international:
            if not connection.has_extn("smtputf8"):
                raise PermanentFailure(
                    "Cannot send to this address: the mail server does not accept non-ASCII addresses."
                )
            options += ["SMTPUTF8", "BODY=8BITMIME"]
        try:
            code, reply = connection.mail(message.sender, options)
            if code == 250:
                code, reply = connection.rcpt(message.recipient)
            if code in (250, 251):
                connection.putcmd("data")
                code, reply = connection.getreply()
            if code == 354:
                connection.send(message.data)
        except (smtplib.SMTPException, OSError) as error:
            # Dropped, reset or timed out before the data was complete: the server has nothing.
            self.close()
            raise NotHandedOver(f"{type(error).__name__}: {error}") from error
        if code != 354:
            self._give_up_transaction(code)
            raise _classify(code, reply)
        try:
            code, reply = connection.getreply()
        except (smtplib.SMTPException, OSError) as error:
            # Gone while the server had the whole message: it may have arrived. Retried later,
            # with the same Message-ID.
            self.close()
            raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
        if code != 250:
            self._give_up_transaction(code)
            raise _classify(code, reply)

    def _give_up_transaction(self, code: int) -> None:
        """After a refusal: a 421 closes the connection, anything else resets the transaction."""
        if code == 421 or self.connection is None:
            self.close()
            return
        try:
            self.connection.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    def close(self) -> None:
        connection, self.connection = self.connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()
