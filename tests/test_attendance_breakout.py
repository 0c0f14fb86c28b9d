"""Breakout groups of a session: who is divided, stored drawings, redraws, facilitators, moves, pages."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from planner.attendance.breakout import draw, drawing_of, groups_view, move, participants, toggle_facilitator
from planner.attendance.models import BreakoutMember
from planner.attendance.services import AttendanceError, mark
from planner.invitations.services import answer
from planner.people.services import find_or_create_organisation
from tests import factories


@pytest.fixture
def series(db, programme, organiser):
    organiser.locale = "en"
    return factories.make_series(programme, organiser)


@pytest.fixture
def session(series):
    return series.sessions[0]


def fill(db, series, session, n=12, organisations=4):
    invitations = []
    for i in range(n):
        organisation = find_or_create_organisation(f"Organisatie {i % organisations}")
        invitation = factories.make_invitation(
            series, name=f"Deelnemer {i:02}", organisation=organisation, language="en"
        )
        invitation.learning_question = f"Vraag {i}" if i % 3 == 0 else ""
        answer(invitation, session, "yes")
        invitations.append(invitation)
    db.session.commit()
    return invitations


def layout(session):
    return sorted((m.group_number, m.person_id) for m in drawing_of(session).members)


def test_before_the_session_those_who_said_yes_are_divided_then_those_present(db, organiser, series, session):
    invitations = fill(db, series, session, n=6)
    assert len(participants(session)) == 6
    mark(session, invitations[0].person_id, "present", actor=organiser)
    assert [p.id for p in participants(session)] == [invitations[0].person_id]


def test_a_drawing_is_stored_and_the_same_seed_gives_the_same_groups(db, organiser, series, session):
    fill(db, series, session)
    drawing = draw(session, how="size", number=3, actor=organiser, seed=7)
    db.session.commit()
    assert drawing.group_count == 4
    assert drawing.seed == 7
    first = layout(session)
    sizes = {len(g.people) for g in groups_view(session, drawing)}
    assert sizes == {3}
    assert all(len({p.organisation_id for p in g.people}) == 3 for g in groups_view(session, drawing))
    draw(session, how="size", number=3, actor=organiser, seed=7)
    db.session.commit()
    assert layout(session) == first
    assert db.session.scalar(select(func.count()).select_from(BreakoutMember)) == 12


def test_facilitators_stay_in_their_group_when_redrawn_and_people_can_be_moved(db, organiser, series, session):
    invitations = fill(db, series, session)
    draw(session, how="count", number=3, actor=organiser, seed=1)
    facilitator = invitations[0].person_id
    group = next(m.group_number for m in drawing_of(session).members if m.person_id == facilitator)
    toggle_facilitator(session, facilitator)
    db.session.commit()
    for seed in (2, 3, 4):
        draw(session, how="count", number=3, actor=organiser, seed=seed)
        db.session.commit()
        [member] = [m for m in drawing_of(session).members if m.person_id == facilitator]
        assert member.group_number == group
        assert member.is_facilitator
    view = groups_view(session, drawing_of(session))
    assert view[group - 1].facilitator.id == facilitator
    assert view[group - 1].people[0].id == facilitator
    assert any("Vraag 0" in g.questions for g in view)
    other = 1 if group != 1 else 2
    move(session, invitations[5].person_id, other)
    db.session.commit()
    assert (other, invitations[5].person_id) in layout(session)
    with pytest.raises(AttendanceError) as error:
        move(session, invitations[5].person_id, 9)
    assert error.value.code == "no_such_group"


def test_bad_requests_are_refused(db, organiser, series, session):
    for how, number, code in (
        ("count", 2, "nobody_to_divide"),
        ("size", 0, "bad_group_request"),
        ("rows", 2, "bad_group_request"),
    ):
        with pytest.raises(AttendanceError) as error:
            draw(session, how=how, number=number, actor=organiser)
        assert error.value.code == code


def test_drawing_with_nobody_to_divide_is_refused_with_the_reason(organiser_client, series, session):
    page = f"/series/{series.id}/sessions/{session.id}/groups"
    html = organiser_client.get(page).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    refused = organiser_client.post(page, data={"csrf_token": token, "how": "count", "number": "2"})
    assert refused.status_code == 422
    assert "There is nobody to divide yet" in refused.get_data(as_text=True)


def test_the_groups_pages(db, organiser_client, series, session):
    fill(db, series, session, n=8)
    page = f"/series/{series.id}/sessions/{session.id}/groups"
    html = organiser_client.get(page).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    assert organiser_client.post(page, data={"csrf_token": token, "how": "count", "number": "0"}).status_code == 422
    response = organiser_client.post(
        page, data={"csrf_token": token, "how": "count", "number": "2"}, follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert "Group 2" in html
    assert "Vraag 0" in html
    member = drawing_of(session).members[0]
    response = organiser_client.post(
        page + "/change", data={"csrf_token": token, "person_id": member.person_id, "action": "facilitator"}
    )
    assert response.status_code == 302
    assert organiser_client.post(page + "/change", data={"csrf_token": token, "person_id": "x"}).status_code == 400
    printed = organiser_client.get(page + "/print").get_data(as_text=True)
    assert "Facilitator" in printed
    assert "Group 1" in printed
    assert "@" not in printed.split("<main", 1)[1]
