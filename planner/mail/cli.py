"""``flask --app planner mail deliver|worker|send-test``: the outbox leaves the building."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import AppGroup

from planner.extensions import db
from planner.mail.delivery import (
    DeliverySettingsError,
    check_settings,
    deliver_due,
    server_retry_pause,
)
from planner.mail.outcomes import DeliveryReport
from planner.mail.services import queue_mail

mail_cli = AppGroup("mail", help="Deliver queued mail over SMTP.")

batch_size_option = click.option(
    "--batch-size",
    type=click.IntRange(1, 1000),
    default=None,
    help="Messages claimed at a time (default: MAIL_BATCH_SIZE, 50).",
)


def _summary(report: DeliveryReport) -> str:
    summary = (
        f"Sent {report.sent} message(s); {report.retried} to retry later, "
        f"{report.failed} failed, {report.released} handed back."
    )
    if report.unreachable:
        summary += f" The mail server could not be reached: {report.deferred} message(s) wait for it."
    return summary


def _check_settings() -> None:
    try:
        check_settings(current_app.config)
    except DeliverySettingsError as error:
        raise click.ClickException(str(error)) from error


@mail_cli.command("deliver")
@batch_size_option
def deliver_command(batch_size: int | None) -> None:
    """Send every message that is due now, then exit."""
    _check_settings()
    report = deliver_due(batch_size=batch_size)
    click.echo(_summary(report))
    for error in dict.fromkeys(report.errors):
        click.echo(f"  {error}", err=True)


@contextmanager
def stop_on_signals(stop: threading.Event):
    """SIGTERM / SIGINT ask the worker to stop after the message it is sending."""

    def handle(_signum, _frame):
        stop.set()

    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set in the main thread (e.g. under a test runner)
        return
    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_worker(stop: threading.Event, *, interval: float, batch_size: int | None, echo=click.echo) -> DeliveryReport:
    """Deliver what is due, wait ``interval`` seconds, repeat, until ``stop`` is set.

    While the mail server cannot be reached the wait doubles each round, up to
    MAIL_SERVER_RETRY_MAX_SECONDS, so the queue goes out soon after the server is back.
    """
    total = DeliveryReport()
    unreachable_rounds = 0
    while not stop.is_set():
        try:
            report = deliver_due(batch_size=batch_size, should_stop=stop.is_set)
        except Exception as error:  # e.g. the database is briefly away: try again next round
            db.session.rollback()
            current_app.logger.exception("Mail delivery round failed")
            echo(f"Delivery round failed: {error!r}", err=True)
        else:
            total.add(report)
            unreachable_rounds = unreachable_rounds + 1 if report.unreachable else 0
            if report.handled or report.unreachable:
                echo(_summary(report))
            if report.unreachable:
                echo(f"  {report.errors[-1]}", err=True)
        finally:
            db.session.remove()
        longest = current_app.config["MAIL_SERVER_RETRY_MAX_SECONDS"]
        stop.wait(server_retry_pause(interval, unreachable_rounds, longest))
    return total


@mail_cli.command("worker")
@click.option(
    "--interval",
    type=click.FloatRange(0.1, 3600),
    default=5.0,
    show_default=True,
    help="Seconds to wait between rounds.",
)
@batch_size_option
def worker_command(interval: float, batch_size: int | None) -> None:
    """Keep delivering mail until stopped with SIGTERM or Ctrl-C."""
    _check_settings()
    stop = threading.Event()
    click.echo(
        f"Mail worker started: every {interval:g} s via "
        f"{current_app.config['MAIL_SERVER']}:{current_app.config['MAIL_PORT']}."
    )
    with stop_on_signals(stop):
        total = run_worker(stop, interval=interval, batch_size=batch_size)
    click.echo("Mail worker stopped. " + _summary(total))


@mail_cli.command("send-test")
@click.option("--to", "to_address", required=True, help="Address to send a test message to.")
@click.option("--language", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
def send_test_command(to_address: str, language: str) -> None:
    """Queue a test message, to check the mail settings with `mail deliver`."""
    queue_mail(
        to_address=to_address,
        to_name="",
        language=language,
        template="test",
        context={},
        reference="test",
    )
    db.session.commit()
    click.echo(f"Queued a test message to {to_address}; run `flask mail deliver` to send it.")
