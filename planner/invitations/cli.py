"""`flask reminders send`: queue the reminder mails that are due (run it from cron)."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from planner.extensions import db
from planner.invitations.reminders import send_due_reminders

reminders_cli = AppGroup("reminders", help="Reminder mails before sessions.")


@reminders_cli.command("send")
@click.option("--now", "now_text", default=None, help="Pretend it is this moment (ISO 8601 with offset); for testing.")
def send_command(now_text: str | None) -> None:
    """Queue every due reminder once; safe to run as often and on as many machines as you like."""
    now = None
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--now") from error
        if now.tzinfo is None:
            raise click.BadParameter("give a time zone offset, e.g. 2027-03-01T09:00+01:00", param_hint="--now")
    count = send_due_reminders(now=now)
    db.session.commit()
    click.echo(f"Queued {count} reminder(s).")
