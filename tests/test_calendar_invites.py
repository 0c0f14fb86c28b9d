"""Participants get calendar invites for what they said yes or maybe to, and every change after."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from babel.dates import format_date
from sqlalchemy import select

from planner.invitations.models import Answer
from planner.invitations.services import answer, revoke_invitation
from planner.mail.models import OutboxMessage
from planner.series.services import cancel_session, update_session
from tests import factories
from tests.calendar_reading import method_of, read_events


def calendar_mails() -> list[OutboxMessage]:
    """The queued mails that carry an iTIP part, oldest first."""
    rows = factories.db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return [r for r in rows if r.calendar_method]


def change(session, **changes):
    update_session(session, factories.details_of(session, **changes))
    factories.db.session.commit()


def cancel(session, reason="De zaal is niet beschikbaar"):
    cancel_session(session, reason)
    factories.db.session.commit()


def test_yes_and_maybe_bring_an_invite_with_the_own_answer_and_only_the_recipient(db, programme, organiser):
    series = factories.make_series(programme, organiser, title="Ontmoeting Gendt")
    invitation = factories.make_invitation(series, name="Anna", email="anna@example.org")
    factories.make_invitation(series, name="Bram", email="bram@example.org")
    first, second = series.sessions[0], series.sessions[1]
    answer(invitation, first, Answer.YES)
    answer(invitation, second, Answer.MAYBE)
    db.session.commit()

    yes_mail, maybe_mail = calendar_mails()
    assert yes_mail.calendar_method == maybe_mail.calendar_method == "REQUEST"
    [yes_event] = read_events(yes_mail.calendar_body.encode())
    [maybe_event] = read_events(maybe_mail.calendar_body.encode())
    assert yes_event["uid"] == first.uid
    assert maybe_event["uid"] == second.uid
    assert yes_event["attendees"] == [("mailto:anna@example.org", "ACCEPTED")]
    assert maybe_event["attendees"] == [("mailto:anna@example.org", "TENTATIVE")]
    assert (yes_event["start"], yes_event["end"]) == (first.starts_at, first.ends_at)
    assert "bram" not in yes_mail.calendar_body.lower()
    assert f"SUMMARY:{first.theme}" not in yes_mail.calendar_body, "the title is the series title, never the theme"
    assert "SUMMARY:Ontmoeting Gendt" in yes_mail.calendar_body
    assert f"/i/{invitation.token}" in yes_mail.calendar_body.replace("\r\n ", "")


def test_yes_then_no_takes_it_out_of_the_calendar(db, programme, organiser):
    series = factories.make_series(programme, organiser)
    invitation = factories.make_invitation(series, email="anna@example.org")
    session = series.sessions[0]
    answer(invitation, session, Answer.YES)
    db.session.commit()
    answer(invitation, session, Answer.NO)
    db.session.commit()
    _invite, cancelled = calendar_mails()
    assert method_of(cancelled.calendar_body.encode()) == "CANCEL"
    [event] = read_events(cancelled.calendar_body.encode())
    assert (event["uid"], event["status"]) == (session.uid, "CANCELLED")


def test_revoking_an_invitation_cancels_its_calendar_entries(db, programme, organiser):
    series = factories.make_series(programme, organiser)
    invitation = factories.make_invitation(series, email="anna@example.org")
    answer(invitation, series.sessions[0], Answer.YES)
    answer(invitation, series.sessions[1], Answer.MAYBE)
    db.session.commit()
    revoke_invitation(invitation)
    db.session.commit()
    methods = [m.calendar_method for m in calendar_mails()]
    assert methods == ["REQUEST", "REQUEST", "CANCEL", "CANCEL"]


def tuesdays_around_the_spring_clock_change() -> tuple[date, date]:
    """Next year's first Tuesday of March (winter time) and the Tuesday after the clocks go forward."""
    year = factories.today_in_amsterdam().year + 1
    first_of_march = date(year, 3, 1)
    winter = first_of_march + timedelta(days=(1 - first_of_march.weekday()) % 7)
    last_sunday = max(date(year, 3, day) for day in range(25, 32) if date(year, 3, day).weekday() == 6)
    return winter, last_sunday + timedelta(days=2)


def test_a_session_moved_twice_then_cancelled_keeps_its_uid_and_raises_its_sequence(db, programme, organiser):
    # One session in winter, moved into summer time: both DST seasons in one entry's life.
    winter, summer = tuesdays_around_the_spring_clock_change()
    series = factories.make_series(programme, organiser, first_day=winter)
    invitation = factories.make_invitation(series, name="Anna", email="anna@example.org")
    factories.make_invitation(series, name="Bram", email="bram@example.org")  # no answer: no mail
    session = series.sessions[0]
    answer(invitation, session, Answer.MAYBE)
    db.session.commit()

    change(session, day=summer)  # summer time now
    change(session, online_url="https://meet.example.org/gendt")
    cancel(session)

    mails = calendar_mails()
    assert [m.to_address for m in mails] == ["anna@example.org"] * 4
    assert [m.calendar_method for m in mails] == ["REQUEST", "REQUEST", "REQUEST", "CANCEL"]
    events = [read_events(m.calendar_body.encode())[0] for m in mails]
    assert {e["uid"] for e in events} == {session.uid}
    assert [e["sequence"] for e in events] == [0, 1, 2, 3]
    assert [e["status"] for e in events] == ["CONFIRMED"] * 3 + ["CANCELLED"]
    assert events[0]["start"] == datetime.combine(winter, time(18, 30), tzinfo=UTC)  # 19:30 CET
    assert events[1]["start"] == datetime.combine(summer, time(17, 30), tzinfo=UTC)  # 19:30 CEST
    assert all(e["attendees"] == [("mailto:anna@example.org", "TENTATIVE")] for e in events[:3])
    assert events[0]["stamp"] <= events[1]["stamp"] <= events[2]["stamp"] <= events[3]["stamp"]
    moved = mails[1].body_text
    assert "→" in moved
    assert format_date(winter, "d MMMM y", locale="nl") in moved
    assert format_date(summer, "d MMMM y", locale="nl") in moved
    assert "https://meet.example.org/gendt" in mails[2].body_text
    assert "→" in mails[2].body_text
    assert "De zaal is niet beschikbaar" in mails[3].body_text


def test_the_organisers_cancel_page_sends_the_cancellations(db, organiser_client, programme, organiser):
    series = factories.make_series(programme, organiser)
    invitation = factories.make_invitation(series, email="anna@example.org")
    session = series.sessions[0]
    answer(invitation, session, Answer.YES)
    db.session.commit()
    response = organiser_client.post(f"/series/{series.id}/sessions/{session.id}/cancel", data={"reason": "Storm"})
    assert response.status_code == 302
    assert [m.calendar_method for m in calendar_mails()] == ["REQUEST", "CANCEL"]


def test_a_higher_capacity_moves_the_waiting_list_up_with_an_invite(db, programme, organiser):
    series = factories.make_series(programme, organiser)
    session = series.sessions[0]
    session.capacity = 1
    db.session.commit()
    first = factories.make_invitation(series, email="first@example.org")
    second = factories.make_invitation(series, email="second@example.org")
    answer(first, session, Answer.YES)
    answer(second, session, Answer.YES)
    db.session.commit()
    assert [m.to_address for m in calendar_mails()] == ["first@example.org"]
    change(session, capacity=2)
    mails = calendar_mails()
    assert [m.to_address for m in mails] == ["first@example.org", "second@example.org"]
    assert [r.seat for r in second.rsvps if r.session_id == session.id] == ["confirmed"]


def test_invites_arrive_over_smtp_with_a_calendar_part_that_says_its_method(app, db, smtp_server, programme, organiser):
    series = factories.make_series(programme, organiser)
    invitation = factories.make_invitation(series, email="anna@example.org")
    session = series.sessions[0]
    answer(invitation, session, Answer.YES)
    db.session.commit()
    cancel(session)
    db.session.query(OutboxMessage).filter(OutboxMessage.calendar_method == "").delete()
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    assert len(smtp_server.messages) == 2
    for message, method in zip(smtp_server.messages, ["REQUEST", "CANCEL"], strict=True):
        assert message.get_content_type() == "multipart/mixed"
        [alternative] = [p for p in message.walk() if p.get_content_type() == "multipart/alternative"]
        inline, attached = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        assert inline in alternative.get_payload()
        assert attached.get_filename().endswith(".ics")
        assert inline.get_param("method") == attached.get_param("method") == method
        assert inline.get_content_charset() == "utf-8"
        for part in (inline, attached):
            data = part.get_payload(decode=True)
            assert method_of(data) == method
            [event] = read_events(data)
            assert event["uid"] == session.uid


def test_yes_to_maybe_updates_the_answer_in_the_calendar(db, programme, organiser):
    series = factories.make_series(programme, organiser)
    invitation = factories.make_invitation(series, email="anna@example.org")
    session = series.sessions[0]
    answer(invitation, session, Answer.YES)
    answer(invitation, session, Answer.MAYBE)
    answer(invitation, session, Answer.MAYBE)  # the same answer again: nothing new to send
    db.session.commit()
    partstats = [read_events(m.calendar_body.encode())[0]["attendees"][0][1] for m in calendar_mails()]
    assert partstats == ["ACCEPTED", "TENTATIVE"]


def test_nobody_on_the_waiting_list_gets_an_invite_until_they_move_up(db, programme, organiser):
    series = factories.make_series(programme, organiser)
    session = series.sessions[0]
    session.capacity = 1
    db.session.commit()
    first = factories.make_invitation(series, email="first@example.org")
    waiting = factories.make_invitation(series, email="waiting@example.org")
    answer(first, session, Answer.YES)
    answer(waiting, session, Answer.YES)
    db.session.commit()
    assert [m.to_address for m in calendar_mails()] == ["first@example.org"]
    answer(first, session, Answer.NO)
    db.session.commit()
    assert [(m.to_address, m.calendar_method) for m in calendar_mails()] == [
        ("first@example.org", "REQUEST"),
        ("first@example.org", "CANCEL"),
        ("waiting@example.org", "REQUEST"),
    ]


def test_the_organisers_edit_page_sends_updates_and_fills_raised_capacity(db, organiser_client, programme, organiser):
    series = factories.make_series(programme, organiser)
    session = series.sessions[0]
    session.capacity = 1
    db.session.commit()
    first = factories.make_invitation(series, email="first@example.org")
    waiting = factories.make_invitation(series, email="waiting@example.org")
    answer(first, session, Answer.YES)
    answer(waiting, session, Answer.YES)
    db.session.commit()
    new_day = session.local_start.date() + timedelta(days=1)
    response = organiser_client.post(
        f"/series/{series.id}/sessions/{session.id}/edit",
        data={
            "title": session.title,
            "day": new_day.isoformat(),
            "start": "19:30",
            "end": "21:30",
            "venue": "0",
            "online_url": "",
            "capacity": "2",
            "theme": session.theme,
            "agenda": "",
            "send_confirmed": "1",  # past the preview: two people are mailed
        },
    )
    assert response.status_code == 302
    sent = [(m.to_address, m.calendar_method, "→" in m.body_text) for m in calendar_mails()]
    assert sent == [
        ("first@example.org", "REQUEST", False),  # the invite after the yes
        ("first@example.org", "REQUEST", True),  # the update, with what changed
        ("waiting@example.org", "REQUEST", False),  # moved up by the higher capacity
    ]
    update = read_events(calendar_mails()[1].calendar_body.encode())[0]
    assert update["sequence"] == 1
    assert update["uid"] == session.uid


def test_renaming_a_series_updates_the_calendars_and_a_new_description_does_not(
    db, organiser_client, programme, organiser
):
    series = factories.make_series(programme, organiser)
    invitation = factories.make_invitation(series, email="anna@example.org")
    session = series.sessions[0]
    answer(invitation, session, Answer.YES)
    db.session.commit()
    form = {
        "title": "Ontmoeting Gendt, ronde 2",
        "municipality": "Lingewaard",
        "venue": "0",
        "description": "",
        "reminder_days": "2",
        "tell_participants": "y",  # a new title alone is mailed only when asked
    }
    assert organiser_client.post(f"/series/{series.id}/edit", data=form).status_code == 302
    _invite, update = calendar_mails()
    [event] = read_events(update.calendar_body.encode())
    assert (method_of(update.calendar_body.encode()), event["sequence"]) == ("REQUEST", 1)
    assert "SUMMARY:Ontmoeting Gendt\\, ronde 2" in update.calendar_body  # a comma is escaped in iCalendar
    assert organiser_client.post(f"/series/{series.id}/edit", data=form | {"description": "Welkom!"}).status_code == 302
    assert len(calendar_mails()) == 2
    assert organiser_client.post(f"/series/{series.id}/edit", data=form | {"title": "  "}).status_code == 422
