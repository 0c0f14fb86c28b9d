"""Learning studios: create them, staff them and keep dates free."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from sqlalchemy import select

from planner.extensions import db
from planner.plain_text import name_key
from planner.programmes.errors import ProgrammeError
from planner.programmes.models import BlockedDate, Programme, ProgrammeMember, ProgrammeRole


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:70] or "leeratelier"


def _free_slug(name: str, exclude_id: int | None = None) -> str:
    base = slugify(name)
    slug, n = base, 2
    while True:
        clash = db.session.scalar(select(Programme.id).where(Programme.slug == slug))
        if clash is None or clash == exclude_id:
            return slug
        slug, n = f"{base}-{n}", n + 1


def save_programme(
    programme: Programme | None,
    *,
    name: str,
    description: str,
    organisers,
    trekkers,
    retention_months: int | None = None,
) -> Programme:
    """Create or update a programme with exactly these organisers and trekkers."""
    name = name.strip()
    if not name:
        raise ProgrammeError("name_required")
    clash = db.session.scalar(select(Programme).where(Programme.name_key == name_key(name)))
    if clash is not None and clash is not programme:
        raise ProgrammeError("programme_name_taken")
    if programme is None:
        programme = Programme(name=name, slug=_free_slug(name))
        db.session.add(programme)
    elif programme.name != name:
        programme.slug = _free_slug(name, exclude_id=programme.id)
    programme.name = name
    programme.description = description.strip()
    if retention_months is not None:
        if not 1 <= retention_months <= 120:
            raise ProgrammeError("retention_out_of_range", form_field="retention_months")
        programme.retention_months = retention_months
    wanted = {(u.id, ProgrammeRole.ORGANISER) for u in organisers} | {(u.id, ProgrammeRole.TREKKER) for u in trekkers}
    programme.members = [m for m in programme.members if (m.user_id, m.role) in wanted]
    present = {(m.user_id, m.role) for m in programme.members}
    for user in organisers:
        if (user.id, ProgrammeRole.ORGANISER) not in present:
            programme.members.append(ProgrammeMember(user=user, role=ProgrammeRole.ORGANISER))
    for user in trekkers:
        if (user.id, ProgrammeRole.TREKKER) not in present:
            programme.members.append(ProgrammeMember(user=user, role=ProgrammeRole.TREKKER))
    db.session.flush()
    return programme


def block_date(programme: Programme, day: date, reason: str) -> BlockedDate:
    if day in programme.blocked():
        raise ProgrammeError("blocked_date_taken", day=day)
    blocked = BlockedDate(day=day, reason=reason.strip())
    programme.blocked_dates.append(blocked)
    db.session.flush()
    return blocked


def unblock_date(programme: Programme, blocked_id: int) -> None:
    programme.blocked_dates = [b for b in programme.blocked_dates if b.id != blocked_id]
    db.session.flush()
