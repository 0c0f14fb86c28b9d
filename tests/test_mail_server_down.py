"""A mail server that cannot be reached costs the mail nothing: it waits, and goes once the server is back."""

from __future__ import annotations

import socket
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from planner.mail.delivery import deliver_due, server_retry_pause
from planner.mail.models import MailStatus, OutboxMessage
from planner.timekeeping import utcnow
from tests.test_mail_cli import wait_for, worker_in_a_thread
from tests.test_mail_delivery import at, queue_many


def outbox(db) -> list[tuple[str, int]]:
    db.session.expire_all()
    return db.session.execute(select(OutboxMessage.status, OutboxMessage.attempts).order_by(OutboxMessage.id)).all()


def test_a_four_hour_outage_uses_up_no_attempts(app, db, smtp_server):
    assert app.config["MAIL_MAX_ATTEMPTS"] == 10
    smtp_server.stop()
    expected = queue_many(3)
    start = utcnow()
    for minutes in range(0, 5 * 60, 5):  # a worker round every five minutes, for five hours
        report = deliver_due(now=at(start + timedelta(minutes=minutes)))
        assert report.unreachable
        assert report.sent == report.failed == 0
    assert outbox(db) == [(MailStatus.QUEUED, 0)] * 3, "the outage used up the mails' attempts"

    smtp_server.start()
    back = start + timedelta(hours=5)
    assert deliver_due(now=at(back)).sent == 3
    assert sorted(smtp_server.message_ids()) == expected
    assert outbox(db) == [(MailStatus.SENT, 1)] * 3


def test_mail_keeps_its_order_through_an_outage(app, db, smtp_server):
    smtp_server.stop()
    expected = queue_many(5)
    order = [row.message_id for row in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
    for _ in range(3):
        deliver_due(batch_size=2)
    smtp_server.start()
    assert deliver_due(batch_size=2).sent == 5
    assert smtp_server.message_ids() == order
    assert sorted(order) == expected


def test_a_refusal_after_connecting_still_counts_for_the_message(app, db, smtp_server):
    smtp_server.answer("451 4.3.0 Mailbox busy, try again later")
    queue_many(1)
    report = deliver_due()
    assert report.retried == 1
    assert not report.unreachable
    assert outbox(db) == [(MailStatus.QUEUED, 1)]


@pytest.fixture
def silent_server(app, monkeypatch):
    """A server that takes the connection but never says a word (a hung or black-holed host)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)  # never accepted: the kernel completes the handshake, nobody greets
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", listener.getsockname()[1])
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 0.5)
    yield listener
    listener.close()


def test_a_server_that_never_answers_times_out_without_using_an_attempt(app, db, silent_server):
    queue_many(2)
    begun = time.monotonic()
    report = deliver_due()
    assert time.monotonic() - begun < 5, "the worker waited for the server beyond MAIL_TIMEOUT"
    assert report.unreachable
    assert report.deferred == 2
    assert report.retried == 0
    assert outbox(db) == [(MailStatus.QUEUED, 0)] * 2
    errors = db.session.scalars(select(OutboxMessage.last_error)).all()
    assert all("timed out" in error for error in errors), errors


def test_the_worker_waits_longer_while_the_server_stays_away():
    assert [server_retry_pause(5, rounds, 30) for rounds in range(7)] == [5, 5, 10, 20, 30, 30, 30]
    assert server_retry_pause(60, 3, 30) == 60, "the pause is never shorter than the interval"


def test_the_worker_sends_within_seconds_once_the_server_answers_again(app, db, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER_RETRY_MAX_SECONDS", 1)
    smtp_server.stop()
    expected = queue_many(2)
    lines: list[str] = []
    with worker_in_a_thread(app, lines):
        assert wait_for(lambda: sum("could not be reached" in line for line in lines) >= 5), lines
        assert outbox(db) == [(MailStatus.QUEUED, 0)] * 2
        smtp_server.start()
        back = time.monotonic()
        assert wait_for(lambda: len(smtp_server.messages) == 2, timeout=10), "nothing was sent"
        assert time.monotonic() - back < 3, "the queue waited too long once the server was back"
    assert sorted(smtp_server.message_ids()) == expected
    assert outbox(db) == [(MailStatus.SENT, 1)] * 2
