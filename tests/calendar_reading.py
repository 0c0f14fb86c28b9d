"""Read calendar data twice, with icalendar and with vobject, and insist they agree."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import vobject


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def read_events(data: bytes) -> list[dict]:
    """The events as both parsers read them; fails when they disagree."""
    text = data.decode("utf-8")
    assert "\r\n" in text, "lines end in CRLF"
    assert "\n" not in text.replace("\r\n", ""), "lines end in CRLF"
    for line in data.split(b"\r\n"):
        assert len(line) <= 75, f"line not folded: {line!r}"
        line.decode("utf-8")  # folding never splits a character
    by_icalendar = []
    calendar = icalendar.Calendar.from_ical(data)
    assert str(calendar["VERSION"]) == "2.0"
    assert "PRODID" in calendar
    for event in calendar.walk("VEVENT"):
        attendees = event.get("ATTENDEE")
        attendees = [] if attendees is None else attendees if isinstance(attendees, list) else [attendees]
        by_icalendar.append(
            {
                "uid": str(event["UID"]),
                "sequence": int(event["SEQUENCE"]),
                "start": _utc(event.decoded("DTSTART")),
                "end": _utc(event.decoded("DTEND")),
                "status": str(event["STATUS"]),
                "attendees": [(str(a), str(a.params.get("PARTSTAT"))) for a in attendees],
                "stamp": _utc(event.decoded("DTSTAMP")),
                "location": str(event.get("LOCATION", "")),
            }
        )
    by_vobject = []
    parsed = vobject.readOne(text)
    for event in getattr(parsed, "vevent_list", []):
        attendees = [(a.value, a.params["PARTSTAT"][0]) for a in event.contents.get("attendee", [])]
        by_vobject.append(
            {
                "uid": event.uid.value,
                "sequence": int(event.sequence.value),
                "start": _utc(event.dtstart.value),
                "end": _utc(event.dtend.value),
                "status": event.status.value,
                "attendees": attendees,
                "stamp": _utc(event.dtstamp.value),
                "location": event.location.value if "location" in event.contents else "",
            }
        )
    assert by_icalendar == by_vobject, "icalendar and vobject read the calendar differently"
    return by_icalendar


def method_of(data: bytes) -> str | None:
    method = icalendar.Calendar.from_ical(data).get("METHOD")
    vmethod = getattr(vobject.readOne(data.decode()), "method", None)
    assert (str(method) if method else None) == (vmethod.value if vmethod else None)
    return str(method) if method else None
