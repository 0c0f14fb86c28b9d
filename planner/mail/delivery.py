"""Deliver the outbox over SMTP: claim a batch, send each message, record each outcome.

Guarantee: **at least once, with a stable Message-ID.** A worker claims a batch in one short
transaction (status ``sending``, a lease in ``claimed_until``) and commits before it talks to
the mail server, so no two workers ever hold the same row. Each outcome is then recorded in a
transaction of its own. If a worker dies after the server accepted a message but before the
outcome was committed, the row stays ``sending``; once the lease has expired another worker
sends it again. The copy carries the Message-ID fixed when the mail was queued (and the same
Date), so mail clients and servers that de-duplicate on Message-ID show it once. This window is
one SMTP transaction wide; exactly-once is not possible over SMTP.

Claiming is one statement, ``WITH claimable AS (SELECT id ... LIMIT n) UPDATE ... WHERE id IN
(SELECT id FROM claimable) AND <still due> RETURNING id``:

* on PostgreSQL the select takes ``FOR UPDATE SKIP LOCKED``, so concurrent workers on any
  number of machines pass over each other's rows instead of waiting for them;
* on SQLite (no ``SKIP LOCKED``, one writer at a time) the outer ``WHERE`` repeats the "due"
  condition, so the update is a compare-and-set: a row another process claimed first no longer
  matches and is not returned.

Leases are compared with the workers' clocks: keep machine clocks in sync (NTP). A worker sends
only while at least ``sending_margin`` of its lease is left, and the lease must be at least twice
``MAIL_TIMEOUT`` (``check_settings``), so every claim leaves time to send its first message.

A mail server that cannot be reached (no connection, no greeting, TLS or login refused) is the
server's problem, not the message's: the batch goes back to the queue as it was, without
counting an attempt or moving ``next_attempt_at``, and the worker waits longer between rounds
(``server_retry_pause``) until the server answers; then the queue goes out in its old order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from planner.extensions import db, rowcount
from planner.mail.models import MailStatus, OutboxMessage
from planner.mail.smtp import (
    ConnectionProblem,
    Envelope,
    PermanentFailure,
    SMTPSession,
    TemporaryFailure,
    build_message,
)
from planner.timekeeping import utcnow

MAX_BACKOFF = timedelta(hours=1)


class DeliverySettingsError(ValueError):
    """The mail settings cannot work; the message says which and what to set instead."""


def check_settings(config) -> None:
    """Refuse settings under which a worker would claim batches and never send them."""
    timeout, lease = config["MAIL_TIMEOUT"], config["MAIL_LEASE_SECONDS"]
    if timeout <= 0:
        raise DeliverySettingsError(f"MAIL_TIMEOUT is {timeout:g}: give a number of seconds above 0.")
    if lease < 2 * timeout:
        raise DeliverySettingsError(
            f"MAIL_LEASE_SECONDS ({lease:g}) must be at least twice MAIL_TIMEOUT ({timeout:g}): one "
            f"message may take a timeout to connect and one to send, and a worker must finish it "
            f"before its claim runs out. Set MAIL_LEASE_SECONDS to {2 * timeout:g} or more "
            f"(the default is 600), or lower MAIL_TIMEOUT."
        )


def sending_margin(config) -> timedelta:
    """How much of its lease a worker keeps back: it starts no message later than this
    before the lease ends. Two timeouts where the lease allows, never more than half of it,
    so that every claim has time for its first message."""
    timeout, lease = config["MAIL_TIMEOUT"], config["MAIL_LEASE_SECONDS"]
    return timedelta(seconds=min(2 * timeout, lease / 2))


def server_retry_pause(interval: float, unreachable_rounds: int, longest: float) -> float:
    """Seconds a worker waits before its next round: ``interval``, or while the server has
    been unreachable for that many rounds in a row, twice as long each time up to ``longest``."""
    if unreachable_rounds <= 0:
        return interval
    return min(interval * 2 ** min(unreachable_rounds - 1, 30), max(longest, interval))


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0  # temporary failure: queued again for later
    failed: int = 0  # permanent failure, or too many attempts
    released: int = 0  # handed back unsent because the worker was stopped
    deferred: int = 0  # handed back unsent, no attempt counted: the server could not be reached
    errors: list[str] = field(default_factory=list)
    unreachable: bool = False  # the mail server could not be reached (or refused our login)

    @property
    def handled(self) -> int:
        """Messages whose turn came and went; deferred ones are still waiting for theirs."""
        return self.sent + self.retried + self.failed + self.released

    def add(self, other: DeliveryReport) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.released += other.released
        self.deferred += other.deferred
        self.errors.extend(other.errors)
        self.unreachable = self.unreachable or other.unreachable


# -- claiming ---------------------------------------------------------------------------------


def _due(now: datetime):
    return or_(
        and_(OutboxMessage.status == MailStatus.QUEUED, OutboxMessage.next_attempt_at <= now),
        and_(OutboxMessage.status == MailStatus.SENDING, OutboxMessage.claimed_until < now),
    )


def claim_batch(limit: int, *, now: datetime | None = None, lease: timedelta | None = None) -> list[Envelope]:
    """Claim up to ``limit`` due messages for this worker and commit the claim.

    Counts the attempt now, so a message that crashes every worker that sends it still runs
    out of attempts.
    """
    now = now or utcnow()
    lease = lease or timedelta(seconds=current_app.config["MAIL_LEASE_SECONDS"])
    claimed_until = now + lease
    candidates = (
        select(OutboxMessage.id).where(_due(now)).order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    # A CTE, not a plain IN (subquery): PostgreSQL may run a subquery again for each row it
    # updates, and every run skips the rows this statement has just claimed (they count as
    # locked), so one claim could take far more than ``limit`` rows. A locking CTE runs once.
    claimable = candidates.cte("claimable")
    claim = (
        update(OutboxMessage)
        # Repeating the condition makes this a compare-and-set where SKIP LOCKED is missing.
        .where(OutboxMessage.id.in_(select(claimable.c.id)), _due(now))
        .values(
            status=MailStatus.SENDING,
            claimed_until=claimed_until,
            attempts=OutboxMessage.attempts + 1,
        )
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    try:
        ids = list(db.session.scalars(claim))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    if not ids:
        return []
    rows = db.session.execute(
        select(OutboxMessage.__table__).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    ).mappings()
    envelopes = [
        Envelope(
            id=row["id"],
            message_id=row["message_id"],
            to_address=row["to_address"],
            to_name=row["to_name"],
            language=row["language"],
            subject=row["subject"],
            body_text=row["body_text"],
            body_html=row["body_html"],
            calendar_method=row["calendar_method"],
            calendar_body=row["calendar_body"],
            reply_to=row["reply_to"],
            created_at=row["created_at"],
            attempts=row["attempts"],
            claimed_until=claimed_until,
        )
        for row in rows
    ]
    db.session.commit()  # end the read; SQLite must not hold a read lock while we send
    return envelopes


# -- recording outcomes -----------------------------------------------------------------------


def _record(envelope: Envelope, **values) -> bool:
    """Write an outcome if we still hold the claim; True when the row was ours."""
    statement = (
        update(OutboxMessage)
        .where(
            OutboxMessage.id == envelope.id,
            OutboxMessage.status == MailStatus.SENDING,
            OutboxMessage.claimed_until == envelope.claimed_until,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    try:
        updated = rowcount(db.session.execute(statement))
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return updated == 1


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after the 1st, 2nd, 3rd ... attempt, at most an hour."""
    return min(timedelta(minutes=2 ** min(max(attempts - 1, 0), 10)), MAX_BACKOFF)


def record_sent(envelope: Envelope, now: datetime) -> bool:
    return _record(envelope, status=MailStatus.SENT, sent_at=now, claimed_until=None, last_error="")


def record_failure(envelope: Envelope, error: str, *, permanent: bool, now: datetime) -> str:
    """Queue the message again with back-off, or give up on it; returns the new status."""
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    if not permanent and envelope.attempts >= max_attempts:
        permanent = True
        error = f"Gave up after {envelope.attempts} attempts. Last error: {error}"
    if permanent:
        _record(envelope, status=MailStatus.FAILED, claimed_until=None, last_error=error)
        return MailStatus.FAILED
    _record(
        envelope,
        status=MailStatus.QUEUED,
        claimed_until=None,
        next_attempt_at=now + backoff(envelope.attempts),
        last_error=error,
    )
    return MailStatus.QUEUED


def release(envelope: Envelope, error: str | None = None) -> bool:
    """Hand an unsent message back at once, not counting the attempt and keeping its place in
    the queue (``next_attempt_at``); with ``error``, say why it is still waiting."""
    values = {"last_error": error} if error is not None else {}
    return _record(
        envelope,
        status=MailStatus.QUEUED,
        claimed_until=None,
        attempts=OutboxMessage.attempts - 1,
        **values,
    )


# -- the loop ---------------------------------------------------------------------------------


def _record_failure(report: DeliveryReport, envelope: Envelope, error: str, *, permanent: bool, now: datetime):
    status = record_failure(envelope, error, permanent=permanent, now=now)
    report.failed += status == MailStatus.FAILED
    report.retried += status == MailStatus.QUEUED
    report.errors.append(error)


def deliver_batch(
    envelopes: Iterable[Envelope],
    *,
    now: Callable[[], datetime] = utcnow,
    should_stop: Callable[[], bool] = lambda: False,
) -> DeliveryReport:
    """Send claimed messages over one connection, recording each outcome on its own."""
    config = current_app.config
    report = DeliveryReport()
    smtp = SMTPSession(config)
    pending = list(envelopes)
    # Stop sending well before the lease runs out: after that another worker may take the row.
    margin = sending_margin(config)
    try:
        while pending:
            envelope = pending.pop(0)
            if should_stop() or now() >= envelope.claimed_until - margin:
                release(envelope)
                report.released += 1
                continue
            if envelope.attempts > config["MAIL_MAX_ATTEMPTS"]:
                # Claimed again after its lease expired more often than we allow: a poison
                # message, or workers dying. Give up rather than loop for ever.
                _record_failure(
                    report, envelope, "No outcome recorded (worker stopped or crashed).", permanent=True, now=now()
                )
                continue
            try:
                smtp.send(build_message(envelope, config["MAIL_DEFAULT_SENDER"]))
            except ConnectionProblem as error:
                # The server is unreachable: no message has been tried, so none loses an attempt
                # or its place in the queue; the worker backs off instead (server_retry_pause).
                report.unreachable = True
                report.errors.append(str(error))
                for waiting in [envelope, *pending]:
                    release(waiting, str(error))
                    report.deferred += 1
                pending = []
            except (TemporaryFailure, PermanentFailure) as error:
                permanent = isinstance(error, PermanentFailure)
                _record_failure(report, envelope, str(error), permanent=permanent, now=now())
            except Exception as error:
                # A surprise (a bug, an odd reply): count it as an attempt so that one message
                # cannot stop every batch it lands in, and keep the trace for whoever looks.
                current_app.logger.exception("Unexpected error delivering outbox message %s", envelope.id)
                smtp.close()
                _record_failure(report, envelope, f"Unexpected error: {error!r}", permanent=False, now=now())
            else:
                record_sent(envelope, now())
                report.sent += 1
    finally:
        for envelope in pending:  # only when something unexpected broke the loop
            release(envelope)
        smtp.close()
    return report


def deliver_due(
    *,
    batch_size: int | None = None,
    now: Callable[[], datetime] = utcnow,
    should_stop: Callable[[], bool] = lambda: False,
    max_batches: int | None = None,
) -> DeliveryReport:
    """Send everything that is due now, batch after batch, and return what happened."""
    batch_size = batch_size or current_app.config["MAIL_BATCH_SIZE"]
    report = DeliveryReport()
    batches = 0
    while not should_stop() and (max_batches is None or batches < max_batches):
        envelopes = claim_batch(batch_size, now=now())
        if not envelopes:
            break
        batches += 1
        batch = deliver_batch(envelopes, now=now, should_stop=should_stop)
        report.add(batch)
        if batch.unreachable:
            break  # the server is down: leave the rest of the queue for the next round
    return report
