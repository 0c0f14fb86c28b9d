"""Reading a page never writes to the database: every GET of a seeded world, as each user.

The one write a GET may make is the audit trail's record that personal data was seen.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from planner.extensions import db as _db
from tests.test_access_matrix import USERS, _rules, _url, world  # noqa: F401 (world is a fixture)

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
ALLOWED = re.compile(r"^\s*INSERT INTO audit_event\b", re.IGNORECASE)


def test_no_get_request_writes(app, world):  # noqa: F811
    values, clients = world["values"], world["clients"]
    writes = []

    def record(_connection, _cursor, statement, _parameters, _context, _executemany):
        if WRITE.match(statement) and not ALLOWED.match(statement):
            writes.append(f"{current}: {' '.join(statement.split())[:120]}")

    current = ""
    sa.event.listen(_db.engine, "before_cursor_execute", record)
    try:
        for rule in _rules(app):
            if "GET" not in rule.methods:
                continue
            url = _url(rule, values, world["feed_token"])
            for who in USERS:
                current = f"GET {url} as {who}"
                clients[who].get(url).close()
    finally:
        sa.event.remove(_db.engine, "before_cursor_execute", record)
    assert not writes, writes


def test_the_check_sees_a_write(app, world):  # noqa: F811
    """The listener does catch what a GET would write (so the test above can fail)."""
    seen = []

    def record(_connection, _cursor, statement, *_rest):
        if WRITE.match(statement):
            seen.append(statement)

    sa.event.listen(_db.engine, "before_cursor_execute", record)
    try:
        clients = world["clients"]
        clients["admin"].get(f"/series/{world['values']['series_id']}/invitations").close()
    finally:
        sa.event.remove(_db.engine, "before_cursor_execute", record)
    assert any(ALLOWED.match(s) for s in seen), "the invitation list is audited, an INSERT the listener saw"
