"""End to end against a real Dovecot: invites go out, replies arrive by IMAP APPEND,
`flask mail replies` reads them, and every answer, mail and audit entry comes out right."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from planner.extensions import db
from planner.invitations.models import Answer, Seat
from planner.invitations.services import answer
from planner.mail.models import OutboxMessage
from planner.replies.imap import ImapSettings, Mailbox
from planner.replies.models import CalendarReply, Outcome
from planner.replies.worker import process_mailbox, watch
from tests import factories
from tests.replies.helpers import calendar_audit, mails_to, reply_to_invite

DONE, REFUSED, OTHER = "Reeks-verwerkt", "Reeks-geweigerd", "Reeks-overig"


@pytest.fixture
def series(programme, organiser):
    series = factories.make_series(programme, organiser, title="Ontmoeting Gendt")
    series.sessions[0].capacity = 2
    db.session.commit()
    return series


def invited(series, name, answers):
    invitation = factories.make_invitation(series, name=name, email=f"{name.lower()}@example.org")
    for index, given in answers.items():
        answer(invitation, series.sessions[index], given)
    db.session.commit()
    return invitation


def rsvp_of(invitation, session):
    db.session.expire_all()
    return next(r for r in invitation.rsvps if r.session_id == session.id)


def run_replies(app, *args):
    result = app.test_cli_runner().invoke(args=["mail", "replies", *args])
    db.session.expire_all()
    return result


def counts():
    return (
        db.session.scalar(select(func.count(OutboxMessage.id))),
        len(calendar_audit()),
        db.session.scalar(select(func.count(CalendarReply.id))),
    )


def test_replies_from_every_client_arrive_by_imap_and_become_answers_once(app, series, reply_mailbox):
    first, second = series.sessions[0], series.sessions[1]
    anna = invited(series, "Anna", {0: Answer.YES, 1: Answer.YES})
    bram = invited(series, "Bram", {0: Answer.YES})
    carla = invited(series, "Carla", {0: Answer.YES})  # the session is full: Carla waits
    dirk = invited(series, "Dirk", {0: Answer.MAYBE, 1: Answer.MAYBE})
    assert rsvp_of(carla, first).is_waiting
    reply_mailbox.deliver(
        reply_to_invite("google-declined.eml", anna, first),  # frees a seat: Carla moves up
        reply_to_invite("outlook-accepted.eml", dirk, first),  # full again: Dirk waits, and is told
        reply_to_invite("thunderbird-tentative.eml", anna, second),
        reply_to_invite("apple-icloud-accepted.eml", dirk, second),
        reply_to_invite("outlook-counter.eml", bram, first),
        reply_to_invite("out-of-office-exchange.eml", bram, first),
        reply_to_invite("plain-mail.eml", bram, first),
        reply_to_invite("broken-calendar.eml", bram, first),
        reply_to_invite("outlook-winmail-only.eml", bram, first),
    )

    result = run_replies(app)

    assert result.exit_code == 0, result.output
    assert (
        "Read 9 message(s): 4 answer(s) changed, 0 unchanged, 1 proposed time(s), 0 ignored, 2 refused, "
        "1 automatic repl(y/ies), 1 other mail(s)"
    ) in result.output
    assert rsvp_of(anna, first).answer == Answer.NO
    assert rsvp_of(anna, second).answer == Answer.MAYBE
    assert rsvp_of(carla, first).seat == Seat.CONFIRMED, "Carla moved up into Anna's seat"
    dirk_first = rsvp_of(dirk, first)
    assert (dirk_first.answer, dirk_first.seat, dirk_first.waitlist_position) == (Answer.YES, Seat.WAITING, 1)
    assert rsvp_of(dirk, second).answer == Answer.YES
    assert rsvp_of(dirk, second).seat == Seat.CONFIRMED
    assert rsvp_of(bram, first).answer == Answer.YES
    assert rsvp_of(bram, first).proposed_at is not None
    assert any("wachtlijst: nummer 1" in m.body_text for m in mails_to(dirk)), "Dirk is told he waits"
    assert mails_to(carla)[-1].calendar_method == "REQUEST", "Carla gets the invite with her place"
    assert len(calendar_audit()) == 5, "four answers and one proposal are in the audit trail"
    assert reply_mailbox.count("INBOX") == 0
    assert (reply_mailbox.count(DONE), reply_mailbox.count(REFUSED), reply_mailbox.count(OTHER)) == (5, 2, 2)
    assert reply_mailbox.subjects(OTHER) == ["Automatisch antwoord: Ontmoeting Gendt", "Re: Ontmoeting Gendt"]

    before = counts()
    again = run_replies(app)
    assert again.exit_code == 0
    assert "Read 0 message(s)" in again.output
    assert counts() == before, "a second run applies nothing"


def test_a_crash_between_commit_and_move_processes_nothing_twice(app, series, reply_mailbox):
    first = series.sessions[0]
    anna, bram = invited(series, "Anna", {0: Answer.YES}), invited(series, "Bram", {0: Answer.YES})
    invited(series, "Carla", {0: Answer.YES})
    reply_mailbox.deliver(reply_to_invite("google-declined.eml", anna, first))

    class Crash(Exception):
        pass

    class CrashingMailbox(Mailbox):
        def move(self, uid, folder):
            raise Crash("the worker died after its commit, before the move")

    settings = ImapSettings.from_config(app.config)
    mailbox = CrashingMailbox.open(settings)
    with pytest.raises(Crash), mailbox:
        process_mailbox(mailbox)
    assert rsvp_of(anna, first).answer == Answer.NO, "the answer was committed"
    assert reply_mailbox.count("INBOX") == 1, "but the message is still there"
    before = counts()

    result = run_replies(app)

    assert "1 handled before and only moved now" in result.output, result.output
    assert counts() == before, "no second answer, mail or audit entry"
    assert (reply_mailbox.count("INBOX"), reply_mailbox.count(DONE)) == (0, 1)
    assert rsvp_of(bram, first).seat == Seat.CONFIRMED


def test_without_move_the_message_is_copied_flagged_and_expunged(app, series, reply_mailbox):
    anna = invited(series, "Anna", {0: Answer.YES})
    reply_mailbox.deliver(
        reply_to_invite("google-declined.eml", anna, series.sessions[0]),
        reply_to_invite("plain-mail.eml", anna, series.sessions[0]),
    )
    with Mailbox.open(ImapSettings.from_config(app.config)) as mailbox:
        mailbox.can_move = False
        report = process_mailbox(mailbox)
    assert report.outcomes == {Outcome.APPLIED: 1, Outcome.NOT_CALENDAR: 1}
    assert (reply_mailbox.count("INBOX"), reply_mailbox.count(DONE), reply_mailbox.count(OTHER)) == (0, 1, 1)


def test_watch_waits_with_idle_and_applies_a_reply_as_it_arrives(app, series, reply_mailbox):
    first = series.sessions[0]
    anna = invited(series, "Anna", {0: Answer.YES})
    reply = reply_to_invite("google-declined.eml", anna, first)
    settings = ImapSettings.from_config(app.config)
    stop, lines, failures = threading.Event(), [], []

    def worker():
        with app.app_context():
            try:
                watch(settings, stop, idle_seconds=30, retry_seconds=1, echo=lambda line, **kw: lines.append(line))
            except BaseException as error:  # reported below, not lost in the thread
                failures.append(error)

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    try:
        time.sleep(1)  # the worker has read the empty folder and waits in IDLE
        reply_mailbox.deliver(reply)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and rsvp_of(anna, first).answer != Answer.NO:
            db.session.rollback()  # a fresh look at what the worker committed
            time.sleep(0.2)
    finally:
        stop.set()
        thread.join(timeout=15)
    assert not thread.is_alive(), "the worker stops when asked"
    assert failures == []
    assert rsvp_of(anna, first).answer == Answer.NO
    assert any("1 answer(s) changed" in line for line in lines), lines
    assert reply_mailbox.count(DONE) == 1


def test_a_wrong_password_is_a_clear_error(app, reply_mailbox, monkeypatch):
    monkeypatch.setitem(app.config, "REPLY_IMAP_PASSWORD", "not the password")
    result = run_replies(app)
    assert result.exit_code != 0
    assert "Could not read the reply mailbox" in result.output


def test_without_settings_the_command_says_what_to_set(app, monkeypatch):
    monkeypatch.setitem(app.config, "REPLY_IMAP_HOST", "")
    result = run_replies(app)
    assert result.exit_code == 2
    assert "REPLY_IMAP_HOST" in result.output
