"""Changing a series or a session through its service is enough: the calendar mails and the
waiting list follow in the same transaction, whoever called the service (no page involved here)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from planner.invitations.models import Answer, Seat
from planner.invitations.services import answer
from planner.mail.models import OutboxMessage
from planner.series.hooks import EXTENSION_KEY
from planner.series.models import Venue
from planner.series.services import (
    SeriesDetails,
    add_session,
    cancel_session,
    remove_session,
    update_series_details,
    update_session,
)
from tests import factories
from tests.calendar_reading import method_of, read_events
from tests.factories import details_of

WHAT_CHANGED = {"nl": "Dit is er veranderd:", "en": "What changed:"}


def outbox(db) -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def new_mails(db, seen: int) -> list[OutboxMessage]:
    return outbox(db)[seen:]


def change_lines(mail: OutboxMessage) -> list[str]:
    """The "- ..." lines between "What changed:" and the next empty line of the text body."""
    text = mail.body_text.split(WHAT_CHANGED[mail.language], 1)[1]
    lines = []
    for line in text.lstrip("\n").splitlines():
        if not line.strip():
            break
        lines.append(line.removeprefix("- "))
    return lines


def coming_series(db, programme, organiser, **overrides):
    """A published series with Anna (yes, Dutch) and Ben (maybe, English) in the first two sessions,
    Cas who said no, and Dirk who never answered."""
    series = factories.make_series(programme, organiser, count=4, **overrides)
    anna = factories.make_invitation(series, name="Anna", email="anna@example.org")
    ben = factories.make_invitation(series, name="Ben", email="ben@example.org", language="en")
    cas = factories.make_invitation(series, name="Cas", email="cas@example.org")
    factories.make_invitation(series, name="Dirk", email="dirk@example.org")
    for session in series.sessions[:2]:
        answer(anna, session, Answer.YES)
        answer(ben, session, Answer.MAYBE)
        answer(cas, session, Answer.NO)
    db.session.commit()
    return series


def test_moving_a_session_sends_an_update_saying_what_changed(db, programme, organiser):
    series = coming_series(db, programme, organiser)
    session = series.sessions[0]
    seen = len(outbox(db))
    update_session(session, details_of(session, day=session.local_start.date() + timedelta(days=1)))
    db.session.commit()

    mails = new_mails(db, seen)
    assert sorted(m.to_address for m in mails) == ["anna@example.org", "ben@example.org"], (
        "only those who said yes or maybe get the update"
    )
    for mail in mails:
        assert method_of(mail.calendar_body.encode()) == "REQUEST"
        [event] = read_events(mail.calendar_body.encode())
        assert (event["uid"], event["sequence"]) == (session.uid, 1)
        assert event["start"] == session.starts_at
    anna_mail = next(m for m in mails if m.language == "nl")
    [line] = change_lines(anna_mail)
    assert line.startswith("Datum en tijd: "), line
    assert "→" in line, line
    old, new = line.removeprefix("Datum en tijd: ").split(" → ")
    assert old != new, line
    assert old.startswith("dinsdag"), line
    assert new.startswith("woensdag"), line
    ben_mail = next(m for m in mails if m.language == "en")
    assert change_lines(ben_mail)[0].startswith("Date and time: Tuesday"), ben_mail.body_text


def test_a_new_place_and_online_link_are_each_a_line(db, programme, organiser):
    series = coming_series(db, programme, organiser)
    session = series.sessions[1]
    hall = Venue(name="Buurthuis De Hoek", address="Dorpsstraat 12, Gendt", municipality="Lingewaard")
    db.session.add(hall)
    db.session.commit()
    seen = len(outbox(db))
    update_session(session, details_of(session, venue=hall, online_url="https://meet.example.org/gendt"))
    db.session.commit()

    anna_mail = next(m for m in new_mails(db, seen) if m.to_address == "anna@example.org")
    assert change_lines(anna_mail) == [
        "Plaats: (geen) → Buurthuis De Hoek, Dorpsstraat 12, Gendt",
        "Online: (geen) → https://meet.example.org/gendt",
    ]
    assert "LOCATION:Buurthuis De Hoek\\, Dorpsstraat 12\\, Gendt" in anna_mail.calendar_body


def test_cancelling_a_session_takes_it_out_of_the_calendars(db, programme, organiser):
    series = coming_series(db, programme, organiser)
    session = series.sessions[0]
    seen = len(outbox(db))
    cancel_session(session, "De zaal is niet beschikbaar")
    db.session.commit()

    mails = new_mails(db, seen)
    assert sorted(m.to_address for m in mails) == ["anna@example.org", "ben@example.org"]
    for mail in mails:
        assert method_of(mail.calendar_body.encode()) == "CANCEL"
        [event] = read_events(mail.calendar_body.encode())
        assert (event["uid"], event["status"], event["sequence"]) == (session.uid, "CANCELLED", 1)
        assert "De zaal is niet beschikbaar" in mail.body_text


def test_a_higher_capacity_moves_the_waiting_list_up_with_its_mail(db, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    session = series.sessions[0]
    update_session(session, details_of(session, capacity=1))
    first = factories.make_invitation(series, email="first@example.org")
    second = factories.make_invitation(series, email="second@example.org")
    third = factories.make_invitation(series, email="third@example.org")
    for invitation in (first, second, third):
        answer(invitation, session, Answer.YES)
    db.session.commit()
    seen = len(outbox(db))

    update_session(session, details_of(session, capacity=2))
    db.session.commit()

    [moved_up] = new_mails(db, seen)
    assert moved_up.to_address == "second@example.org", "the first on the waiting list, nobody else"
    assert method_of(moved_up.calendar_body.encode()) == "REQUEST"
    assert "plek vrijgekomen" in moved_up.body_text, moved_up.body_text
    seats = {
        i.person.email: next(r.seat for r in i.rsvps if r.session_id == session.id) for i in (first, second, third)
    }
    assert seats == {
        "first@example.org": Seat.CONFIRMED,
        "second@example.org": Seat.CONFIRMED,
        "third@example.org": Seat.WAITING,
    }
    assert session.sequence == 0, "a capacity is not in anyone's calendar"


def test_a_change_nobody_sees_sends_no_mail(db, programme, organiser):
    series = coming_series(db, programme, organiser)
    session = series.sessions[0]
    seen = len(outbox(db))
    update_session(
        session,
        details_of(
            session,
            capacity=30,
            agenda="Eerst koffie",
            theme="Praten erover",
            title="Ontmoeting 1 (anders)",
            audiences=["residents"],
        ),
    )
    update_series_details(
        series,
        SeriesDetails(
            title=series.title, municipality=series.municipality, description="Welkom allemaal", reminder_days=3
        ),
    )
    db.session.commit()
    assert new_mails(db, seen) == [], (
        "capacity, agenda, theme, a session's own title and a description are not in a calendar: no change mail"
    )
    assert session.sequence == 0


def test_renaming_a_series_updates_the_coming_sessions_with_the_title_as_a_line(db, programme, organiser):
    series = coming_series(db, programme, organiser, title="Ontmoeting Gendt")
    first, second, _third, _fourth = series.sessions
    seen = len(outbox(db))
    update_series_details(series, SeriesDetails(title="Ontmoeting Gendt, ronde 2", municipality="Lingewaard"))
    db.session.commit()

    mails = new_mails(db, seen)
    updated = sorted((m.to_address, read_events(m.calendar_body.encode())[0]["uid"]) for m in mails)
    assert updated == sorted(
        (address, session.uid) for address in ("anna@example.org", "ben@example.org") for session in (first, second)
    ), "everyone coming, for each coming session"
    for mail in mails:
        assert "SUMMARY:Ontmoeting Gendt\\, ronde 2" in mail.calendar_body
    anna_mail = next(m for m in mails if m.language == "nl")
    assert change_lines(anna_mail) == ["Titel: Ontmoeting Gendt → Ontmoeting Gendt, ronde 2"]
    assert [s.sequence for s in series.sessions] == [1, 1, 1, 1], (
        "nobody comes to the last two yet, but calendars that hold them from the public feed see the new title too"
    )


def test_a_new_series_venue_updates_the_sessions_that_use_it(db, programme, organiser):
    series = coming_series(db, programme, organiser)
    own = Venue(name="Bibliotheek", address="Markt 1, Gendt")
    hall = Venue(name="Buurthuis De Hoek", address="Dorpsstraat 12, Gendt")
    db.session.add_all([own, hall])
    first = series.sessions[0]
    update_session(first, details_of(first, venue=own))
    db.session.commit()
    seen = len(outbox(db))

    update_series_details(series, SeriesDetails(title=series.title, venue=hall))
    db.session.commit()

    mails = new_mails(db, seen)
    assert {read_events(m.calendar_body.encode())[0]["uid"] for m in mails} == {series.sessions[1].uid}, (
        "the session with its own venue stays where it was"
    )
    anna_mail = next(m for m in mails if m.language == "nl")
    assert change_lines(anna_mail) == ["Plaats: (geen) → Buurthuis De Hoek, Dorpsstraat 12, Gendt"]


def test_past_and_cancelled_sessions_get_no_update(db, programme, organiser):
    series = coming_series(db, programme, organiser)
    first, second = series.sessions[:2]
    cancel_session(second, "Sneeuw")
    db.session.commit()
    seen = len(outbox(db))
    now = first.ends_at + timedelta(minutes=1)  # the first is over

    update_series_details(series, SeriesDetails(title="Nieuwe titel"), now=now)
    db.session.commit()
    assert new_mails(db, seen) == []
    assert (first.sequence, second.sequence) == (0, 1)


def test_every_service_tells_the_listeners_inside_its_transaction(app, db, programme, organiser):
    heard = []
    listeners = app.extensions[EXTENSION_KEY]
    listeners.append(lambda c: heard.append((c.session.title, c.before is None, c.removed)))
    try:
        series = factories.make_series(programme, organiser, count=4)
        made = [(s.title, True, False) for s in series.sessions]  # a new series: each session is added
        last = series.sessions[-1]
        extra = add_session(
            series, details_of(last, day=last.local_start.date() + timedelta(weeks=1), title="Terugkomavond")
        )
        update_session(extra, details_of(extra, agenda="Terugblikken"))
        remove_session(extra)
        cancel_session(series.sessions[0], "Sneeuw")
        update_series_details(series, SeriesDetails(title="Nieuw"))
        db.session.rollback()
    finally:
        listeners.pop()
    assert (
        heard
        == made
        + [
            ("Terugkomavond", True, False),  # added
            ("Terugkomavond", False, False),  # changed
            ("Terugkomavond", False, True),  # removed
            ("Ontmoeting 1", False, False),  # cancelled
        ]
        + [(s.title, False, False) for s in series.sessions[1:]]
    ), "then renamed (not the cancelled one)"


def test_no_change_mail_ever_lists_nothing(db, programme, organiser):
    """Whatever an organiser changes, a change mail either lists what changed or does not go."""
    series = coming_series(db, programme, organiser)
    session = series.sessions[0]
    hall = Venue(name="Buurthuis De Hoek", address="Dorpsstraat 12, Gendt")
    db.session.add(hall)
    edits = [
        {"capacity": 5},
        {"agenda": "Koffie"},
        {"theme": "Signalen"},
        {"title": "Avond 1"},
        {"audiences": ["volunteers"]},
        {"start": session.local_start.time().replace(hour=19, minute=0)},
        {"venue": hall},
        {"online_url": "https://meet.example.org/x"},
        {"online_url": ""},
        {"venue": None},
    ]
    for edit in edits:
        update_session(session, details_of(session, **edit))
    update_series_details(series, SeriesDetails(title="Andere titel", description="Nieuw"))
    update_series_details(series, SeriesDetails(title="Andere titel", description="Nog nieuwer"))
    db.session.commit()

    changed = [m for m in outbox(db) if m.subject.endswith(("een bijeenkomst is veranderd", "a meeting has changed"))]
    assert len(changed) == 2 * (6 + 1), "per person coming: six visible changes to one session, one to another"
    for mail in changed:
        lines = change_lines(mail)
        assert lines, mail.body_text
        assert all("→" in line for line in lines), mail.body_text
        html_list = mail.body_html.split('<ul class="changes"', 1)[1].split("</ul>", 1)[0]
        assert "<li>" in html_list, mail.body_html
