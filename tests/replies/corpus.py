"""The client replies in tests/replies_corpus/, filled in for one invite.

Each .eml is shaped like the mail a real client sends (see the comment at its top in
this module's NOTES), with @@NAME@@ placeholders where the invite's UID, the attendee,
the reply address, SEQUENCE and the times go. Base64 parts hold placeholders too: they
are decoded, filled and encoded again, so the message stays as the client sent it.
"""

from __future__ import annotations

import base64
import textwrap
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

CORPUS = Path(__file__).resolve().parent.parent / "replies_corpus"
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

# What each file is; the tests rely on these facts.
NOTES = {
    "outlook-accepted.eml": "Outlook/Exchange: no ORGANIZER, 'Geaccepteerd: …', W. Europe Standard Time",
    "outlook-declined-winmail.eml": "Outlook: declined, with a winmail.dat (TNEF) beside the calendar part",
    "outlook-winmail-only.eml": "Outlook in rich text: only winmail.dat, no iCalendar part",
    "outlook-counter.eml": "Outlook: propose a new time (METHOD:COUNTER) with a comment",
    "google-declined.eml": "Google Calendar: text/calendar method=REPLY and an application/ics attachment",
    "apple-icloud-accepted.eml": "Apple Calendar via iCloud: attendee as urn:uuid with EMAIL=, inline .ics",
    "thunderbird-tentative.eml": "Thunderbird (Lightning): multipart/mixed with invite.ics attachment",
    "out-of-office-exchange.eml": "Exchange out of office: 'Automatisch antwoord', Auto-Submitted",
    "vacation-x-autoreply.eml": "a vacation responder: X-Autoreply and a plain 'Re:' subject",
    "plain-mail.eml": "a person writing back by hand",
    "broken-calendar.eml": "a calendar part cut off halfway",
    "reply-without-attendee.eml": "a REPLY without ATTENDEE",
    "bounce-of-invite.eml": "a bounce that carries our own invite (METHOD:REQUEST) as message/rfc822",
}


def _ical_local(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%Y%m%dT%H%M%S")


def _ical_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def reply_values(
    session,
    person,
    to: str,
    *,
    sequence: int | None = None,
    stamped: datetime | None = None,
    proposed: tuple[datetime, datetime] | None = None,
    sender: str | None = None,
) -> dict:
    stamped = stamped or datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)
    proposed = proposed or (session.starts_at + timedelta(hours=1), session.ends_at + timedelta(hours=1))
    return {
        "UID": session.uid,
        "ATTENDEE": sender or person.email,
        "NAME": person.name,
        "TO": to,
        "SEQUENCE": str(session.sequence if sequence is None else sequence),
        "DTSTAMP": _ical_utc(stamped),
        "DATE": format_datetime(stamped),
        "MSGID": uuid.uuid4().hex,
        "START": _ical_local(session.starts_at),
        "END": _ical_local(session.ends_at),
        "START_UTC": _ical_utc(session.starts_at),
        "END_UTC": _ical_utc(session.ends_at),
        "PROPOSED_START": _ical_local(proposed[0]),
        "PROPOSED_END": _ical_local(proposed[1]),
    }


def _fill_text(text: str, values: dict) -> str:
    for name, value in values.items():
        text = text.replace(f"@@{name}@@", value)
    return text


def _fill_base64_blocks(lines: list[str], values: dict) -> list[str]:
    """Decode each base64 body, fill it in, encode it again in lines of 76."""
    out, index = [], 0
    while index < len(lines):
        line = lines[index]
        out.append(line)
        index += 1
        if line.lower().replace(" ", "") != "content-transfer-encoding:base64":
            continue
        while index < len(lines) and lines[index].strip():  # the rest of the part's headers
            out.append(lines[index])
            index += 1
        out.append("")
        index += 1
        block = []
        while index < len(lines) and lines[index].strip() and not lines[index].startswith("--"):
            block.append(lines[index].strip())
            index += 1
        data = base64.b64decode("".join(block))
        if b"@@" not in data:  # nothing to fill in, e.g. a winmail.dat
            out.extend(block)
            continue
        filled = _fill_text(data.decode("utf-8"), values).encode("utf-8")
        out.extend(textwrap.wrap(base64.b64encode(filled).decode(), 76))
    return out


def build(name: str, values: dict) -> bytes:
    """The corpus message ``name`` for these values, with CRLF line ends as mail has them."""
    lines = (CORPUS / name).read_text().splitlines()
    lines = _fill_base64_blocks(lines, values)
    text = _fill_text("\n".join(lines) + "\n", values)
    assert "@@" not in text, f"{name}: a placeholder was left unfilled"
    return text.replace("\n", "\r\n").encode("utf-8")


def names() -> list[str]:
    return sorted(path.name for path in CORPUS.glob("*.eml"))
