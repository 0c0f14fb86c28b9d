"""Replies from calendars become answers by the personal page's rules (no IMAP here)."""

from __future__ import annotations

import threading
from datetime import timedelta

import icalendar
import pytest
from sqlalchemy import func, select

from planner.extensions import db
from planner.invitations.models import Answer, Seat
from planner.invitations.services import answer, revoke_invitation
from planner.privacy.purge import purge_due_series
from planner.replies.models import CalendarReply, Outcome
from planner.replies.worker import handle_message
from planner.series.services import cancel_session
from planner.timekeeping import utcnow
from tests import factories
from tests.replies.corpus import build, reply_values
from tests.replies.helpers import (
    calendar_audit,
    mails_to,
    organizer_of_invite,
    reply_to_invite,
    templates_of,
)
from tests.test_calendar_invites import change

MAILBOX = "antwoord@reeks.example.org"


@pytest.fixture(autouse=True)
def reply_mailbox_address(app, monkeypatch):
    monkeypatch.setitem(app.config, "REPLY_MAILBOX_ADDRESS", MAILBOX)


@pytest.fixture
def series(programme, organiser):
    return factories.make_series(programme, organiser, title="Ontmoeting Gendt")


def invited(series, name, **answers):
    """A person invited to the series who answered on their personal page: answers[i] for session i."""
    invitation = factories.make_invitation(series, name=name, email=f"{name.lower()}@example.org")
    for index, given in answers.items():
        answer(invitation, series.sessions[int(index.removeprefix("s"))], given)
    db.session.commit()
    return invitation


def rsvp_of(invitation, session):
    db.session.expire_all()
    return next(r for r in invitation.rsvps if r.session_id == session.id)


def one_hour_later(session):
    """The organiser moves the session, as the series page does (a new SEQUENCE, updates sent)."""
    change(
        session,
        start=(session.local_start + timedelta(hours=1)).time(),
        end=(session.local_end + timedelta(hours=1)).time(),
    )


def full_session(series, capacity=1):
    session = series.sessions[0]
    session.capacity = capacity
    db.session.commit()
    return session


def test_invites_name_a_reply_address_of_the_mailbox_per_invitation_and_ask_for_a_reply(series):
    anna, bram = invited(series, "Anna", s0=Answer.YES), invited(series, "Bram", s0=Answer.YES)
    session = series.sessions[0]
    addresses = {organizer_of_invite(i, session) for i in (anna, bram)}
    assert addresses == {
        f"antwoord+{anna.reply_token}@reeks.example.org",
        f"antwoord+{bram.reply_token}@reeks.example.org",
    }
    assert anna.reply_token != anna.token, "the reply token is not the personal link"
    invite = next(m for m in mails_to(anna) if m.calendar_method == "REQUEST")
    event = next(iter(icalendar.Calendar.from_ical(invite.calendar_body).walk("VEVENT")))
    assert event["ATTENDEE"].params["RSVP"] == "TRUE"


def test_without_a_reply_mailbox_invites_stay_as_they_were(app, series, monkeypatch):
    monkeypatch.setitem(app.config, "REPLY_MAILBOX_ADDRESS", "")
    anna = invited(series, "Anna", s0=Answer.YES)
    assert organizer_of_invite(anna, series.sessions[0]) == "reeks@localhost"
    assert anna.reply_token is None


def test_a_decline_in_google_frees_the_seat_and_moves_the_waiting_list(series):
    session = full_session(series)
    anna, bram = invited(series, "Anna", s0=Answer.YES), invited(series, "Bram", s0=Answer.YES)
    assert rsvp_of(bram, session).is_waiting

    assert handle_message(reply_to_invite("google-declined.eml", anna, session)) == (Outcome.APPLIED, False)

    anna_rsvp, bram_rsvp = rsvp_of(anna, session), rsvp_of(bram, session)
    assert (anna_rsvp.answer, anna_rsvp.seat, anna_rsvp.answered_via) == (Answer.NO, None, "calendar")
    assert bram_rsvp.seat == Seat.CONFIRMED, "the first on the waiting list moved up"
    assert templates_of(anna)[-1] == "CANCEL", "Anna's calendar entry is taken away"
    assert mails_to(bram)[-1].calendar_method == "REQUEST"
    assert "plek" in mails_to(bram)[-1].subject
    [entry] = calendar_audit()
    assert (entry.object_type, entry.object_id, entry.detail) == (
        "rsvp",
        str(anna_rsvp.id),
        "answer no from a calendar reply",
    )


def test_an_accept_in_outlook_for_a_full_session_goes_on_the_waiting_list_and_says_so(series):
    session = full_session(series)
    invited(series, "Anna", s0=Answer.YES)
    carla = invited(series, "Carla", s0=Answer.MAYBE)  # maybe holds no seat, but has an invite

    outcome, _ = handle_message(reply_to_invite("outlook-accepted.eml", carla, session))

    rsvp = rsvp_of(carla, session)
    assert outcome == Outcome.APPLIED
    assert (rsvp.answer, rsvp.seat, rsvp.waitlist_position) == (Answer.YES, Seat.WAITING, 1)
    notice = mails_to(carla)[-1]
    assert "wachtlijst" in notice.subject
    assert "wachtlijst: nummer 1" in notice.body_text
    assert f"/i/{carla.token}" in notice.body_text


@pytest.mark.parametrize(
    ("name", "given"),
    [
        ("thunderbird-tentative.eml", Answer.MAYBE),
        ("apple-icloud-accepted.eml", Answer.YES),
        ("outlook-declined-winmail.eml", Answer.NO),
    ],
)
def test_each_clients_reply_gives_its_answer(series, name, given):
    session = series.sessions[1]
    dirk = invited(series, "Dirk", s1=Answer.YES if given != Answer.YES else Answer.MAYBE)
    assert handle_message(reply_to_invite(name, dirk, session))[0] == Outcome.APPLIED
    assert rsvp_of(dirk, session).answer == given


def test_the_organiser_sees_answered_in_the_calendar_with_the_time(organiser_client, series):
    session = series.sessions[0]
    anna = invited(series, "Anna", s0=Answer.YES)
    invited(series, "Bram", s0=Answer.YES)
    handle_message(reply_to_invite("google-declined.eml", anna, session))
    page = organiser_client.get(f"/series/{series.id}/invitations").get_data(as_text=True)
    when = rsvp_of(anna, session).answered_at.astimezone(session.local_start.tzinfo)
    anna_row = page.split('class="grid-name">Anna')[1].split("</tr>")[0]
    assert f'Nee</span> <span class="meta">(antwoord in de agenda, {when.day} ' in anna_row
    assert f"{when:%H:%M})" in page
    assert page.count("antwoord in de agenda") == 1, "Bram answered on his page"


def test_the_same_reply_twice_is_applied_once(series):
    session = full_session(series)
    anna, bram = invited(series, "Anna", s0=Answer.YES), invited(series, "Bram", s0=Answer.YES)
    reply = reply_to_invite("google-declined.eml", anna, session)
    assert handle_message(reply) == (Outcome.APPLIED, False)
    mails = len(mails_to(anna)) + len(mails_to(bram))

    assert handle_message(reply) == (Outcome.APPLIED, True), "the same message is known"
    resent = reply_to_invite("outlook-declined-winmail.eml", anna, session)  # the client sends again
    assert handle_message(resent)[0] in (Outcome.UNCHANGED, Outcome.IGNORED)

    assert len(mails_to(anna)) + len(mails_to(bram)) == mails, "no mail went twice"
    assert len(calendar_audit()) == 1
    assert db.session.scalar(select(func.count(CalendarReply.id))) == 2


def test_a_reply_to_an_older_version_of_the_session_is_ignored(series):
    session = series.sessions[0]
    anna = invited(series, "Anna", s0=Answer.YES)
    old_sequence = session.sequence
    one_hour_later(session)
    assert session.sequence == old_sequence + 1

    handle_message(reply_to_invite("google-declined.eml", anna, session, sequence=old_sequence))

    assert rsvp_of(anna, session).answer == Answer.YES
    record = db.session.scalar(select(CalendarReply))
    assert record.outcome == Outcome.IGNORED
    assert "older version" in record.reason


def answered_then(series, change):
    session = series.sessions[0]
    anna = invited(series, "Anna", s0=Answer.YES)
    reply = reply_to_invite("google-declined.eml", anna, session)
    change(anna, session)
    db.session.commit()
    return anna, session, reply


@pytest.mark.parametrize(
    ("what", "change", "reason"),
    [
        ("cancelled", lambda i, s: cancel_session(s, "De zaal is dicht", now=utcnow()), "session_cancelled"),
        ("withdrawn", lambda i, s: revoke_invitation(i), "invitation_revoked"),
        ("past", lambda i, s: setattr(s, "starts_at", utcnow() - timedelta(hours=1)), "session_started"),
    ],
)
def test_a_reply_for_a_cancelled_withdrawn_or_past_session_changes_nothing(series, what, change, reason):
    anna, session, reply = answered_then(series, change)
    answer_before = rsvp_of(anna, session).answer
    mails = len(mails_to(anna))
    assert handle_message(reply)[0] == Outcome.IGNORED
    assert rsvp_of(anna, session).answer == answer_before
    assert len(mails_to(anna)) == mails
    assert calendar_audit() == []
    assert db.session.scalar(select(CalendarReply.reason)) == reason


def test_an_answer_on_the_personal_page_after_the_reply_wins(series):
    session = series.sessions[0]
    anna = invited(series, "Anna", s0=Answer.YES)
    reply = reply_to_invite("google-declined.eml", anna, session, stamped=utcnow() - timedelta(minutes=5))
    answer(anna, session, Answer.MAYBE)
    db.session.commit()
    assert handle_message(reply)[0] == Outcome.IGNORED
    assert rsvp_of(anna, session).answer == Answer.MAYBE


def test_without_a_reply_address_uid_and_attendee_match_but_only_from_the_attendee(app, series, monkeypatch):
    session = series.sessions[0]
    anna = invited(series, "Anna", s0=Answer.YES)
    invited(series, "Bram", s0=Answer.YES)
    # An invite from before the reply mailbox was set: the reply goes to the plain sender address.
    genuine = reply_to_invite("google-declined.eml", anna, session, to="reeks@localhost")
    forged = reply_to_invite("google-declined.eml", anna, session, to="reeks@localhost").replace(
        b"From: Anna <anna@example.org>", b"From: Bram <bram@example.org>"
    )
    assert handle_message(forged)[0] == Outcome.REFUSED, "Bram cannot decline for Anna"
    assert rsvp_of(anna, session).answer == Answer.YES

    assert handle_message(genuine)[0] == Outcome.APPLIED
    assert rsvp_of(anna, session).answer == Answer.NO


def test_a_proposed_time_is_shown_to_the_organiser_never_applied_and_dropped_when_the_session_moves(
    organiser_client, series
):
    session = series.sessions[0]
    anna = invited(series, "Anna", s0=Answer.YES)
    proposed = (session.starts_at + timedelta(hours=1), session.ends_at + timedelta(hours=1))
    starts_before = session.starts_at

    counter = reply_to_invite("outlook-counter.eml", anna, session, proposed=proposed)
    assert handle_message(counter)[0] == Outcome.PROPOSAL

    rsvp = rsvp_of(anna, session)
    assert (rsvp.proposed_starts_at, rsvp.proposed_ends_at) == proposed
    assert rsvp.answer == Answer.YES, "a proposal is no answer"
    assert rsvp.answered_via is None, "a proposal is no answer"
    assert session.starts_at == starts_before
    page = organiser_client.get(f"/series/{series.id}/invitations").get_data(as_text=True)
    local = proposed[0].astimezone(session.local_start.tzinfo)
    assert "Andere tijden voorgesteld vanuit een agenda" in page
    assert "Anna: " in page
    assert f"{local:%H:%M}" in page
    assert "Kan het een uur later?" in page

    one_hour_later(session)  # the organiser takes the proposal
    assert (session.starts_at, session.ends_at) == proposed
    assert rsvp_of(anna, session).proposed_at is None


@pytest.mark.parametrize(
    ("name", "outcome"),
    [
        ("out-of-office-exchange.eml", Outcome.AUTO_REPLY),
        ("vacation-x-autoreply.eml", Outcome.AUTO_REPLY),
        ("plain-mail.eml", Outcome.NOT_CALENDAR),
        ("bounce-of-invite.eml", Outcome.AUTO_REPLY),
        ("broken-calendar.eml", Outcome.REFUSED),
        ("reply-without-attendee.eml", Outcome.REFUSED),
        ("outlook-winmail-only.eml", Outcome.REFUSED),
    ],
)
def test_other_mail_changes_nothing_and_is_recorded_with_its_kind(series, name, outcome):
    session = series.sessions[0]
    anna = invited(series, "Anna", s0=Answer.YES)
    mails = len(mails_to(anna))
    assert handle_message(reply_to_invite(name, anna, session)) == (outcome, False)
    assert rsvp_of(anna, session).answer == Answer.YES
    assert len(mails_to(anna)) == mails
    assert db.session.scalar(select(CalendarReply.outcome)) == outcome


def test_a_reply_for_an_unknown_session_is_refused(series):
    anna = invited(series, "Anna", s0=Answer.YES)
    session = series.sessions[0]
    values = reply_values(session, anna.person, organizer_of_invite(anna, session))
    reply = build("google-declined.eml", {**values, "UID": "somebody-elses-meeting@example.net"})
    assert handle_message(reply)[0] == Outcome.REFUSED
    assert db.session.scalar(select(CalendarReply.reason)) == "no session has this UID"


def test_the_purge_takes_the_reply_address_and_proposals_away(series):
    session = series.sessions[0]
    anna = invited(series, "Anna", s0=Answer.YES)
    handle_message(reply_to_invite("outlook-counter.eml", anna, session))
    purge_due_series(now=series.sessions[-1].ends_at + timedelta(days=800))
    db.session.commit()
    db.session.expire_all()
    assert anna.reply_token is None
    assert rsvp_of(anna, session).proposal_comment == ""


def test_two_workers_with_the_same_message_at_once_apply_it_once(second_app, series, monkeypatch):
    monkeypatch.setitem(second_app.config, "REPLY_MAILBOX_ADDRESS", MAILBOX)
    session = full_session(series)
    anna, bram = invited(series, "Anna", s0=Answer.YES), invited(series, "Bram", s0=Answer.YES)
    reply = reply_to_invite("google-declined.eml", anna, session)
    barrier, results = threading.Barrier(2, timeout=60), []

    def worker():
        with second_app.app_context():
            barrier.wait()
            results.append(handle_message(reply))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(results) == [(Outcome.APPLIED, False), (Outcome.APPLIED, True)], results
    assert len(calendar_audit()) == 1
    assert rsvp_of(bram, session).seat == Seat.CONFIRMED
    assert [m.subject for m in mails_to(bram)].count(mails_to(bram)[-1].subject) == 1, "one moved-up mail"
