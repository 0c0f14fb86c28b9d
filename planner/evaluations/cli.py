"""`flask evaluations send`: queue the evaluation mails and reminders that are due (run it from cron)."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from planner.evaluations.sending import send_due
from planner.extensions import db

evaluations_cli = AppGroup("evaluations", help="Evaluation mails after sessions.")


@evaluations_cli.command("send")
@click.option("--now", "now_text", default=None, help="Pretend it is this moment (ISO 8601 with offset); for testing.")
def send_command(now_text: str | None) -> None:
    """Queue every due evaluation mail and reminder once; safe to run every few minutes."""
    now = None
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--now") from error
        if now.tzinfo is None:
            raise click.BadParameter("give a time zone offset, e.g. 2027-03-01T09:00+01:00", param_hint="--now")
    result = send_due(now=now)
    db.session.commit()
    click.echo(f"Queued {result.sent} evaluation mail(s) and {result.reminded} reminder(s).")
