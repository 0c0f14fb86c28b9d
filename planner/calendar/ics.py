"""iCalendar objects (RFC 5545) and iTIP messages (RFC 5546) as bytes.

Pure: plain data in, bytes out. Knows no database, no Flask and no area above it.
One iTIP message carries one event (one UID); a feed carries many, without METHOD.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vText

PRODID = "-//Reeks//Reeks planner//NL"


class Method:
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


class PartStat:
    ACCEPTED = "ACCEPTED"
    TENTATIVE = "TENTATIVE"
    DECLINED = "DECLINED"


@dataclass(frozen=True)
class Contact:
    name: str
    email: str


@dataclass(frozen=True)
class CalendarEvent:
    """One session as a calendar shows it. Times are aware; they are written in ``tzid``."""

    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    tzid: str
    summary: str
    location: str = ""
    description: str = ""
    url: str = ""
    cancelled: bool = False


# Rule-based zones (one STANDARD and one DAYLIGHT rule each) for the zones series are planned in.
# (tzid, standard name, offset, daylight name, offset): the EU rule, last Sunday of March and October.
_EU_RULES = {
    "Europe/Amsterdam": ("CET", 1, "CEST", 2),
    "Europe/Brussels": ("CET", 1, "CEST", 2),
    "Europe/Berlin": ("CET", 1, "CEST", 2),
}


def vtimezone(tzid: str) -> Timezone:
    """A VTIMEZONE with yearly RRULEs (not a list of RDATEs), as calendars like best."""
    std_name, std, dst_name, dst = _EU_RULES[tzid]
    zone = Timezone()
    zone.add("tzid", tzid)
    # Summer time from the last Sunday of March at 02:00, winter time from the last of October at 03:00.
    zone.add_component(_observance(TimezoneDaylight(), dst_name, std, dst, datetime(1981, 3, 29, 2, 0, 0)))  # noqa: DTZ001
    zone.add_component(_observance(TimezoneStandard(), std_name, dst, std, datetime(1996, 10, 27, 3, 0, 0)))  # noqa: DTZ001
    return zone


def _observance(part, name: str, hours_from: int, hours_to: int, start: datetime):
    """One rule of a zone: from ``start`` (local time, as a VTIMEZONE has it) every year on the
    last Sunday of that month, the clock goes from ``hours_from`` to ``hours_to`` off UTC."""
    part.add("tzname", name)
    part.add("tzoffsetfrom", timedelta(hours=hours_from))
    part.add("tzoffsetto", timedelta(hours=hours_to))
    part.add("dtstart", start)
    part.add("rrule", {"freq": "yearly", "bymonth": start.month, "byday": "-1SU"})
    return part


def _local(moment: datetime, tzid: str) -> datetime:
    if tzid in _EU_RULES:
        return moment.astimezone(ZoneInfo(tzid))
    return moment.astimezone(UTC)  # a zone without rules here: write UTC times


def _address(contact: Contact, **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{contact.email}")
    address.params["CN"] = vText(contact.name or contact.email)
    for key, value in params.items():
        address.params[key.upper().replace("_", "-")] = vText(value)
    return address


def _event(
    item: CalendarEvent,
    *,
    stamp: datetime,
    organizer: Contact | None = None,
    attendee: Contact | None = None,
    partstat: str | None = None,
    rsvp: bool = False,
    cancelled: bool | None = None,
) -> Event:
    cancelled = item.cancelled if cancelled is None else cancelled
    event = Event()
    event.add("uid", item.uid)
    event.add("sequence", item.sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", _local(item.starts_at, item.tzid))
    event.add("dtend", _local(item.ends_at, item.tzid))
    event.add("summary", item.summary)
    if item.location:
        event.add("location", item.location)
    if item.description:
        event.add("description", item.description)
    if item.url:
        event.add("url", item.url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    if organizer is not None:
        event.add("organizer", _address(organizer))
    if attendee is not None:
        event.add(
            "attendee",
            _address(
                attendee,
                role="REQ-PARTICIPANT",
                partstat=partstat or PartStat.ACCEPTED,
                rsvp="TRUE" if rsvp else "FALSE",
            ),
        )
    return event


def _calendar(method: str | None, events: list[Event], tzids: Iterable[str], name: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    for tzid in sorted(set(tzids)):
        if tzid in _EU_RULES:
            calendar.add_component(vtimezone(tzid))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()


def itip_request(
    item: CalendarEvent,
    *,
    organizer: Contact,
    attendee: Contact,
    partstat: str,
    stamp: datetime,
    rsvp: bool = False,
) -> bytes:
    """METHOD:REQUEST for one attendee: a new entry, or an update that replaces it (same UID).

    ``rsvp`` asks the calendar to send its reply (Accept / Decline) to the organiser.
    """
    return _calendar(
        Method.REQUEST,
        [_event(item, stamp=stamp, organizer=organizer, attendee=attendee, partstat=partstat, rsvp=rsvp)],
        [item.tzid],
    )


def itip_cancel(item: CalendarEvent, *, organizer: Contact, attendee: Contact, stamp: datetime) -> bytes:
    """METHOD:CANCEL for one attendee: the session is off, or off for them."""
    return _calendar(
        Method.CANCEL,
        [_event(item, stamp=stamp, organizer=organizer, attendee=attendee, partstat=PartStat.DECLINED, cancelled=True)],
        [item.tzid],
    )


def single_event(item: CalendarEvent, *, stamp: datetime) -> bytes:
    """One session as a plain .ics file to download (no METHOD: it is not a message)."""
    return _calendar(None, [_event(item, stamp=stamp)], [item.tzid])


def feed(items: Iterable[CalendarEvent], *, name: str, stamp: datetime) -> bytes:
    """A subscription feed: every event, cancelled ones as STATUS:CANCELLED."""
    items = list(items)
    return _calendar(None, [_event(item, stamp=stamp) for item in items], [i.tzid for i in items], name=name)
