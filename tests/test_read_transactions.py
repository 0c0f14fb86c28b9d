"""A request that only read ends its transaction with a commit; one that wrote and did not commit loses it.

(PostgreSQL's driver forgets its prepared statements at every ROLLBACK: with the commit, a feed
poll's query is planned once per connection instead of once per poll.)
"""

from __future__ import annotations

import contextvars

import sqlalchemy as sa

from planner.extensions import db as _db
from planner.invitations.services import renew_feed
from planner.people.models import Person
from tests import factories


def _ends(app):
    seen = []
    with app.app_context():
        engine = _db.engine
    listeners = {"commit": lambda _c: seen.append("commit"), "rollback": lambda _c: seen.append("rollback")}
    for name, listener in listeners.items():
        sa.event.listen(engine, name, listener)
    return engine, listeners, seen


def _in_own_context(function):
    return contextvars.Context().run(function)


def test_a_feed_poll_ends_its_read_with_a_commit(app, db, client, programme, organiser):
    series = factories.make_series(programme, organiser)
    invitation = factories.make_invitation(series, name="Anna", email="anna@example.org")
    path = f"/feed/{renew_feed(invitation.person).token}.ics"
    db.session.commit()
    engine, listeners, seen = _ends(app)
    try:
        assert client.get(path).status_code == 200
        assert client.get("/i/" + "x" * 30).status_code == 404
    finally:
        for name, listener in listeners.items():
            sa.event.remove(engine, name, listener)
    assert seen == ["commit", "commit"]


def test_what_a_request_wrote_without_committing_is_still_dropped(app, db, programme, organiser):
    series = factories.make_series(programme, organiser)
    person_id = factories.make_invitation(series, name="Anna", email="anna@example.org").person_id
    db.session.commit()

    def flushed_not_committed():
        with app.app_context():
            _db.session.get(Person, person_id).name = "Flushed"
            _db.session.flush()

    def changed_not_flushed():
        with app.app_context():
            _db.session.get(Person, person_id).name = "Pending"

    def written_by_statement():
        with app.app_context():
            _db.session.execute(sa.update(Person).where(Person.id == person_id).values(name="Statement"))

    for request in (flushed_not_committed, changed_not_flushed, written_by_statement):
        _in_own_context(request)
        db.session.expire_all()
        assert db.session.get(Person, person_id).name == "Anna", request.__name__
