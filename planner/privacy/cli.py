"""`flask privacy purge`: anonymise the series whose retention period has passed (run it daily from cron)."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from planner.cli_options import now_option
from planner.extensions import db
from planner.privacy.purge import purge_due_series

privacy_cli = AppGroup("privacy", help="Retention of personal data.")


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list what would be anonymised; change nothing.")
@now_option
def purge_command(dry_run: bool, now: datetime | None) -> None:
    """Anonymise every series due; safe to run as often as you like (a second run changes nothing)."""
    report = purge_due_series(now, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    prefix = "Would anonymise" if dry_run else "Anonymised"
    if not report.series:
        click.echo("No series due.")
        return
    for line in report.series:
        click.echo(
            f"{prefix} series {line.id} ({line.title}), due {line.due_at:%Y-%m-%d}: "
            f"{line.persons_anonymised} person(s) anonymised, {line.persons_kept} kept (in a newer series)."
        )
    click.echo(f"{prefix} {report.persons_anonymised} person(s) in total.")
    for table, count in sorted(report.counts.items()):
        if count:
            click.echo(f"  {table}: {count} row(s)")
