"""The pure builder: iTIP messages and feeds that two independent parsers read alike."""

from datetime import UTC, datetime

import icalendar

from planner.calendar.ics import CalendarEvent, Contact, feed, itip_cancel, itip_request
from tests.calendar_reading import method_of, read_events

ORGANISER = Contact("Reeks", "reeks@example.org")
ANNA = Contact("Anna de Vries", "anna@example.org")
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


def event(**overrides):
    values = {
        "uid": "abc-123@reeks",
        "sequence": 0,
        "starts_at": datetime(2027, 7, 6, 17, 30, tzinfo=UTC),  # 19:30 summer time
        "ends_at": datetime(2027, 7, 6, 19, 30, tzinfo=UTC),
        "tzid": "Europe/Amsterdam",
        "summary": "Ontmoeting Gendt; één, twee",
        "location": "Buurthuis De Hoek, Dorpsstraat 1, Gendt",
        "description": "Je persoonlijke link: https://reeks.example.org/i/"
        + "x" * 40
        + "\nOnline: https://meet.example.org/ééé-"
        + "é" * 60,
    }
    values.update(overrides)
    return CalendarEvent(**values)


def test_a_request_in_summer_and_in_winter_reads_the_same_in_both_parsers():
    summer = itip_request(event(), organizer=ORGANISER, attendee=ANNA, partstat="ACCEPTED", stamp=NOW)
    winter = itip_request(
        event(
            starts_at=datetime(2027, 1, 12, 18, 30, tzinfo=UTC),
            ends_at=datetime(2027, 1, 12, 20, 30, tzinfo=UTC),
            sequence=3,
        ),
        organizer=ORGANISER,
        attendee=ANNA,
        partstat="TENTATIVE",
        stamp=NOW,
    )
    assert b"DTSTART;TZID=Europe/Amsterdam:20270706T193000" in summer
    assert b"DTSTART;TZID=Europe/Amsterdam:20270112T193000" in winter
    [s] = read_events(summer)
    [w] = read_events(winter)
    assert method_of(summer) == method_of(winter) == "REQUEST"
    assert s["start"] == datetime(2027, 7, 6, 17, 30, tzinfo=UTC)
    assert w["start"] == datetime(2027, 1, 12, 18, 30, tzinfo=UTC)
    assert s["attendees"] == [("mailto:anna@example.org", "ACCEPTED")]
    assert w["attendees"] == [("mailto:anna@example.org", "TENTATIVE")]
    assert (s["uid"], s["sequence"], w["sequence"], s["status"]) == ("abc-123@reeks", 0, 3, "CONFIRMED")
    assert s["stamp"] == NOW


def test_the_timezone_is_written_as_rules_and_text_is_escaped():
    data = itip_request(event(), organizer=ORGANISER, attendee=ANNA, partstat="ACCEPTED", stamp=NOW)
    calendar = icalendar.Calendar.from_ical(data)
    [zone] = calendar.walk("VTIMEZONE")
    parts = {c.name: c for c in zone.subcomponents}
    assert set(parts) == {"STANDARD", "DAYLIGHT"}
    assert all("RRULE" in c and "RDATE" not in c for c in parts.values())
    assert b"SUMMARY:Ontmoeting Gendt\\; \xc3\xa9\xc3\xa9n\\, twee" in data
    assert b"ORGANIZER;CN=Reeks:mailto:reeks@example.org" in data
    assert str(calendar.walk("VEVENT")[0]["DESCRIPTION"]).endswith("é" * 60)


def test_a_cancel_says_cancel_and_cancelled():
    data = itip_cancel(event(sequence=4), organizer=ORGANISER, attendee=ANNA, stamp=NOW)
    assert method_of(data) == "CANCEL"
    [e] = read_events(data)
    assert (e["status"], e["sequence"]) == ("CANCELLED", 4)


def test_a_feed_has_no_method_and_keeps_cancelled_events():
    data = feed([event(), event(uid="other@reeks", cancelled=True)], name="Reeks", stamp=NOW)
    assert method_of(data) is None
    events = read_events(data)
    assert [(e["uid"], e["status"], e["attendees"]) for e in events] == [
        ("abc-123@reeks", "CONFIRMED", []),
        ("other@reeks", "CANCELLED", []),
    ]
