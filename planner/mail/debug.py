"""Pages for developers only: they exist in debug mode, for admins, and nowhere else."""

from __future__ import annotations

from flask import abort, current_app
from flask_login import current_user

from planner.extensions import login_manager


def debug_only_and_admins_only():
    """A blueprint's before_request: 404 outside debug mode, a login, then admins only."""
    if not current_app.debug:
        abort(404)  # in production there is no such page, not even a login redirect
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403)  # in debug mode the page is no secret; the personal links in it are
    return None
