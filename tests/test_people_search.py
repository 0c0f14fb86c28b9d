"""One people search: the people list, the invitation page's person picker and the check-in
screen find the same people for the same words, accented capitals included, on both databases."""

from __future__ import annotations

import re

import pytest

from planner.attendance.services import session_list
from planner.extensions import db as _db
from planner.invitations.overview import find_people
from planner.people.models import people_matching
from planner.people.services import save_organisation
from tests import factories

EVERYONE = {"Émile Dubois", "René", "Sjaak Één", "Bram de Vries", "Mila_Jansen", "Élise"}


@pytest.fixture
def session(db, programme, organiser):
    series = factories.make_series(programme, organiser)
    zorg = save_organisation(None, name="Stichting Mantelzorg", municipality="Arnhem")
    wijkteam = save_organisation(None, name="Wijkteam Oost", municipality="Nijmegen")
    invited = [
        factories.make_person(name="Émile Dubois", email="emile@zorg.nl", organisation=zorg),
        factories.make_person(name="René", email=None, municipality="Heumen"),
        factories.make_person(name="Sjaak Één", email="sjaak@example.org"),
        factories.make_person(name="Bram de Vries", email="bram@example.org", organisation=wijkteam),
        factories.make_person(name="Mila_Jansen", email="mila@example.org"),
    ]
    for person in invited:
        factories.make_invitation(series, person)
    factories.make_person(name="Élise", email="elise@example.org", municipality="Arnhem")  # not invited
    return series.sessions[0]


def found(session, term: str) -> tuple[set[str], set[str], set[str]]:
    on_the_list = {row.person.name for row in session_list(session)}
    people_list = {p.name for p in _db.session.scalars(people_matching(term))}
    picker = {p.name for p in find_people(term)}
    check_in = {row.person.name for row in session_list(session, term)}
    assert check_in <= on_the_list
    return people_list, picker, check_in


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("", EVERYONE),
        ("é", {"Émile Dubois", "René", "Sjaak Één", "Élise"}),
        ("ÉÉN", {"Sjaak Één"}),
        ("ÉMILE", {"Émile Dubois"}),
        ("zorg.nl", {"Émile Dubois"}),
        ("mantelzorg", {"Émile Dubois"}),
        ("ARNHEM", {"Émile Dubois", "Élise"}),
        ("heumen", {"René"}),
        ("vries bram", {"Bram de Vries"}),
        ("bram arnhem", set()),
        ("_", {"Mila_Jansen"}),
        ("100%", set()),
    ],
)
def test_the_three_searches_find_the_same_people(db, session, term, expected):
    people_list, picker, check_in = found(session, term)
    assert people_list == expected, f"people list for {term!r}"
    assert picker == expected, f"invitation picker for {term!r}"
    assert check_in == expected - {"Élise"}, f"check-in screen for {term!r} (Élise is not invited)"


def test_the_pages_use_that_search(db, organiser_client, session):
    series_page = f"/series/{session.series_id}"
    people = organiser_client.get("/people/?q=%C3%89%C3%89N").get_data(as_text=True)  # ÉÉN
    invitations = organiser_client.get(f"{series_page}/invitations?q=%C3%A9%C3%A9n")  # één
    invitations = invitations.get_data(as_text=True)
    picker = re.search(r'<div class="people-picker">(.*?)</div>', invitations, re.S)
    assert picker, "the invitation page shows people to pick"
    picker = picker.group(1)
    check_in = organiser_client.get(f"{series_page}/sessions/{session.id}/check-in?q=%C3%A9%C3%A9N")  # ééN
    row = r'<li id="person-\d+" class="checkin-row[^"]*">(.*?)</li>'
    rows = re.findall(row, check_in.get_data(as_text=True), re.S)
    pages = [("people list", people), ("invitation picker", picker), ("check-in screen", "".join(rows))]
    for name, page in pages:
        assert "Sjaak Één" in page, f"{name}: Sjaak Één found"
        assert "René" not in page, f"{name}: only Sjaak Één found"
        assert "Émile" not in page, f"{name}: only Sjaak Één found"
    assert len(rows) == 1, "one row on the check-in screen"
