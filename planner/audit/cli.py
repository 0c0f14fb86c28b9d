"""`flask audit prune`: forget entries of the audit trail after a while."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from planner.audit.trail import prune
from planner.extensions import db
from planner.timekeeping import utcnow

audit_cli = AppGroup("audit", help="The audit trail of access to personal data.")


@audit_cli.command("prune")
@click.option(
    "--older-than-days", type=click.IntRange(min=1), required=True, help="Delete entries older than this many days."
)
def prune_command(older_than_days: int) -> None:
    """Delete audit entries older than the given number of days."""
    deleted = prune(older_than_days, now=utcnow())
    db.session.commit()
    click.echo(f"Deleted {deleted} audit entries older than {older_than_days} days.")
