"""Mail leaves the outbox over real SMTP: once, in order, and never lost."""

from __future__ import annotations

import smtplib
import ssl
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from planner.extensions import db as _db
from planner.mail.delivery import (
    build_message,
    claim_batch,
    deliver_batch,
    deliver_due,
    sending_margin,
)
from planner.mail.models import MailStatus, OutboxMessage
from planner.mail.outcomes import backoff
from planner.mail.services import queue_mail
from planner.timekeeping import utcnow


def queue(to_address="ida@example.org", to_name="Ïda de Vries", language="nl", reference="test"):
    return queue_mail(
        to_address=to_address,
        to_name=to_name,
        language=language,
        template="test",
        context={},
        reference=reference,
    )


def queue_many(count: int) -> list[str]:
    messages = [queue(to_address=f"person{n}@example.org", to_name=f"Person {n}") for n in range(count)]
    _db.session.commit()
    return sorted(m.message_id for m in messages)


def at(moment):
    return lambda: moment


def reload(message: OutboxMessage) -> OutboxMessage:
    _db.session.expire_all()
    return _db.session.get(OutboxMessage, message.id)


def test_queued_mail_is_delivered_with_headers_parts_and_language(app, db, smtp_server):
    message = queue(language="en")
    db.session.commit()
    stored_id, subject = message.message_id, message.subject

    report = deliver_due()

    assert report.sent == 1
    assert report.failed == report.retried == 0
    [received] = smtp_server.messages
    assert smtp_server.envelopes == [("reeks@localhost", ["ida@example.org"])]
    assert received["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert received["To"].addresses[0].display_name == "Ïda de Vries"
    assert received["To"].addresses[0].addr_spec == "ida@example.org"
    assert received["Subject"] == subject == "Test message from Reeks"
    assert received["Message-ID"] == stored_id
    assert received["Date"].datetime is not None
    assert received["Content-Language"] == "en"
    assert received.get_content_type() == "multipart/alternative"
    text, html = received.iter_parts()
    assert text.get_content_type() == "text/plain"
    assert "mail settings work" in text.get_content()
    assert html.get_content_type() == "text/html"
    assert '<html lang="en">' in html.get_content()
    message = reload(message)
    assert message.status == MailStatus.SENT
    assert message.attempts == 1
    assert message.sent_at
    assert message.claimed_until is None
    assert message.last_error == ""


def test_the_recipient_name_is_encoded_on_the_wire(app, db, smtp_server):
    queue(to_name='Ïda "de" Vries, jr.')
    db.session.commit()
    deliver_due()
    [received] = smtp_server.messages
    raw_to = received.as_bytes().split(b"\nTo: ", 1)[1].split(b"\n", 1)[0]
    assert raw_to.isascii()
    assert b"=?utf-8?" in raw_to
    assert received["To"].addresses[0].display_name == 'Ïda "de" Vries, jr.'


def test_nothing_is_sent_for_a_rolled_back_transaction(app, db, smtp_server):
    queue()
    db.session.rollback()
    assert deliver_due().sent == 0
    assert smtp_server.messages == []
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def in_another_worker(app, work):
    """Run ``work()`` in a thread with its own app context and database connection."""
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                results.append(work())
                _db.session.remove()
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert errors == []
    return results[0]


def test_a_worker_sends_nothing_until_the_transaction_commits(app, db, smtp_server):
    message = queue()
    if db.engine.dialect.name == "postgresql":
        # The row is written but not committed. (SQLite has one writer at a time: a worker
        # would wait for this transaction, so there the row stays in the session until commit.)
        db.session.flush()
    assert in_another_worker(app, deliver_due).handled == 0
    assert smtp_server.messages == []
    db.session.commit()
    assert in_another_worker(app, deliver_due).sent == 1
    assert smtp_server.message_ids() == [message.message_id]


def test_mail_waits_while_the_server_is_down_and_goes_out_once_it_is_back(app, db, smtp_server):
    smtp_server.stop()
    message = queue()
    db.session.commit()
    queued_for = reload(message).next_attempt_at
    now = utcnow()

    report = deliver_due(now=at(now))

    assert report.sent == 0
    assert report.retried == 0
    assert report.deferred == 1
    assert report.unreachable
    message = reload(message)
    assert message.status == MailStatus.QUEUED
    assert message.attempts == 0, "a connection that never reached the server counted as an attempt"
    assert "Cannot connect" in message.last_error
    assert message.next_attempt_at == queued_for, "the message lost its place in the queue"

    smtp_server.start()
    back = now + timedelta(seconds=5)
    assert deliver_due(now=at(back)).sent == 1, "the mail waited once the server was back"
    assert deliver_due(now=at(now + timedelta(hours=2))).sent == 0
    assert smtp_server.message_ids() == [message.message_id]
    message = reload(message)
    assert message.status == MailStatus.SENT
    assert message.attempts == 1
    assert message.last_error == ""


def test_a_temporary_refusal_is_retried_with_growing_pauses(app, db, smtp_server):
    smtp_server.answer("451 4.3.0 Mailbox busy, try again later")
    message = queue()
    db.session.commit()
    now = utcnow()

    deliver_due(now=at(now))
    message = reload(message)
    assert message.status == MailStatus.QUEUED
    assert message.attempts == 1
    assert message.last_error == "451 4.3.0 Mailbox busy, try again later"
    assert message.next_attempt_at == now + timedelta(minutes=1)

    now += timedelta(minutes=1)
    deliver_due(now=at(now))
    message = reload(message)
    assert message.attempts == 2
    assert message.next_attempt_at == now + timedelta(minutes=2)

    smtp_server.accept()
    now += timedelta(minutes=2)
    assert deliver_due(now=at(now)).sent == 1
    assert smtp_server.message_ids() == [message.message_id]
    assert reload(message).status == MailStatus.SENT


def test_back_off_doubles_up_to_an_hour():
    assert [backoff(n) // timedelta(minutes=1) for n in range(1, 10)] == [1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_a_temporary_refusal_after_data_is_retried_too(app, db, smtp_server):
    smtp_server.answer("452 4.3.1 Insufficient system storage", at="DATA")
    message = queue()
    db.session.commit()
    assert deliver_due().retried == 1
    assert reload(message).status == MailStatus.QUEUED


def test_a_permanent_refusal_marks_the_mail_failed_with_the_servers_answer(app, db, smtp_server):
    smtp_server.answer("550 5.1.1 <ida@example.org>: Recipient address rejected: User unknown")
    message = queue()
    db.session.commit()
    now = utcnow()

    report = deliver_due(now=at(now))

    assert report.failed == 1
    assert report.sent == 0
    message = reload(message)
    assert message.status == MailStatus.FAILED
    assert message.attempts == 1
    assert message.last_error == "550 5.1.1 <ida@example.org>: Recipient address rejected: User unknown"
    smtp_server.accept()
    assert deliver_due(now=at(now + timedelta(days=1))).handled == 0
    assert smtp_server.messages == []


def test_a_mail_is_given_up_after_the_maximum_number_of_attempts(app, db, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    smtp_server.answer("421 4.7.0 Try again later")
    message = queue()
    db.session.commit()
    now = utcnow()
    for _ in range(3):
        deliver_due(now=at(now))
        now += timedelta(hours=1)
    message = reload(message)
    assert message.status == MailStatus.FAILED
    assert message.attempts == 3
    assert message.last_error.startswith("Gave up after 3 attempts")
    assert "421" in message.last_error


def test_an_invalid_address_fails_without_bothering_the_server(app, db, smtp_server):
    bad = queue(to_address="not an address")
    good = queue(to_address="good@example.org")
    db.session.commit()
    report = deliver_due()
    assert report.sent == 1
    assert report.failed == 1
    bad = reload(bad)
    assert bad.status == MailStatus.FAILED
    assert "Invalid recipient address" in bad.last_error
    assert smtp_server.envelopes == [("reeks@localhost", ["good@example.org"])]
    assert reload(good).status == MailStatus.SENT


def test_a_worker_killed_mid_batch_is_taken_over_after_the_lease(app, db, smtp_server):
    expected = queue_many(3)
    now = utcnow()
    lease = timedelta(seconds=app.config["MAIL_LEASE_SECONDS"])
    claimed = claim_batch(10, now=now)  # ...and the worker dies here, holding the claim
    assert len(claimed) == 3
    # The first message had reached the server before the crash; its outcome was never recorded.
    with smtplib.SMTP(smtp_server.host, smtp_server.port) as connection:
        connection.send_message(build_message(claimed[0], app.config["MAIL_DEFAULT_SENDER"]))

    assert deliver_due(now=at(now + lease - timedelta(seconds=1))).handled == 0  # still leased
    report = deliver_due(now=at(now + lease + timedelta(seconds=1)))

    assert report.sent == 3
    ids = smtp_server.message_ids()
    assert sorted(set(ids)) == expected  # nothing lost
    assert ids.count(claimed[0].message_id) == 2  # the crashed one again, with the same Message-ID
    assert sorted(ids[1:]) == expected  # and every message exactly once after the take-over
    first = [m for m in smtp_server.messages if m["Message-ID"] == claimed[0].message_id]
    assert first[0]["Date"] == first[1]["Date"]
    statuses = db.session.execute(select(OutboxMessage.status, OutboxMessage.attempts)).all()
    assert statuses == [(MailStatus.SENT, 2)] * 3


def test_a_late_worker_cannot_record_over_a_take_over(app, db, smtp_server):
    queue_many(1)
    now = utcnow()
    lease = timedelta(seconds=app.config["MAIL_LEASE_SECONDS"])
    [stale] = claim_batch(10, now=now)
    later = now + lease + timedelta(seconds=1)
    [fresh] = claim_batch(10, now=later)
    assert fresh.id == stale.id
    assert fresh.claimed_until != stale.claimed_until
    from planner.mail.outcomes import record_failure

    record_failure(stale, "451 late news", permanent=False, now=later)  # ignored: not ours now
    message = db.session.get(OutboxMessage, fresh.id)
    assert message.status == MailStatus.SENDING
    assert message.last_error == ""
    assert deliver_batch([fresh], now=at(later)).sent == 1
    assert len(smtp_server.messages) == 1


def test_a_stopped_worker_hands_back_what_it_has_not_sent(app, db, smtp_server):
    queue_many(4)
    batch = claim_batch(10)
    sent = []
    report = deliver_batch(batch, should_stop=lambda: bool(smtp_server.messages) or bool(sent.append(1)))
    assert report.sent == 1
    assert report.released == 3
    rows = db.session.execute(
        select(OutboxMessage.status, OutboxMessage.attempts, OutboxMessage.claimed_until).where(
            OutboxMessage.status != MailStatus.SENT
        )
    ).all()
    assert rows == [(MailStatus.QUEUED, 0, None)] * 3
    assert deliver_due().sent == 3


def test_a_worker_does_not_send_when_its_lease_is_about_to_run_out(app, db, smtp_server):
    queue_many(2)
    now = utcnow()
    batch = claim_batch(10, now=now)
    late = batch[0].claimed_until - timedelta(seconds=1)
    report = deliver_batch(batch, now=at(late))
    assert report.released == 2
    assert smtp_server.messages == []


def test_workers_side_by_side_send_every_message_exactly_once(app, db, smtp_server):
    expected = queue_many(300)
    workers = 4
    start = threading.Barrier(workers)
    errors = []

    def work():
        try:
            with app.app_context():
                start.wait()
                while deliver_due(batch_size=7, max_batches=1).handled:
                    pass
                _db.session.remove()
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert sorted(smtp_server.message_ids()) == expected
    assert (
        db.session.scalar(
            select(func.count()).where(OutboxMessage.status == MailStatus.SENT, OutboxMessage.attempts == 1)
        )
        == 300
    )


def test_concurrent_claims_never_hand_out_the_same_message(app, db):
    queue_many(200)
    workers = 6
    start = threading.Barrier(workers)
    claims: list[list[int]] = []
    errors = []

    def claim():
        try:
            with app.app_context():
                start.wait()
                mine = []
                while batch := claim_batch(5):
                    mine.extend(envelope.id for envelope in batch)
                claims.append(mine)
                _db.session.remove()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=claim) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    every = [message_id for mine in claims for message_id in mine]
    assert len(every) == len(set(every)) == 200
    assert sum(1 for mine in claims if mine) > 1  # the work was really shared
    assert all(len(mine) % 5 == 0 for mine in claims)  # in whole batches of five


def test_a_dropped_connection_is_retried_and_the_batch_goes_on(app, db, smtp_server):
    from tests.smtp import HANG_UP

    first = queue(to_address="first@example.org")
    second = queue(to_address="second@example.org")
    db.session.commit()
    smtp_server.answer(HANG_UP, at="DATA")

    report = deliver_due()

    assert report.retried == 1
    assert report.sent == 1
    first = reload(first)
    assert first.status == MailStatus.QUEUED
    assert "SMTPServerDisconnected" in first.last_error
    assert reload(second).status == MailStatus.SENT
    assert smtp_server.message_ids() == [second.message_id]


def test_a_421_reply_closes_the_connection_and_the_next_message_reconnects(app, db, smtp_server):
    first = queue(to_address="first@example.org")
    second = queue(to_address="second@example.org")
    db.session.commit()
    smtp_server.answer("421 4.3.2 Service shutting down", at="DATA")
    checks = []

    def accept_from_the_second_message_on():  # deliver_batch asks this before each message
        checks.append(1)
        if len(checks) == 2:
            smtp_server.accept()
        return False

    report = deliver_batch(claim_batch(10), should_stop=accept_from_the_second_message_on)

    assert report.retried == 1
    assert report.sent == 1
    assert reload(first).last_error.startswith("421 4.3.2")
    assert reload(second).status == MailStatus.SENT


def trust(monkeypatch, certificate):
    """Make the worker's verified TLS contexts trust the test server's self-signed certificate."""
    original = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda *a, **kw: original(cafile=str(certificate)))


@pytest.fixture
def trust_certificate(monkeypatch, smtp_certificate):
    trust(monkeypatch, smtp_certificate[0])


def test_starttls_and_login(app, db, smtp_server, smtp_certificate, trust_certificate, monkeypatch):
    smtp_server.secure(*smtp_certificate, login=("reeks", "geheim wachtwoord"))
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", True)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "reeks")
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "geheim wachtwoord")
    message = queue()
    db.session.commit()
    assert deliver_due().sent == 1
    assert smtp_server.message_ids() == [message.message_id]


def test_tls_from_the_start(app, db, smtp_server, smtp_certificate, trust_certificate, monkeypatch):
    smtp_server.secure(*smtp_certificate, implicit=True)
    monkeypatch.setitem(app.config, "MAIL_USE_SSL", True)
    queue()
    db.session.commit()
    assert deliver_due().sent == 1


def test_a_wrong_password_or_an_untrusted_certificate_keeps_mail_queued(
    app, db, smtp_server, smtp_certificate, monkeypatch
):
    smtp_server.secure(*smtp_certificate, login=("reeks", "geheim wachtwoord"))
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", True)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "reeks")
    monkeypatch.setitem(app.config, "MAIL_PASSWORD", "fout")
    message = queue()
    db.session.commit()
    now = utcnow()

    # Settings the server refuses are the server's problem, not the message's: no attempt counts.
    assert deliver_due(now=at(now)).deferred == 1  # the certificate is not trusted
    assert "CERTIFICATE_VERIFY_FAILED" in reload(message).last_error

    trust(monkeypatch, smtp_certificate[0])
    assert deliver_due(now=at(now + timedelta(hours=1))).deferred == 1  # the password is wrong
    message = reload(message)
    assert message.status == MailStatus.QUEUED
    assert message.last_error.startswith("535")
    assert message.attempts == 0
    assert smtp_server.messages == []


def test_a_message_that_cannot_be_built_fails_and_the_batch_goes_on(app, db, smtp_server):
    broken = queue()
    broken.subject = "Two\nlines"
    good = queue(to_address="good@example.org")
    db.session.commit()
    report = deliver_due()
    assert report.failed == 1
    assert report.sent == 1
    broken = reload(broken)
    assert broken.status == MailStatus.FAILED
    assert broken.last_error.startswith("Cannot build the message")
    assert smtp_server.message_ids() == [good.message_id]


def test_an_unexpected_error_counts_as_an_attempt_and_does_not_stop_the_batch(app, db, smtp_server, monkeypatch):
    from planner.mail import delivery

    first = queue(to_address="first@example.org")
    second = queue(to_address="second@example.org")
    db.session.commit()
    real_build = delivery.build_message

    def build(envelope, sender):
        if envelope.to_address == "first@example.org":
            raise RuntimeError("surprise")
        return real_build(envelope, sender)

    monkeypatch.setattr(delivery, "build_message", build)
    report = deliver_due()
    assert report.retried == 1
    assert report.sent == 1
    first = reload(first)
    assert first.status == MailStatus.QUEUED
    assert first.attempts == 1
    assert "surprise" in first.last_error
    assert reload(second).status == MailStatus.SENT


def test_a_refused_message_does_not_hold_up_the_rest_of_the_queue(app, db, smtp_server):
    smtp_server.answer("450 4.2.0 Greylisted, try again later")
    queue(to_address="greylisted@example.org")
    db.session.commit()
    assert deliver_due(batch_size=1).retried == 1
    smtp_server.accept()
    later = queue_many(3)
    assert deliver_due(batch_size=1).sent == 3
    assert sorted(smtp_server.message_ids()) == later


def test_an_unreachable_server_ends_the_round(app, db, smtp_server):
    smtp_server.stop()
    queue_many(5)
    report = deliver_due(batch_size=2)
    assert report.unreachable  # one batch tried, the rest left queued
    assert report.deferred == 2
    assert report.handled == 0


def test_a_claim_takes_no_more_than_the_batch_size(app, db):
    queue_many(20)
    for size in (1, 2, 7):
        assert len(claim_batch(size)) == size
    assert len(claim_batch(50)) == 10


def test_a_batch_is_sent_with_a_lease_of_60_and_a_timeout_of_30(app, db, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_LEASE_SECONDS", 60)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 30)
    expected = queue_many(3)
    report = deliver_due()
    assert report.released == 0, "the worker handed its batch back instead of sending it"
    assert report.sent == 3
    assert sorted(smtp_server.message_ids()) == expected


def test_a_short_lease_is_used_for_sending_up_to_its_half(app, db, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_LEASE_SECONDS", 60)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 30)
    queue_many(2)
    now = utcnow()
    first, second = claim_batch(10, now=now)
    assert deliver_batch([first], now=at(now + timedelta(seconds=29))).sent == 1
    assert deliver_batch([second], now=at(now + timedelta(seconds=31))).released == 1
    assert smtp_server.message_ids() == [first.message_id]


def test_the_margin_is_two_timeouts_where_the_lease_allows_it():
    def margin(lease, timeout):
        return sending_margin({"MAIL_LEASE_SECONDS": lease, "MAIL_TIMEOUT": timeout}).total_seconds()

    settings = [(600, 30), (120, 30), (60, 30), (10, 5)]
    margins = {(lease, timeout): margin(lease, timeout) for lease, timeout in settings}
    assert margins == {(600, 30): 60, (120, 30): 60, (60, 30): 30, (10, 5): 5}
