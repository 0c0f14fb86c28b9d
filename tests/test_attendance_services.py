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
    history,
    mark,
    self_check_in,
    session_list,
    unmark,
)
from planner.errors import DomainError
from planner.invitations.services import answer
from planner.people.models import Person
from planner.people.services import find_or_create_organisation
from tests import factories


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
            session_id=session.id, person_id=invitation.person_id, status="present", via="door",
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
    assert add_walk_in(session, name="Kees", role="professional", organisation="buurtteam gendt", actor=organiser) == colleague
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


def test_self_check_in_by_name_among_those_invited(db, series, session):
    invite(series, session, name="Sanne de Vries")
    invite(series, session, name="Jan")
    invite(series, session, name="jan ")
    during = session.starts_at + timedelta(minutes=5)
    assert check_in_by_name(session, "  sanne DE vries", now=during).name == "Sanne de Vries"
    for name, code in (("Piet", "name_not_found"), ("Jan", "name_ambiguous"), ("", "name_required")):
        with pytest.raises(DomainError) as error:
            check_in_by_name(session, name, now=during)
        assert error.value.code == code
