"""Pasted addresses keep the name pasted with them; bare new ones get a name before anyone is stored."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st
from sqlalchemy import func, select

from planner.errors import DomainError
from planner.invitations.models import Invitation
from planner.invitations.services import people_from_addresses
from planner.mail.models import OutboxMessage
from planner.people.models import Person
from planner.people.pasting import PastedAddress, read_pasted_addresses
from planner.series.services import publish_series
from tests import factories


@pytest.fixture
def series(db, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    publish_series(series)
    db.session.commit()
    return series


def page_of(series):
    return f"/series/{series.id}/invitations"


def count(db, model) -> int:
    return db.session.scalar(select(func.count(model.id)))


# Reading the pasted text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mirjam Nieuw <Mirjam.Nieuw@example.org>", [("mirjam.nieuw@example.org", "Mirjam Nieuw")]),
        ('"Jansen, Piet" <piet@example.org>', [("piet@example.org", "Jansen, Piet")]),
        ("'Mirjam' <m@example.org>; bram@example.org", [("m@example.org", "Mirjam"), ("bram@example.org", "")]),
        ("a@example.org b@example.org", [("a@example.org", ""), ("b@example.org", "")]),
        ("Mirjam <m@example.org> Piet <p@example.org>", [("m@example.org", "Mirjam"), ("p@example.org", "Piet")]),
        (
            "Piet de Vries\tpiet@example.org\nAnn\tann@example.org",
            [("piet@example.org", "Piet de Vries"), ("ann@example.org", "Ann")],
        ),
        ('"m@example.org" <m@example.org>', [("m@example.org", "")]),  # Outlook's address as its own name
        ("m@example.org, Mirjam <M@example.org>", [("m@example.org", "Mirjam")]),  # once, with the name
        ("\n , ;  \n", []),
    ],
)
def test_pasted_text_is_read_as_mail_programs_and_spreadsheets_copy_it(text, expected):
    pasted = read_pasted_addresses(text)
    assert pasted.bad == []
    assert [(p.address, p.name) for p in pasted.addresses] == expected


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("good@example.org, not-an-address", ["not-an-address"]),
        ("Mirjam <nope>", ["Mirjam <nope>"]),
        ("Jan a@example.org b@example.org", ["Jan a@example.org b@example.org"]),  # whose name is Jan?
        ("<m@example.org", ["<m@example.org"]),
    ],
)
def test_what_is_no_address_is_named_as_pasted(text, bad):
    assert read_pasted_addresses(text).bad == bad


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_pasted_text_reads_without_an_error_into_valid_addresses(text):
    pasted = read_pasted_addresses(text)
    addresses = [p.address for p in pasted.addresses]
    assert len(addresses) == len(set(addresses))
    for one in pasted.addresses:
        assert isinstance(one, PastedAddress)
        assert one.address == one.address.lower()
        assert "@" in one.address
        assert "<" not in one.name
        assert ">" not in one.name


# The service: all or nothing


def test_a_bare_new_address_is_refused_until_it_has_a_name_and_nothing_is_stored(db):
    factories.make_person(name="Bram Bekend", email="bram@example.org")
    with pytest.raises(DomainError) as refused:
        people_from_addresses("Kees <kees@example.org>, mirjam.nieuw@example.org, BRAM@example.org")
    assert refused.value.code == "names_needed"
    assert refused.value.params["addresses"] == "mirjam.nieuw@example.org"
    db.session.rollback()
    assert count(db, Person) == 1, "not even Kees, who came with a name"

    people = people_from_addresses(
        "Kees <kees@example.org>, mirjam.nieuw@example.org, BRAM@example.org",
        {"mirjam.nieuw@example.org": "Mirjam"},
    )
    assert [(p.name, p.email) for p in people] == [
        ("Kees", "kees@example.org"),
        ("Mirjam", "mirjam.nieuw@example.org"),
        ("Bram Bekend", "bram@example.org"),  # a known person keeps their own name
    ]
    assert not db.session.scalar(select(Person).where(Person.name == "mirjam.nieuw"))


def test_a_name_that_the_person_form_would_refuse_stores_nobody(db):
    with pytest.raises(DomainError) as refused:
        people_from_addresses("Kees <kees@example.org>, n@example.org", {"n@example.org": "x" * 121})
    assert refused.value.code == "newcomer_refused"
    assert refused.value.params["address"] == "n@example.org"
    db.session.rollback()
    assert count(db, Person) == 0


# The page: a review step


def test_named_addresses_are_invited_at_once_with_their_names(organiser_client, db, series):
    response = organiser_client.post(
        page_of(series),
        data={
            "emails": "Mirjam de Vries <mirjam@example.org>; 'Piet' <piet@example.org>",
            "sessions": [series.sessions[0].id],
            "send_confirmed": "1",  # past the preview of the two mails
        },
    )
    assert response.status_code == 302
    names = set(db.session.scalars(select(Person.name).join(Invitation, Invitation.person_id == Person.id)))
    assert names == {"Mirjam de Vries", "Piet"}


def test_bare_addresses_ask_for_a_name_first_and_keep_the_rest_of_the_form(organiser_client, db, series):
    organiser_client.post("/language", data={"lang": "en"})
    known = factories.make_person(name="Bram Bekend", email="bram@example.org")
    first, second = series.sessions[0], series.sessions[1]
    pasted = "Kees <kees@example.org>\nmirjam.nieuw@example.org\nbram@example.org"
    review = organiser_client.post(
        page_of(series), data={"emails": pasted, "sessions": [first.id, second.id], "people": [known.id]}
    )
    assert review.status_code == 200
    page = review.get_data(as_text=True)
    assert "Who are these people?" in page
    assert "Name of mirjam.nieuw@example.org" in page
    assert 'value="Kees"' in page, "a pasted name is shown, to check"
    assert "Name of bram@example.org" not in page, "a known person is not asked about"
    assert count(db, Person) == 1
    assert count(db, Invitation) == 0
    assert count(db, OutboxMessage) == 0

    fields = dict(re.findall(r'name="(newcomers-\d+-address)" type="hidden" value="([^"]*)"', page))
    assert sorted(fields.values()) == ["kees@example.org", "mirjam.nieuw@example.org"]
    hidden = {
        "emails": pasted,
        "sessions": [first.id, second.id],
        "people": [known.id],
        **fields,
    }
    mirjam = next(key for key, value in fields.items() if value == "mirjam.nieuw@example.org").replace(
        "address", "name"
    )
    kees = next(key for key, value in fields.items() if value == "kees@example.org").replace("address", "name")

    again = organiser_client.post(page_of(series), data={**hidden, kees: "Kees", mirjam: "   "})
    assert again.status_code == 422
    assert "Enter a name; a first name is enough." in again.get_data(as_text=True)
    assert count(db, Person) == 1

    named = {**hidden, kees: "Kees K.", mirjam: "Mirjam"}
    shown = organiser_client.post(page_of(series), data=named)
    assert "3 people get a mail" in shown.get_data(as_text=True), "the names given: the mails are shown first"
    assert count(db, Person) == 1, "and nobody is stored yet"
    done = organiser_client.post(page_of(series), data=named | {"send_confirmed": "1"})
    assert done.status_code == 302
    invited = dict(
        db.session.execute(select(Person.email, Person.name).join(Invitation, Invitation.person_id == Person.id)).all()
    )
    assert invited == {
        "kees@example.org": "Kees K.",
        "mirjam.nieuw@example.org": "Mirjam",
        "bram@example.org": "Bram Bekend",
    }
    assert count(db, OutboxMessage) == 3
    assert not db.session.scalar(select(Person).where(Person.name == "mirjam.nieuw"))


def test_a_name_too_long_on_the_review_step_stays_on_it_and_stores_nobody(organiser_client, db, series):
    organiser_client.post("/language", data={"lang": "en"})
    data = {
        "emails": "n@example.org",
        "sessions": [series.sessions[0].id],
        "newcomers-0-address": "n@example.org",
        "newcomers-0-name": "x" * 500,
    }
    response = organiser_client.post(page_of(series), data=data)
    assert response.status_code == 422
    assert "Who are these people?" in response.get_data(as_text=True)
    assert count(db, Person) == 0


def test_bad_addresses_are_refused_before_any_name_is_asked(organiser_client, db, series):
    organiser_client.post("/language", data={"lang": "en"})
    response = organiser_client.post(
        page_of(series), data={"emails": "nieuw@example.org, not-an-address", "sessions": [series.sessions[0].id]}
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "not-an-address" in page
    assert "Who are these people?" not in page
    assert count(db, Person) == 0
