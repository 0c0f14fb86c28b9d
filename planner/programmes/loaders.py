"""The learning studio of a URL, or 404 (also when the user may not see it)."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from planner.auth.access import can_view, require
from planner.extensions import db
from planner.programmes.models import Programme


def programme_or_404(slug: str, permission=can_view) -> Programme:
    programme = db.session.scalar(select(Programme).where(Programme.slug == slug))
    if programme is None:
        abort(404)
    require(permission, programme)
    return programme
