"""Attendance figures per session and per series, on screen and as CSV / XLSX."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from planner.attendance.figures import session_figures, sessions_attended
from planner.attendance.services import add_walk_in, mark
from planner.invitations.services import answer
from planner.people.services import find_or_create_organisation
from tests import factories
from tests.conftest import login


@pytest.fixture
def series(db, programme, organiser):
    organiser.locale = "en"
    return factories.make_series(programme, organiser, count=4)


@pytest.fixture
def filled(db, organiser, series):
    one, two = series.sessions[0], series.sessions[1]
    team = find_or_create_organisation("Buurtteam")
    people = []
    for i, role in enumerate(["resident", "resident", "professional"]):
        invitation = factories.make_invitation(series, name=f"P{i}", role=role, organisation=team, municipality="Gendt")
        answer(invitation, one, "yes")
        answer(invitation, two, "yes")
        people.append(invitation.person_id)
    mark(one, people[0], "present", actor=organiser)
    mark(one, people[1], "present", actor=organiser)
    mark(one, people[2], "absent", actor=organiser)
    mark(two, people[0], "present", actor=organiser)
    add_walk_in(one, name="Noor", role="volunteer", actor=organiser)
    db.session.commit()
    return series


def test_session_figures_come_from_the_database(filled):
    figures = session_figures(filled.sessions[0])
    assert (figures.present, figures.said_yes, figures.yes_but_absent) == (3, 3, 1)
    assert figures.yes_but_absent_rate == pytest.approx(1 / 3)
    assert figures.by_role == [("resident", 2), ("volunteer", 1)]
    assert figures.by_organisation == [("Buurtteam", 2), ("", 1)]
    assert dict(figures.by_municipality)["Gendt"] == 2


def test_how_many_came_to_how_many_sessions(filled):
    assert sessions_attended(filled) == [(1, 2), (2, 1)]


def test_the_figures_page_and_downloads(organiser_client, filled):
    html = organiser_client.get(f"/series/{filled.id}/attendance").get_data(as_text=True)
    assert "1 of 4 sessions" in html
    assert "Said yes but did not come" in html
    assert "33%" in html
    csv = organiser_client.get(f"/series/{filled.id}/attendance.csv")
    assert csv.mimetype == "text/csv"
    assert "Buurtteam;2" in csv.get_data(as_text=True)
    xlsx = organiser_client.get(f"/series/{filled.id}/attendance.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    assert rows[0] == ("What", "Session", "Value", "Number")
    assert ("people who came to this many sessions", None, 2, 1) in rows


def test_trekkers_read_the_figures_others_do_not(client, db, programme, filled):
    trekker = factories.make_user(email="trekker@example.org")
    factories.add_member(programme, trekker, "trekker")
    outsider = factories.make_user(email="outsider@example.org")
    db.session.commit()
    login(client, trekker.email)
    assert client.get(f"/series/{filled.id}/attendance").status_code == 200
    assert client.get(f"/series/{filled.id}/sessions/{filled.sessions[0].id}/check-in").status_code == 404
    client.post("/logout", data={"csrf_token": client.csrf_token()}) if hasattr(client, "csrf_token") else None
    other = client.application.test_client()
    login(other, outsider.email)
    assert other.get(f"/series/{filled.id}/attendance").status_code == 404


@pytest.fixture
def crowded(db, organiser, series):
    """Session one: 6 residents of Buurtteam in Gendt, 5 volunteers in Bemmel, 3 others in Elst."""
    one = series.sessions[0]
    team = find_or_create_organisation("Buurtteam")
    for i, (role, organisation, town) in enumerate(
        [("resident", team, "Gendt")] * 6
        + [("volunteer", None, "Bemmel")] * 5
        + [("professional", None, "Elst")]
        + [("expert", None, "Elst")] * 2
    ):
        invitation = factories.make_invitation(
            series, name=f"Q{i}", role=role, organisation=organisation, municipality=town
        )
        answer(invitation, one, "yes")
        mark(one, invitation.person_id, "present", actor=organiser)
    db.session.commit()
    return series


def test_trekkers_see_small_groups_together_organisers_see_them_all(client, db, programme, organiser, crowded):
    trekker = factories.make_user(email="trekker@example.org")
    trekker.locale = "en"
    factories.add_member(programme, trekker, "trekker")
    db.session.commit()
    login(client, trekker.email)
    html = client.get(f"/series/{crowded.id}/attendance").get_data(as_text=True)
    assert "Resident" in html
    assert "Buurtteam" in html
    assert "Gendt" in html
    assert "Volunteer" not in html
    assert "Elst" not in html
    assert "Bemmel" not in html
    assert "other (groups of fewer than 5)" in html
    rows = list(
        load_workbook(io.BytesIO(client.get(f"/series/{crowded.id}/attendance.xlsx").data)).active.iter_rows(
            values_only=True
        )
    )
    assert not [
        r
        for r in rows[1:]
        if r[0] != "people who came to this many sessions" and isinstance(r[3], int) and 0 < r[3] < 5
    ], "the trekker's download shows the same groups"
    assert ("people who came to this many sessions", None, 1, 14) in rows
    other = client.application.test_client()
    login(other, organiser.email)
    html = other.get(f"/series/{crowded.id}/attendance").get_data(as_text=True)
    assert "Volunteer" in html, "the organiser took the attendance and sees every group"
    assert "Elst" in html, "the organiser took the attendance and sees every group"


def test_small_groups_merge_until_each_has_five():
    from planner.attendance.figures import OTHER, merged_groups, merged_ranges

    assert merged_groups([("a", 9), ("b", 6), ("c", 2), ("d", 1)]) == [("a", 9), (OTHER, 9)]
    assert merged_groups([("a", 9), ("b", 6), ("c", 5)]) == [("a", 9), ("b", 6), ("c", 5)]
    assert merged_groups([("a", 9), ("c", 2)]) == [], "one group left: no breakdown"
    assert merged_ranges([(1, 2), (2, 6), (3, 1), (4, 3)]) == [((1, 4), 12)], "a small tail joins the row before"
    assert merged_ranges([(1, 6), (2, 2), (3, 3), (4, 1)]) == [((1, 1), 6), ((2, 4), 6)]
    assert merged_ranges([(1, 2), (4, 1)]) == [((1, 4), 3)]
