"""What a message in the reply mailbox says, read with the standard ``email`` package and icalendar.

Pure: bytes in, plain data out; no database, no Flask. It never raises for a bad message:
anything it cannot read becomes a ``ParsedMessage`` of kind ``broken`` with the reason.

Real clients differ (see tests/replies_corpus/): Outlook and Exchange leave ORGANIZER out,
prefix SUMMARY with "Accepted:" in the user's language and name Windows time zones;
Google sends the reply twice (``text/calendar; method=REPLY`` and an ``application/ics``
attachment); Thunderbird adds an ``invite.ics`` attachment too; Apple names the attendee in
an EMAIL parameter. So a reply is recognised by METHOD, UID, ATTENDEE, PARTSTAT, SEQUENCE
and DTSTAMP only, never by its subject or summary.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email import policy
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import TypedDict
from zoneinfo import ZoneInfo

from icalendar import Calendar

# Methods that answer an invite; the others (REQUEST, CANCEL, PUBLISH, ...) are not replies.
REPLY, COUNTER = "REPLY", "COUNTER"
# Headers that may carry the address the message was sent to: the visible ones and the ones
# mail servers add on delivery (a plus-address often survives only in those).
RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "Resent-To")
CALENDAR_TYPES = {"text/calendar", "application/ics", "text/x-vcalendar", "application/x-vcalendar"}
AUTO_REPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponder")
AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(automatisch antwoord|automatisch beantwoord|automatic reply|auto[- ]?reply|autoresponse|"
    r"out of (the )?office|afwezig|niet aanwezig|abwesenheitsnotiz|automatische antwort|"
    r"r[ée]ponse automatique)\b",
    re.IGNORECASE,
)
FLOATING_ZONE = ZoneInfo("Europe/Amsterdam")  # a time without zone is read as local to the series


@dataclass(frozen=True)
class Attendee:
    email: str  # lower case, without mailto:
    partstat: str  # upper case, e.g. ACCEPTED; "" when the reply gives none


@dataclass(frozen=True)
class ItipItem:
    """One event of an iTIP message, reduced to what a reply is matched and applied by."""

    method: str
    uid: str
    sequence: int
    stamped_at: datetime | None
    attendees: tuple[Attendee, ...]
    starts_at: datetime | None = None  # COUNTER: the proposed time, in UTC
    ends_at: datetime | None = None
    comment: str = ""


@dataclass(frozen=True)
class ParsedMessage:
    key: str
    kind: str  # "itip", "auto_reply", "not_calendar" or "broken"
    items: tuple[ItipItem, ...] = ()
    recipients: tuple[str, ...] = ()
    sender: str = ""
    sent_at: datetime | None = None
    reason: str = ""


class _Envelope(TypedDict):
    recipients: tuple[str, ...]
    sender: str
    sent_at: datetime | None


class Unreadable(Exception):
    """A calendar part that cannot be read; the message says why."""


def message_key(message: EmailMessage | None, raw: bytes) -> str:
    """The same message gives the same key, whichever folder or server it is read from."""
    message_id = _header(message, "Message-ID").strip() if message is not None else ""
    seed = ("message-id:" + message_id).encode() if message_id else b"raw:" + raw
    return hashlib.sha256(seed).hexdigest()


def parse_message(raw: bytes) -> ParsedMessage:
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as error:  # the email package is lenient; this is a last guard
        return ParsedMessage(message_key(None, raw), "broken", reason=f"not a readable mail message: {error}")
    key = message_key(message, raw)
    envelope: _Envelope = {
        "recipients": _recipients(message),
        "sender": _sender(message),
        "sent_at": _date(message),
    }
    items: list[ItipItem] = []
    problems: list[str] = []
    other_methods: list[str] = []
    for part in _calendar_parts(message):
        try:
            found = _items(part)
        except Unreadable as error:
            problems.append(str(error))
            continue
        for item in found:
            if item.method in (REPLY, COUNTER):
                if item not in items:  # Google and Thunderbird send the same reply twice
                    items.append(item)
            else:
                other_methods.append(item.method or "no METHOD")
    if items:
        return ParsedMessage(key, "itip", tuple(items), **envelope)
    if is_auto_reply(message):
        return ParsedMessage(key, "auto_reply", reason="automatic reply", **envelope)
    if problems:
        return ParsedMessage(key, "broken", reason="; ".join(dict.fromkeys(problems))[:300], **envelope)
    if _has_tnef(message):
        return ParsedMessage(
            key, "broken", reason="only a winmail.dat (TNEF) attachment, no iCalendar part", **envelope
        )
    if other_methods:
        reason = "calendar message that is not a reply: " + ", ".join(dict.fromkeys(other_methods))
        return ParsedMessage(key, "not_calendar", reason=reason[:300], **envelope)
    return ParsedMessage(key, "not_calendar", reason="no calendar part", **envelope)


def is_auto_reply(message: EmailMessage) -> bool:
    auto_submitted = _header(message, "Auto-Submitted").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return True
    if any(_header(message, name) for name in AUTO_REPLY_HEADERS):
        return True
    if _header(message, "Precedence").strip().lower() == "auto_reply":
        return True
    return bool(AUTO_REPLY_SUBJECT.match(_header(message, "Subject")))


# The message.


def _header(message: EmailMessage, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a header the parser cannot make sense of counts as absent
        return ""
    return "" if value is None else str(value)


def _all_headers(message: EmailMessage, name: str) -> list[str]:
    try:
        return [str(value) for value in message.get_all(name) or []]
    except Exception:
        return []


def _recipients(message: EmailMessage) -> tuple[str, ...]:
    values = [value for name in RECIPIENT_HEADERS for value in _all_headers(message, name)]
    return tuple(dict.fromkeys(address.lower() for _, address in getaddresses(values) if "@" in address))


def _sender(message: EmailMessage) -> str:
    addresses = [address for _, address in getaddresses([_header(message, "From")]) if "@" in address]
    return addresses[0].lower() if addresses else ""


def _date(message: EmailMessage) -> datetime | None:
    try:
        moment = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _walk(part: MIMEPart) -> Iterator[MIMEPart]:
    """Every part, without going into attached messages (a bounce carries our own invite)."""
    yield part
    if part.get_content_maintype() == "multipart":
        for child in part.iter_parts():
            yield from _walk(child)


def _filename(part: MIMEPart) -> str:
    try:
        return (part.get_filename() or "").lower()
    except Exception:
        return ""


def _calendar_parts(message: EmailMessage) -> Iterator[MIMEPart]:
    for part in _walk(message):
        kind = part.get_content_type()
        attached_ics = kind == "application/octet-stream" and _filename(part).endswith(".ics")
        if kind in CALENDAR_TYPES or attached_ics:
            yield part


def _has_tnef(message: EmailMessage) -> bool:
    return any(
        part.get_content_type() in ("application/ms-tnef", "application/vnd.ms-tnef")
        or _filename(part) == "winmail.dat"
        for part in _walk(message)
    )


# The calendar part.


def _calendar_text(part: MIMEPart) -> str:
    data = part.get_payload(decode=True)  # bytes for a single part
    if not data or not isinstance(data, bytes):
        raise Unreadable("empty calendar part")
    charset = part.get_content_charset() or "utf-8"
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return data.decode("utf-8", errors="replace")


def _items(part: MIMEPart) -> list[ItipItem]:
    text = _calendar_text(part)
    try:
        calendar = Calendar.from_ical(text)
    except Exception as error:
        first_line = (str(error).splitlines() or [""])[0]
        raise Unreadable(f"calendar part cannot be read: {first_line[:120]}") from None
    if calendar.name != "VCALENDAR":
        raise Unreadable(f"calendar part holds {calendar.name}, not VCALENDAR")
    method = str(calendar.get("METHOD") or part.get_param("method") or "").strip().upper()
    events = [component for component in calendar.walk() if component.name == "VEVENT"]
    if not events:
        raise Unreadable("calendar part has no event")
    return [_item(method, event) for event in events]


def _item(method: str, event) -> ItipItem:
    bad = {name.upper() for name, _ in getattr(event, "errors", [])}
    uid = str(event.get("UID") or "").strip()
    if not uid:
        raise Unreadable("event without UID")
    if "ATTENDEE" in bad:
        raise Unreadable("ATTENDEE cannot be read")
    attendees = tuple(_attendee(value) for value in _as_list(event.get("ATTENDEE")))
    attendees = tuple(attendee for attendee in attendees if attendee.email)
    if not attendees:
        raise Unreadable("reply without ATTENDEE")
    starts_at = ends_at = None
    if method == COUNTER:
        starts_at, ends_at = _moment(event, "DTSTART", bad), _moment(event, "DTEND", bad)
        if starts_at is None or ends_at is None or ends_at <= starts_at:
            raise Unreadable("proposed time without a valid start and end")
    return ItipItem(
        method=method,
        uid=uid,
        sequence=_sequence(event.get("SEQUENCE")),
        stamped_at=_moment(event, "DTSTAMP", bad),
        attendees=attendees,
        starts_at=starts_at,
        ends_at=ends_at,
        comment=" ".join(str(value) for value in _as_list(event.get("COMMENT"))).strip()[:500],
    )


def _as_list(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _attendee(value) -> Attendee:
    address = str(value).strip()
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:") :]
    params = getattr(value, "params", {})
    if "@" not in address:  # e.g. urn:uuid:... with the address in EMAIL= (Apple)
        address = str(params.get("EMAIL", ""))
    return Attendee(email=address.strip().lower(), partstat=str(params.get("PARTSTAT", "")).strip().upper())


def _sequence(value) -> int:
    try:
        return max(int(str(value).strip()), 0) if value is not None else 0
    except ValueError:
        return 0


def _moment(event, name: str, bad: set[str]) -> datetime | None:
    if name in bad or name not in event:
        return None
    try:
        value = event.decoded(name)
    except Exception:
        return None
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=FLOATING_ZONE)).astimezone(UTC)
    if isinstance(value, date):  # a whole day: not a time we can propose to the organiser
        return None
    return None
