"""Read the reply mailbox: each message is applied and recorded in one commit, then moved.

The order makes a crash harmless. A worker that dies before its commit leaves the message
in the folder and nothing changed; one that dies after it finds the message recorded on
its next run and only moves it. Two workers that read the same message at once both try
to record it, and the unique key lets one of them through.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import click
from imapclient.exceptions import IMAPClientError
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from planner.extensions import db
from planner.replies.imap import ImapSettings, Mailbox
from planner.replies.models import CalendarReply, Outcome
from planner.replies.parsing import parse_message
from planner.replies.services import record_message, recorded

log = logging.getLogger("planner.replies")

IDLE_SECONDS = 300.0  # re-issue IDLE (and look through the folder) at least this often
RETRY_SECONDS = 30.0


@dataclass
class RunReport:
    outcomes: Counter = field(default_factory=Counter)
    moved_again: int = 0  # recorded by an earlier run that stopped before moving them

    @property
    def read(self) -> int:
        return sum(self.outcomes.values())

    def add(self, other: RunReport) -> None:
        self.outcomes.update(other.outcomes)
        self.moved_again += other.moved_again

    def summary(self) -> str:
        o = self.outcomes
        return (
            f"Read {self.read} message(s): {o[Outcome.APPLIED]} answer(s) changed, "
            f"{o[Outcome.UNCHANGED]} unchanged, {o[Outcome.PROPOSAL]} proposed time(s), "
            f"{o[Outcome.IGNORED]} ignored, {o[Outcome.REFUSED]} refused, "
            f"{o[Outcome.AUTO_REPLY]} automatic repl(y/ies), {o[Outcome.NOT_CALENDAR]} other mail(s); "
            f"{self.moved_again} handled before and only moved now."
        )


def folder_for(outcome: str, settings: ImapSettings) -> str:
    if outcome == Outcome.REFUSED:
        return settings.refused_folder
    if outcome in (Outcome.AUTO_REPLY, Outcome.NOT_CALENDAR):
        return settings.other_folder
    return settings.done_folder


def process_mailbox(
    mailbox: Mailbox, *, now: datetime | None = None, should_stop: Callable[[], bool] = lambda: False
) -> RunReport:
    """Handle every message in the folder once, then move it away."""
    report = RunReport()
    for uid in mailbox.message_uids():
        if should_stop():
            break
        raw = mailbox.fetch(uid)
        if raw is None:  # moved away by someone else meanwhile
            continue
        outcome, before = handle_message(raw, now=now)
        mailbox.move(uid, folder_for(outcome, mailbox.settings))
        report.outcomes[outcome] += 1
        report.moved_again += before
    return report


def handle_message(raw: bytes, *, now: datetime | None = None) -> tuple[str, bool]:
    """(outcome, whether an earlier run recorded it already); commits what it applied."""
    parsed = parse_message(raw)
    earlier = recorded(parsed.key)
    if earlier is not None:
        return earlier.outcome, True
    try:
        outcome = record_message(parsed, now=now).outcome
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        earlier = recorded(parsed.key)  # another worker recorded it first
        if earlier is None:
            raise
        return earlier.outcome, True
    except SQLAlchemyError:
        db.session.rollback()
        raise  # the database is away: leave the message where it is for the next run
    except Exception as error:  # a reply we cannot apply must not stop the others
        db.session.rollback()
        log.exception("Calendar reply %s could not be applied", parsed.key[:12])
        db.session.add(
            CalendarReply(
                message_key=parsed.key, outcome=Outcome.REFUSED, reason=f"could not be applied: {error!r}"[:300]
            )
        )
        db.session.commit()
        return Outcome.REFUSED, False
    return outcome, False


def read_once(settings: ImapSettings, *, now: datetime | None = None) -> RunReport:
    with Mailbox.open(settings) as mailbox:
        return process_mailbox(mailbox, now=now)


def watch(
    settings: ImapSettings,
    stop: threading.Event,
    *,
    idle_seconds: float = IDLE_SECONDS,
    retry_seconds: float = RETRY_SECONDS,
    echo=click.echo,
) -> RunReport:
    """Read what is there, wait for news with IMAP IDLE, repeat, until ``stop`` is set.

    A lost connection or database is logged and tried again after ``retry_seconds``.
    """
    total = RunReport()
    while not stop.is_set():
        try:
            with Mailbox.open(settings) as mailbox:
                while not stop.is_set():
                    try:
                        report = process_mailbox(mailbox, should_stop=stop.is_set)
                    finally:
                        db.session.remove()
                    total.add(report)
                    if report.read:
                        echo(report.summary())
                    mailbox.wait(stop, idle_seconds)
        except (IMAPClientError, OSError, SQLAlchemyError) as error:
            log.warning("Reading the reply mailbox failed: %r", error)
            echo(f"Reading the reply mailbox failed: {error!r}; trying again in {retry_seconds:g} s.", err=True)
            stop.wait(retry_seconds)
    return total
