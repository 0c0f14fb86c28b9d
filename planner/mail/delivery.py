"""Deliver the outbox over SMTP: claim a batch, send it over one connection, record the outcomes.

Guarantee: **at least once, with a stable Message-ID.** A worker claims a batch in one short
transaction (status ``sending``, a lease in ``claimed_until``) and commits before it talks to
the mail server, so no two workers ever hold the same row. The outcomes are then written
together: one UPDATE for the messages sent, one per failure (each has its own error and next
try), at the end of the batch and at least every ``RECORD_EVERY_SECONDS`` in between. If a worker
dies after the server accepted a message but before its outcome was committed, the row stays
``sending``; once the lease has expired another worker sends it again. The copy carries the
Message-ID fixed when the mail was queued (and the same Date), so mail clients and servers that
de-duplicate on Message-ID show it once. The window for such a copy is the messages sent since
the last write (at most a batch, at most about a second of sending); exactly-once is not
possible over SMTP.

Each message is built once. A connection that drops before a message's data was complete (an
idle connection the server closed, a reset during MAIL or RCPT) is opened again and the same
message sent over it at once: the server cannot have had it (``NotHandedOver``).

Claiming is one statement, ``WITH claimable AS (SELECT id ... LIMIT n) UPDATE ... WHERE id IN
(SELECT id FROM claimable) AND <still due> RETURNING ...``:

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

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import fields
from datetime import datetime, timedelta
from email.utils import parseaddr
from functools import partial

from flask import current_app
from sqlalchemy import and_, or_, select, update

from planner.extensions import db
from planner.mail.models import MailStatus, OutboxMessage
from planner.mail.outcomes import DeliveryReport, Outcomes
from planner.mail.smtp import (
    ConnectionProblem,
    Envelope,
    NotHandedOver,
    Outgoing,
    PermanentFailure,
    SMTPSession,
    TemporaryFailure,
    build_message,
    outgoing,
)
from planner.timekeeping import utcnow


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
    columns = [OutboxMessage.__table__.c[name] for name in _ENVELOPE_COLUMNS]
    claim = (
        update(OutboxMessage)
        # Repeating the condition makes this a compare-and-set where SKIP LOCKED is missing.
        .where(OutboxMessage.id.in_(select(claimable.c.id)), _due(now))
        .values(
            status=MailStatus.SENDING,
            claimed_until=claimed_until,
            attempts=OutboxMessage.attempts + 1,
        )
        .returning(*columns)
        .execution_options(synchronize_session=False)
    )
    try:
        rows = db.session.execute(claim).all()
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    # Sent oldest first (RETURNING keeps no order).
    return sorted(
        (Envelope(**dict(zip(_ENVELOPE_COLUMNS, row, strict=True)), claimed_until=claimed_until) for row in rows),
        key=lambda envelope: envelope.id,
    )


# Every field of an Envelope but the claim, which the claim itself gives.
_ENVELOPE_COLUMNS = [field.name for field in fields(Envelope) if field.name != "claimed_until"]


# -- the loop ---------------------------------------------------------------------------------


def _in_time(envelope: Envelope, now: Callable[[], datetime], margin: timedelta) -> bool:
    return now() < envelope.claimed_until - margin


def _send(smtp: SMTPSession, message: Outgoing, may_retry: Callable[[], bool]) -> None:
    """Send over the batch's connection; one dropped before the server had the message is
    opened again and the same message sent at once, while the lease allows."""
    try:
        smtp.send(message)
    except NotHandedOver:
        if not may_retry():
            raise
        smtp.send(message)


def deliver_batch(
    envelopes: Iterable[Envelope],
    *,
    now: Callable[[], datetime] = utcnow,
    should_stop: Callable[[], bool] = lambda: False,
) -> DeliveryReport:
    """Send claimed messages over one connection; outcomes are written together (``Outcomes``)."""
    config = current_app.config
    sender, max_attempts = config["MAIL_DEFAULT_SENDER"], config["MAIL_MAX_ATTEMPTS"]
    from_address = parseaddr(sender)[1]
    outcomes = Outcomes()
    smtp = SMTPSession(config)
    pending = deque(envelopes)
    # Stop sending well before the lease runs out: after that another worker may take the row.
    margin = sending_margin(config)
    try:
        while pending:
            envelope = pending.popleft()
            in_time = partial(_in_time, envelope, now, margin)
            if should_stop() or not in_time():
                outcomes.add_released([envelope])
                continue
            if envelope.attempts > max_attempts:
                # Claimed again after its lease expired more often than we allow: a poison
                # message, or workers dying. Give up rather than loop for ever.
                error = "No outcome recorded (worker stopped or crashed)."
                outcomes.add_failure(envelope, error, permanent=True, now=now())
                continue
            try:
                message = outgoing(build_message(envelope, sender), from_address, envelope.to_address)
                _send(smtp, message, in_time)
            except ConnectionProblem as error:
                # The server is unreachable: no message has been tried, so none loses an attempt
                # or its place in the queue; the worker backs off instead (server_retry_pause).
                outcomes.report.unreachable = True
                outcomes.report.errors.append(str(error))
                outcomes.add_released([envelope, *pending], str(error))
                pending.clear()
            except (TemporaryFailure, PermanentFailure) as error:
                permanent = isinstance(error, PermanentFailure)
                outcomes.add_failure(envelope, str(error), permanent=permanent, now=now())
            except Exception as error:
                # A surprise (a bug, an odd reply): count it as an attempt so that one message
                # cannot stop every batch it lands in, and keep the trace for whoever looks.
                current_app.logger.exception("Unexpected error delivering outbox message %s", envelope.id)
                smtp.close()
                outcomes.add_failure(envelope, f"Unexpected error: {error!r}", permanent=False, now=now())
            else:
                outcomes.add_sent(envelope)
            if outcomes.due():
                outcomes.write(now())
    finally:
        try:
            outcomes.add_released(pending)  # only when something unexpected broke the loop
            outcomes.write(now())
        finally:
            smtp.close()
    return outcomes.report


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
