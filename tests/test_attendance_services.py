"""Check-in rules: one row per person and session, idempotent, walk-ins matched, a window for self check-in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from planner.attendance.models import Attendance, AttendanceChange
from planner.attendance.services import (
    AttendanceError,
    add_walk_in,
    check_in_by_name,
    close_door,
    confirm_check_in,
    history,
    mark,
    pending_check_ins,
    renew_door_code,
    self_check_in,
    session_list,
    undo_check_in,
    unmark,
)
from planner.auth.throttling import TryLimit
from planner.errors import DomainError
from planner.invitations.services import answer
from planner.people.models import Person
from planner.people.services import find_or_create_organisation
from tests import factories
from tests.factories import PASSWORD


@pytest.fixture
def series(db, programme, organiser):
    return factories.make_series(programme, organiser)


@pytest.fixture
def session(series):
    return series.sessions[0]


def invite(series, session, reply="yes", **person):
    invitation = factories.make_invitation(series, **person)
    if reply != "pending":
        answer(invitation, session, reply)
    return invitation


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_list_puts_those_who_said_yes_first(db, series, session):
    invite(series, session, "no", name="Anna")
    invite(series, session, "pending", name="Bram")
    invite(series, session, "yes", name="Zoë")
    invite(series, session, "maybe", name="Carla")
    db.session.commit()
    assert [row.person.name for row in session_list(session)] == ["Zoë", "Carla", "Bram", "Anna"]
    assert [row.person.name for row in session_list(session, "ar")] == ["Carla"]


def test_marking_twice_keeps_one_row_and_one_history_entry(db, organiser, series, session):
    invitation = invite(series, session)
    mark(session, invitation.person_id, "present", actor=organiser)
    mark(session, invitation.person_id, "present", actor=organiser)
    db.session.commit()
    assert count(db, Attendance) == 1
    assert count(db, AttendanceChange) == 1
    change = db.session.scalar(select(AttendanceChange))
    assert change.changed_by_id == organiser.id
    assert change.changed_at is not None


def test_a_second_device_racing_does_not_double_the_check_in(db, organiser, series, session):
    invitation = invite(series, session)
    db.session.commit()
    # The other device inserted the row after our look-up: simulate by inserting behind our back.
    db.session.execute(
        Attendance.__table__.insert().values(
            session_id=session.id,
            person_id=invitation.person_id,
            status="present",
            via="door",
            changed_at=session.starts_at,
        )
    )
    from planner.attendance import services

    original = services._row
    calls = []

    def first_sees_nothing(session_id, person_id):
        calls.append(1)
        return None if len(calls) == 1 else original(session_id, person_id)

    services._row = first_sees_nothing
    try:
        row = mark(session, invitation.person_id, "present", actor=organiser)
    finally:
        services._row = original
    db.session.commit()
    assert row.status == "present"
    assert count(db, Attendance) == 1


def test_undo_and_corrections_are_recorded(db, organiser, series, session):
    invitation = invite(series, session)
    mark(session, invitation.person_id, "present", actor=organiser)
    unmark(session, invitation.person_id, actor=organiser)
    mark(session, invitation.person_id, "absent", actor=organiser, via="organiser")
    db.session.commit()
    [row] = session_list(session)
    assert row.yes_but_absent
    changes = db.session.execute(history(session)).all()
    assert [c.status for c, _, _ in changes] == ["absent", None, "present"]
    assert {by for _, _, by in changes} == {organiser.name}


def test_only_people_on_the_list_can_be_marked(db, organiser, series, session):
    stranger = factories.make_person()
    with pytest.raises(AttendanceError) as error:
        mark(session, stranger.id, "present", actor=organiser)
    assert error.value.code == "not_on_list"
    invitation = invite(series, session)
    with pytest.raises(AttendanceError) as error:
        mark(session, invitation.person_id, "asleep", actor=organiser)
    assert error.value.code == "unknown_presence"


def test_a_walk_in_is_matched_by_email_then_by_name_and_organisation(db, organiser, session):
    known = factories.make_person(name="Fatima", email="fatima@example.org")
    team = find_or_create_organisation("Buurtteam Gendt")
    colleague = factories.make_person(name="Kees", email=None, organisation=team)
    assert add_walk_in(session, name="F.", role="resident", email="FATIMA@example.org", actor=organiser) == known
    assert (
        add_walk_in(session, name="Kees", role="professional", organisation="buurtteam gendt", actor=organiser)
        == colleague
    )
    new = add_walk_in(session, name="Noor", role="volunteer", organisation="Vrijwilligerscentrale", actor=organiser)
    db.session.commit()
    assert count(db, Person) == 3
    assert new.organisation.name == "Vrijwilligerscentrale"
    assert {row.person.name for row in session_list(session) if row.is_present} == {"Fatima", "Kees", "Noor"}


def test_a_walk_in_needs_a_name_and_a_valid_email(db, organiser, session):
    for bad, code in (({"name": " "}, "name_required"), ({"name": "Ali", "email": "not-an-address"}, "invalid_email")):
        with pytest.raises(DomainError) as error:
            add_walk_in(session, role="resident", actor=organiser, **bad)
        assert error.value.code == code


def test_self_check_in_only_in_the_window(db, series, session):
    invitation = invite(series, session)
    with pytest.raises(AttendanceError) as error:
        self_check_in(invitation, session, now=session.starts_at - timedelta(minutes=31))
    assert error.value.code == "check_in_not_open"
    with pytest.raises(AttendanceError) as error:
        self_check_in(invitation, session, now=session.ends_at + timedelta(minutes=1))
    assert error.value.code == "check_in_closed"
    row = self_check_in(invitation, session, now=session.starts_at - timedelta(minutes=30))
    assert row.status == "present"
    assert row.via == "self"
    assert row.changed_by_id is None


LIMIT = TryLimit(per_client=30, window=timedelta(minutes=15))


def door(session, name, *, now, client="192.0.2.1", limit=LIMIT):
    return check_in_by_name(session, name, client=client, limit=limit, now=now)


def pending_names(db, session):
    return [p.person.name for p in db.session.scalars(pending_check_ins(session))]


def test_a_name_at_the_door_only_asks_the_organiser_and_tells_nothing(db, series, session):
    invite(series, session, name="Sanne de Vries")
    invite(series, session, name="Jan")
    invite(series, session, name="jan ")
    during = session.starts_at + timedelta(minutes=5)
    # The same answer (none) whether the name is on the list, unknown or ambiguous.
    assert door(session, "  sanne  DE vries", now=during) is None
    assert door(session, "Piet", now=during) is None
    assert door(session, "Jan", now=during) is None
    assert door(session, "Sanne de Vries", now=during) is None  # twice: still one to confirm
    assert pending_names(db, session) == ["Sanne de Vries"]
    assert count(db, Attendance) == 0, "nobody is present yet"
    with pytest.raises(AttendanceError) as error:
        door(session, "  ", now=during)
    assert error.value.code == "name_required"


def test_the_organiser_confirms_or_undoes_a_door_check_in(db, series, session, organiser):
    sanne = invite(series, session, name="Sanne").person
    jan = invite(series, session, name="Jan").person
    piet = invite(series, session, name="Piet").person
    during = session.starts_at + timedelta(minutes=5)
    for name in ("Sanne", "Jan", "Piet"):
        door(session, name, now=during)
    row = confirm_check_in(session, sanne.id, actor=organiser, now=during)
    assert (row.status, row.via, row.changed_by_id) == ("present", "self", organiser.id)
    undo_check_in(session, jan.id)
    mark(session, piet.id, "present", actor=organiser)  # marked on the list: no longer waiting
    assert pending_names(db, session) == []
    marked = {r.person.name: r.status for r in session_list(session) if r.status}
    assert marked == {"Sanne": "present", "Piet": "present"}
    for refused in (lambda: confirm_check_in(session, jan.id, actor=organiser), lambda: undo_check_in(session, jan.id)):
        with pytest.raises(AttendanceError) as error:
            refused()
        assert error.value.code == "no_pending_check_in"
    door(session, "Sanne", now=during)
    assert pending_names(db, session) == [], "someone present is not asked about again"


def test_a_pending_door_check_in_sends_no_evaluation(db, series, session, organiser):
    from planner.evaluations.sending import send_requests

    sanne = invite(series, session, name="Sanne").person
    door(session, "Sanne", now=session.starts_at)
    after = session.ends_at + timedelta(days=1)
    assert send_requests(after) == 0
    confirm_check_in(session, sanne.id, actor=organiser)
    assert send_requests(after) == 1


def test_tries_at_the_door_are_limited_per_session_and_client(db, series, session):
    other = series.sessions[1]
    invite(series, session, name="Sanne")
    invite(series, other, name="Piet")
    during = session.starts_at + timedelta(minutes=5)
    small = TryLimit(per_client=3, window=timedelta(minutes=15))
    for name in ("Onbekend", "Klaas", "Mies"):
        door(session, name, now=during, limit=small)
    with pytest.raises(AttendanceError) as error:
        door(session, "Sanne", now=during + timedelta(minutes=1), limit=small)
    assert (error.value.code, error.value.params) == ("door_throttled", {"minutes": 14})
    assert pending_names(db, session) == [], "a refused try asks nothing"
    door(session, "Sanne", now=during, client="198.51.100.7", limit=small)  # another client address
    assert pending_names(db, session) == ["Sanne"]
    door(other, "Piet", now=other.starts_at, limit=small)  # another session
    assert pending_names(db, other) == ["Piet"]
    door(session, "Kees", now=during + timedelta(minutes=15), limit=small)  # the window has passed


def test_tries_at_the_door_do_not_slow_down_logins_from_that_network(app, db, series, session, organiser):
    from planner.auth.services import authenticate
    from planner.auth.throttling import LoginLimits, LoginSource

    during = session.starts_at + timedelta(minutes=5)
    for n in range(25):
        door(session, f"Gast {n}", now=during)
    user = authenticate(
        organiser.email,
        PASSWORD,
        source=LoginSource(client="192.0.2.1"),
        limits=LoginLimits.from_config(app.config),
        now=during,
    )
    assert user.id == organiser.id


def test_a_closed_or_renewed_door_code(db, series, session):
    invite(series, session, name="Sanne")
    during = session.starts_at + timedelta(minutes=5)
    old = session.door_code
    assert len(old) >= 12
    assert old != series.sessions[1].door_code, "each session its own random code"
    close_door(session)
    with pytest.raises(AttendanceError) as error:
        door(session, "Sanne", now=during)
    assert error.value.code == "door_closed"
    new = renew_door_code(session)
    assert new != old
    assert session.door_open
    door(session, "Sanne", now=during)
    assert pending_names(db, session) == ["Sanne"]


def test_a_pending_door_check_in_is_part_of_their_data_and_goes_with_them(db, series, session, organiser):
    from planner.attendance.models import DoorCheckIn
    from planner.privacy.own_data import collect_own_data
    from planner.privacy.purge import erase_person

    sanne = db.session.get(Person, invite(series, session, name="Sanne de Vries").person_id)
    door(session, "Sanne de Vries", now=session.starts_at + timedelta(minutes=5))
    db.session.commit()
    [asked] = collect_own_data(sanne)["door_check_ins"]
    assert (asked["series"], asked["session"]) == (series.title, session.title)

    report = erase_person(sanne, actor=organiser)
    db.session.commit()
    assert report.counts["door_check_in"] == 1
    assert count(db, DoorCheckIn) == 0, "an erased person leaves no name at the door"
