"""Many people answer yes for the last seats at the same moment: none is lost or double-booked.

The real proof runs on PostgreSQL (CI sets TEST_DATABASE_URL), where the threads truly run
in parallel and the session row is locked with SELECT ... FOR UPDATE; on SQLite the same
test shows that writers queue on the database lock instead of failing.
"""

import threading

from sqlalchemy import select

from planner.extensions import db as _db
from planner.invitations.models import Invitation, Rsvp, Seat
from planner.invitations.services import answer, invite_people
from planner.series.models import Session
from planner.series.services import publish_series
from tests import factories

THREADS = 50
SEATS = 10


def test_fifty_people_answer_yes_at_once_for_ten_seats(db, second_app, programme, organiser):
    series = factories.make_series(programme, organiser, template_key="thematic", count=1)
    session = series.sessions[0]
    session.capacity = SEATS
    publish_series(series)
    people = [factories.make_person(name=f"Deelnemer {n}") for n in range(THREADS)]
    invitations = invite_people(series, people).invited
    db.session.commit()
    tokens, session_id = [i.token for i in invitations], session.id

    barrier = threading.Barrier(THREADS, timeout=60)
    errors = []

    def say_yes(token):
        try:
            with second_app.app_context():
                invitation = _db.session.scalar(select(Invitation).where(Invitation.token == token))
                mine = _db.session.get(Session, session_id)
                _db.session.connection()  # each thread holds a connection of its own
                barrier.wait()
                answer(invitation, mine, "yes")
                _db.session.commit()
        except Exception as error:
            errors.append(repr(error))

    threads = [threading.Thread(target=say_yes, args=(token,)) for token in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    db.session.expire_all()
    rows = db.session.scalars(select(Rsvp).where(Rsvp.session_id == session_id)).all()
    assert all(r.answer == "yes" for r in rows)
    assert sum(r.seat == Seat.CONFIRMED for r in rows) == SEATS
    positions = sorted(r.waitlist_position for r in rows if r.seat == Seat.WAITING)
    assert positions == list(range(1, THREADS - SEATS + 1))


def test_seats_given_up_and_taken_at_once_move_the_waiting_list_up_in_order(db, second_app, programme, organiser):
    """10 confirmed and 10 waiting; at once 5 confirmed say no and 20 newcomers say yes."""
    series = factories.make_series(programme, organiser, template_key="thematic", count=1)
    session = series.sessions[0]
    session.capacity = SEATS
    publish_series(series)
    people = [factories.make_person(name=f"Deelnemer {n}") for n in range(40)]
    invitations = invite_people(series, people).invited
    for invitation in invitations[:20]:
        answer(invitation, session, "yes")
    db.session.commit()
    leaving = [i.token for i in invitations[:5]]
    first_waiting = {i.id for i in invitations[10:15]}
    newcomers = [i.token for i in invitations[20:]]
    session_id = session.id
    jobs = [(token, "no") for token in leaving] + [(token, "yes") for token in newcomers]
    barrier = threading.Barrier(len(jobs), timeout=60)
    errors = []

    def respond(token, choice):
        try:
            with second_app.app_context():
                invitation = _db.session.scalar(select(Invitation).where(Invitation.token == token))
                mine = _db.session.get(Session, session_id)
                _db.session.connection()
                barrier.wait()
                answer(invitation, mine, choice)
                _db.session.commit()
        except Exception as error:
            errors.append(repr(error))

    threads = [threading.Thread(target=respond, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    db.session.expire_all()
    rows = db.session.scalars(select(Rsvp).where(Rsvp.session_id == session_id)).all()
    confirmed = {r.invitation_id for r in rows if r.seat == Seat.CONFIRMED}
    assert len(confirmed) == SEATS
    assert first_waiting <= confirmed, "the first five on the waiting list moved up"
    positions = [r.waitlist_position for r in rows if r.seat == Seat.WAITING]
    assert len(positions) == 25
    assert len(set(positions)) == 25
