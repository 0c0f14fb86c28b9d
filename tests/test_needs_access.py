"""What participants need to take part reaches the organisers of their series, and nobody else.

Every staff page of the access matrix is opened by every kind of user: the needs show on the grid,
the check-in screen and the export for the admin and the series' organiser, never for its trekker,
an organiser of another learning studio or a visitor. The participant's own pages (their personal
link) are theirs and are left out.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from planner.audit.models import AuditEvent
from planner.extensions import db as _db
from planner.invitations.models import Invitation
from tests.test_access_matrix import ACCESS, OPEN, _rules, _url
from tests.world import USERS, build_world

NEED = "Oppas voor drie kinderen"
WHERE_NEEDS_SHOW = {"invitations.index", "attendance.check_in", "invitation_grid.export"}


@pytest.fixture
def world(app, db):
    built = build_world(app)
    invitation = _db.session.get(Invitation, built.values["invitation_id"])
    invitation.needs_other, invitation.needs_interpreter = NEED, True
    _db.session.commit()
    return built


def _needs_shown(response) -> bool:
    body = response.get_data()
    if response.mimetype.endswith("spreadsheetml.sheet"):
        import io

        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(body)).active
        return any(NEED in str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell)
    return NEED in body.decode("utf-8", "replace")


def test_only_the_series_organisers_see_needs(app, world):
    shown: dict[str, set[str]] = {who: set() for who in USERS}
    for rule in _rules(app):
        if "GET" not in rule.methods or ACCESS[rule.endpoint] in OPEN:
            continue
        for kind in ("csv", "xlsx") if "kind" in rule.arguments else ("csv",):
            url = _url(rule, {**world.values, "kind": kind}, world.feed_token)
            for who in USERS:
                response = world.clients[who].get(url)
                if response.status_code == 200 and _needs_shown(response):
                    shown[who].add(rule.endpoint)
                response.close()
    assert shown["organiser_a"] == WHERE_NEEDS_SHOW
    assert shown["admin"] == WHERE_NEEDS_SHOW
    assert shown["trekker_a"] == set()
    assert shown["organiser_b"] == set()
    assert shown["anonymous"] == set()


def test_each_showing_of_needs_is_in_the_audit_trail(app, world):
    client, values = world.clients["organiser_a"], world.values
    person = values["person_id"]
    client.get(f"/series/{values['series_id']}/invitations")
    client.get(f"/series/{values['series_id']}/sessions/{values['session_id']}/check-in")
    client.get(f"/series/{values['series_id']}/invitations/export.csv")
    events = _db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.object_type == "needs").order_by(AuditEvent.id)
    ).all()
    assert [(e.actor, e.action, e.detail) for e in events] == [
        ("organiser_a@example.org", "view", f"persons: {person}"),
        ("organiser_a@example.org", "view", f"check-in list, persons: {person}"),
        ("organiser_a@example.org", "export", f"persons: {person}"),
    ]
    # A trekker's try leaves no such entry: they never got the page.
    world.clients["trekker_a"].get(f"/series/{values['series_id']}/invitations")
    assert _db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.object_type == "needs")) == 3
