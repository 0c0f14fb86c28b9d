"""What happened to each claimed message, written in batches (see delivery.py for the guarantees).

A worker notes each outcome as it comes and commits them together: one UPDATE for all messages
sent, one for each group handed back for the same reason, one per failure (each has its own
error and next try). Every UPDATE names the claim (``claimed_until``), so a worker whose lease
has run out and whose rows another worker took over writes nothing over them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update

from planner.extensions import db, rowcount
from planner.mail.models import MailStatus, OutboxMessage
from planner.mail.smtp import Envelope

MAX_BACKOFF = timedelta(hours=1)
# Outcomes are written at the end of a batch, and sooner once the oldest unwritten one is this
# old: it bounds what a crashed worker's successor sends again.
RECORD_EVERY_SECONDS = 1.0


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


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after the 1st, 2nd, 3rd ... attempt, at most an hour."""
    return min(timedelta(minutes=2 ** min(max(attempts - 1, 0), 10)), MAX_BACKOFF)


def _write(ids: list[int], claimed_until: datetime, values: dict) -> int:
    """Write an outcome for the rows we still hold (same claim); returns how many were ours."""
    statement = (
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(ids),
            OutboxMessage.status == MailStatus.SENDING,
            OutboxMessage.claimed_until == claimed_until,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return rowcount(db.session.execute(statement))


def failure_values(envelope: Envelope, error: str, *, permanent: bool, now: datetime) -> dict:
    """Queue the message again with back-off, or give up on it when it was its last attempt."""
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    if not permanent and envelope.attempts >= max_attempts:
        permanent = True
        error = f"Gave up after {envelope.attempts} attempts. Last error: {error}"
    if permanent:
        return {"status": MailStatus.FAILED, "claimed_until": None, "last_error": error}
    return {
        "status": MailStatus.QUEUED,
        "claimed_until": None,
        "next_attempt_at": now + backoff(envelope.attempts),
        "last_error": error,
    }


def release_values(error: str | None = None) -> dict:
    """Back in the queue at once, the attempt not counted and its place (``next_attempt_at``)
    kept; with ``error``, saying why it is still waiting."""
    values = {"status": MailStatus.QUEUED, "claimed_until": None, "attempts": OutboxMessage.attempts - 1}
    return values | ({"last_error": error} if error is not None else {})


class Outcomes:
    """The outcomes of claimed messages, kept until ``write`` commits them in one transaction:
    one UPDATE for all sent, one per group handed back for the same reason, one per failure."""

    def __init__(self) -> None:
        self.report = DeliveryReport()
        self.sent: dict[datetime, list[int]] = {}
        self.released: dict[tuple[datetime, str | None], list[int]] = {}
        self.failures: list[tuple[Envelope, dict]] = []
        self.oldest: float | None = None  # time.monotonic() of the oldest unwritten outcome

    def _noted(self) -> None:
        if self.oldest is None:
            self.oldest = time.monotonic()

    def add_sent(self, envelope: Envelope) -> None:
        self.sent.setdefault(envelope.claimed_until, []).append(envelope.id)
        self.report.sent += 1
        self._noted()

    def add_failure(self, envelope: Envelope, error: str, *, permanent: bool, now: datetime) -> None:
        values = failure_values(envelope, error, permanent=permanent, now=now)
        self.failures.append((envelope, values))
        self.report.failed += values["status"] == MailStatus.FAILED
        self.report.retried += values["status"] == MailStatus.QUEUED
        self.report.errors.append(error)
        self._noted()

    def add_released(self, envelopes: Iterable[Envelope], error: str | None = None) -> None:
        for envelope in envelopes:
            self.released.setdefault((envelope.claimed_until, error), []).append(envelope.id)
            if error is None:
                self.report.released += 1
            else:
                self.report.deferred += 1
            self._noted()

    def due(self) -> bool:
        return self.oldest is not None and time.monotonic() - self.oldest >= RECORD_EVERY_SECONDS

    def write(self, now: datetime) -> None:
        """Commit every outcome noted so far (``sent_at`` is ``now``, within a second of sending)."""
        if self.oldest is None:
            return
        try:
            for claimed_until, ids in self.sent.items():
                _write(
                    ids,
                    claimed_until,
                    {"status": MailStatus.SENT, "sent_at": now, "claimed_until": None, "last_error": ""},
                )
            for (claimed_until, error), ids in self.released.items():
                _write(ids, claimed_until, release_values(error))
            for envelope, values in self.failures:
                _write([envelope.id], envelope.claimed_until, values)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
        self.sent, self.released, self.failures, self.oldest = {}, {}, [], None


def record_failure(envelope: Envelope, error: str, *, permanent: bool, now: datetime) -> str:
    """Record one failure at once; returns the new status (nothing changes if the claim is gone)."""
    outcomes = Outcomes()
    outcomes.add_failure(envelope, error, permanent=permanent, now=now)
    outcomes.write(now)
    return MailStatus.FAILED if outcomes.report.failed else MailStatus.QUEUED
