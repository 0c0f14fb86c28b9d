"""Who may do what. Routes call these; a refusal is a 404, so nothing leaks."""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from planner.programmes.models import ProgrammeRole


def roles_on(user, programme) -> set[str]:
    if user.is_admin:
        return {ProgrammeRole.ORGANISER, ProgrammeRole.TREKKER}
    return {m.role for m in user.memberships if m.programme_id == programme.id}


def can_view(user, programme) -> bool:
    return bool(roles_on(user, programme))


def can_organise(user, programme) -> bool:
    return ProgrammeRole.ORGANISER in roles_on(user, programme)


def require(permission, programme) -> None:
    """Abort with 404 unless the current user has ``permission`` on ``programme``."""
    if programme is None or not permission(current_user, programme):
        abort(404)


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(404)
        return view(*args, **kwargs)

    return wrapped


def can_manage_people(user) -> bool:
    """People are shared by every learning studio: admins and any organiser keep them."""
    if not user.is_authenticated:
        return False
    return user.is_admin or any(m.role == ProgrammeRole.ORGANISER for m in user.memberships)


def people_manager_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not can_manage_people(current_user):
            abort(404)
        return view(*args, **kwargs)

    return wrapped
