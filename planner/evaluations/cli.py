"""`flask evaluations send`: queue the evaluation mails and reminders that are due (run it from cron)."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from planner.cli_options import now_option
from planner.evaluations.sending import send_due
from planner.extensions import db

evaluations_cli = AppGroup("evaluations", help="Evaluation mails after sessions.")


@evaluations_cli.command("send")
@now_option
def send_command(now: datetime | None) -> None:
    """Queue every due evaluation mail and reminder once; safe to run every few minutes."""
    result = send_due(now=now)
    db.session.commit()
    click.echo(f"Queued {result.sent} evaluation mail(s) and {result.reminded} reminder(s).")
