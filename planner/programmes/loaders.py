"""The learning studio of a URL, or 404 (also when the user may not see it)."""

from __future__ import annotations

from sqlalchemy import select

from planner.auth.access import can_view, require
from planner.extensions import db
from planner.programmes.models import Programme
from planner.web import found_or_404


def programme_or_404(slug: str, permission=can_view) -> Programme:
    programme = found_or_404(db.session.scalar(select(Programme).where(Programme.slug == slug)))
    require(permission, programme)
    return programme
