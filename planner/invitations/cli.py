"""`flask reminders send`: queue the reminder mails that are due (run it from cron)."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from planner.cli_options import now_option
from planner.extensions import db
from planner.invitations.reminders import send_due_reminders

reminders_cli = AppGroup("reminders", help="Reminder mails before sessions.")


@reminders_cli.command("send")
@now_option
def send_command(now: datetime | None) -> None:
    """Queue every due reminder once; safe to run as often and on as many machines as you like."""
    count = send_due_reminders(now=now)
    db.session.commit()
    click.echo(f"Queued {count} reminder(s).")
