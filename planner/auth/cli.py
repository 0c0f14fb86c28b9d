"""``flask --app planner users create``: accounts for scripts and first setup."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from planner.auth.errors import AuthError
from planner.auth.services import create_staff_user
from planner.extensions import db

users_cli = AppGroup("users", help="Manage staff accounts.")


@users_cli.command("create")
@click.option("--email", required=True, help="Login e-mail address.")
@click.option("--name", required=True, help="Full name as shown to colleagues.")
@click.option("--role", type=click.Choice(["admin", "staff"]), default="staff", show_default=True)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Leave out to be asked for it without echo.",
)
def create_user(email: str, name: str, role: str, password: str) -> None:
    """Create a staff account."""
    try:
        user = create_staff_user(email, name, password, is_admin=role == "admin")
    except AuthError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Created {role} account {user.email}.")
