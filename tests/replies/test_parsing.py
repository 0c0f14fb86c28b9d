"""Every client reply in the corpus is read for what it says, never by its subject or summary."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from pathlib import Path
from types import SimpleNamespace

import pytest

from planner.calendar.reply_address import new_reply_token, reply_address, token_in
from planner.replies.parsing import parse_message
from tests.replies.corpus import NOTES, build, names, reply_values
from tests.test_layering import imported_modules

SESSION = SimpleNamespace(
    uid="5b0c3a1e-0d2f-4c4b-9a57-1d2e3f4a5b6c@reeks",
    sequence=2,
    starts_at=datetime(2026, 7, 7, 12, 0, tzinfo=UTC),
    ends_at=datetime(2026, 7, 7, 14, 0, tzinfo=UTC),
)
PERSON = SimpleNamespace(email="anna.devries@example.org", name="Anna de Vries")
TO = "antwoord+0123456789abcdef0123456789abcdef@reeks.example.org"
STAMPED = datetime(2026, 6, 1, 9, 30, tzinfo=UTC)

# file → (kind, method, PARTSTAT) of what it must be read as
EXPECTED = {
    "outlook-accepted.eml": ("itip", "REPLY", "ACCEPTED"),
    "outlook-declined-winmail.eml": ("itip", "REPLY", "DECLINED"),
    "outlook-winmail-only.eml": ("broken", None, None),
    "outlook-counter.eml": ("itip", "COUNTER", "TENTATIVE"),
    "google-declined.eml": ("itip", "REPLY", "DECLINED"),
    "apple-icloud-accepted.eml": ("itip", "REPLY", "ACCEPTED"),
    "thunderbird-tentative.eml": ("itip", "REPLY", "TENTATIVE"),
    "out-of-office-exchange.eml": ("auto_reply", None, None),
    "vacation-x-autoreply.eml": ("auto_reply", None, None),
    "plain-mail.eml": ("not_calendar", None, None),
    "broken-calendar.eml": ("broken", None, None),
    "reply-without-attendee.eml": ("broken", None, None),
    "bounce-of-invite.eml": ("auto_reply", None, None),
}


def parsed(name: str, **overrides):
    return parse_message(build(name, reply_values(SESSION, PERSON, TO, stamped=STAMPED, **overrides)))


def test_every_file_in_the_corpus_is_described_and_expected():
    assert set(names()) == set(EXPECTED) == set(NOTES)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_client_reply_is_read_as_what_it_is(name):
    kind, method, partstat = EXPECTED[name]
    message = parsed(name)
    assert message.kind == kind, f"{name} ({NOTES[name]}) read as {message.kind}: {message.reason}"
    assert TO in message.recipients, f"{name}: the reply address was not found among the recipients"
    if kind != "itip":
        assert message.items == ()
        assert message.reason, f"{name}: no reason given for a {kind}"
        return
    [item] = message.items  # Google and Thunderbird send the same reply twice: read once
    assert (item.method, item.uid, item.sequence) == (method, SESSION.uid, 2)
    assert [(a.email, a.partstat) for a in item.attendees] == [(PERSON.email, partstat)]
    assert item.stamped_at == STAMPED
    assert message.sender == PERSON.email


def test_outlook_reply_without_organizer_and_with_a_translated_summary_is_still_a_reply():
    raw = build("outlook-accepted.eml", reply_values(SESSION, PERSON, TO, stamped=STAMPED)).decode()
    assert "ORGANIZER" not in raw
    assert "Geaccepteerd:" in raw
    assert parsed("outlook-accepted.eml").items[0].method == "REPLY"


def test_a_proposed_time_in_a_windows_time_zone_is_read_in_utc_with_its_comment():
    proposed = (SESSION.starts_at + timedelta(hours=1), SESSION.ends_at + timedelta(hours=1))
    raw = build("outlook-counter.eml", reply_values(SESSION, PERSON, TO, proposed=proposed))
    calendar_part = next(p for p in message_from_bytes(raw).walk() if p.get_content_type() == "text/calendar")
    assert b"DTSTART;TZID=W. Europe Standard Time:20260707T150000" in calendar_part.get_payload(decode=True)
    [item] = parse_message(raw).items
    assert (item.starts_at, item.ends_at) == proposed
    assert item.comment == "Kan het een uur later? Dan kan ik na mijn werk."


def test_refusals_say_why():
    assert "winmail.dat" in parsed("outlook-winmail-only.eml").reason
    assert "cannot be read" in parsed("broken-calendar.eml").reason
    assert "ATTENDEE" in parsed("reply-without-attendee.eml").reason


def test_a_bounce_with_our_own_invite_inside_is_not_taken_for_a_reply():
    message = parsed("bounce-of-invite.eml")
    assert message.kind == "auto_reply"
    assert message.items == ()


def test_the_same_message_has_the_same_key_and_another_message_another():
    values = reply_values(SESSION, PERSON, TO, stamped=STAMPED)
    first = parse_message(build("google-declined.eml", values))
    again = parse_message(build("google-declined.eml", values))
    other = parse_message(build("google-declined.eml", {**values, "MSGID": "another"}))
    assert first.key == again.key != other.key


@pytest.mark.parametrize("raw", [b"", b"\x00\xff\xfe garbage", b"Content-Type: text/calendar\r\n\r\nBEGIN:VCALENDAR"])
def test_garbage_never_raises(raw):
    assert parse_message(raw).kind in {"broken", "not_calendar"}


def test_reply_addresses_carry_the_token_and_give_it_back():
    token = new_reply_token()
    address = reply_address("antwoord@example.org", token)
    assert address == f"antwoord+{token}@example.org"
    assert token_in("antwoord@example.org", ["someone@example.org", address.upper()]) == token
    assert token_in("antwoord@example.org", ["antwoord+nothex@example.org", "antwoord@example.org"]) is None
    catch_all = reply_address("{token}@antwoord.example.org", token)
    assert catch_all == f"{token}@antwoord.example.org"
    assert token_in("{token}@antwoord.example.org", [catch_all]) == token


def test_parsing_is_pure_and_no_area_imports_the_replies():
    planner = Path(__file__).resolve().parents[2] / "planner"
    for pure in (planner / "replies" / "parsing.py", planner / "calendar" / "reply_address.py"):
        modules = re.findall(r"^(?:from|import) ([\w.]+)", pure.read_text(), re.MULTILINE)
        assert not [m for m in modules if m.startswith(("planner", "flask", "sqlalchemy"))], pure
    areas = [p.name for p in planner.iterdir() if (p / "__init__.py").exists() and p.name != "replies"]
    for area in areas:
        assert not [m for m in imported_modules(area) if m.startswith("planner.replies")], area
