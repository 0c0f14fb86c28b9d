"""``flask --app planner mail replies [--watch]``: read calendar replies from the reply mailbox."""

from __future__ import annotations

import threading
from datetime import datetime

import click
from flask import current_app
from imapclient.exceptions import IMAPClientError

from planner.cli_options import now_option
from planner.mail.cli import stop_on_signals
from planner.replies.imap import ImapSettings, ReplySettingsError
from planner.replies.worker import IDLE_SECONDS, read_once, watch


@click.command("replies")
@click.option(
    "--watch",
    "keep_watching",
    is_flag=True,
    help="Keep running: wait for new messages with IMAP IDLE until stopped (SIGTERM / Ctrl-C).",
)
@click.option(
    "--idle-seconds",
    type=click.FloatRange(1, 1500),
    default=IDLE_SECONDS,
    show_default=True,
    help="With --watch: look through the folder at least this often.",
)
@now_option
def replies_command(keep_watching: bool, idle_seconds: float, now: datetime | None) -> None:
    """Turn Accept / Decline replies from calendars into answers (once, for cron; or --watch)."""
    try:
        settings = ImapSettings.from_config(current_app.config)
    except ReplySettingsError as error:
        raise click.UsageError(str(error)) from None
    if not current_app.config.get("REPLY_MAILBOX_ADDRESS"):
        click.echo(
            "REPLY_MAILBOX_ADDRESS is not set: invites do not name the reply mailbox yet, so only "
            "replies matched by UID and attendee can be applied.",
            err=True,
        )
    if not keep_watching:
        try:
            report = read_once(settings, now=now)
        except (IMAPClientError, OSError) as error:
            message = f"Could not read the reply mailbox {settings.address}: {error}"
            raise click.ClickException(message) from None
        click.echo(report.summary())
        return
    stop = threading.Event()
    click.echo(f"Reading calendar replies from {settings.address}; waiting for new ones with IDLE.")
    with stop_on_signals(stop):
        total = watch(settings, stop, idle_seconds=idle_seconds)
    click.echo("Stopped. " + total.summary())
