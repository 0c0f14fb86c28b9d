"""`flask privacy purge`: anonymise the series whose retention period has passed (run it daily from cron)."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from planner.extensions import db
from planner.privacy.purge import purge_due_series

privacy_cli = AppGroup("privacy", help="Retention of personal data.")


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only list what would be anonymised; change nothing.")
@click.option("--now", "now_text", default=None, help="Pretend it is this moment (ISO 8601 with offset); for testing.")
def purge_command(dry_run: bool, now_text: str | None) -> None:
    """Anonymise every series due; safe to run as often as you like (a second run changes nothing)."""
    now = None
    if now_text:
        try:
            now = datetime.fromisoformat(now_text)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--now") from error
        if now.tzinfo is None:
            raise click.BadParameter("give a time zone offset, e.g. 2027-03-01T03:00+01:00", param_hint="--now")
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
        click.echo(f"{prefix} series {line.id} ({line.title}), due {line.due_at:%Y-%m-%d}: "
                   f"{line.persons_anonymised} person(s) anonymised, {line.persons_kept} kept (in a newer series).")
    click.echo(f"{prefix} {report.persons_anonymised} person(s) in total.")
    for table, count in sorted(report.counts.items()):
        if count:
            click.echo(f"  {table}: {count} row(s)")
