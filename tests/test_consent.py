"""Consent per purpose, and a guardian's consent for under-16s wherever a person can be added."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from planner.audit.models import AuditEvent
from planner.people.models import Consent, ConsentPurpose, Organisation, Person
from planner.people.services import PeopleError, consent_of, record_consent
from tests import factories
from tests.test_people_import import csv_bytes, hidden, review_data, selected, upload

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def english(client):
    client.post("/language", data={"lang": "en"})
    return client


def count(db, model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


# --- The service


def test_record_consent_gives_withdraws_and_forgets(db, organiser):
    person = factories.make_person(name="Fenna")
    given = record_consent(person, ConsentPurpose.PHOTOS, True, organiser, now=NOON)
    db.session.commit()
    assert (given.given, given.recorded_by_id, given.recorded_at) == (True, organiser.id, NOON)

    later = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    same = record_consent(person, ConsentPurpose.PHOTOS, True, None, now=later)
    assert same.recorded_at == NOON, "an unchanged answer keeps its record"
    assert same.recorded_by_id == organiser.id, "an unchanged answer keeps its record"

    withdrawn = record_consent(person, ConsentPurpose.PHOTOS, False, None, now=later)
    db.session.commit()
    assert (withdrawn.given, withdrawn.recorded_by_id, withdrawn.recorded_at) == (False, None, later)
    assert consent_of(person, ConsentPurpose.PHOTOS) is False
    assert consent_of(person, ConsentPurpose.RESEARCH) is None

    assert record_consent(person, ConsentPurpose.PHOTOS, None, organiser) is None
    db.session.commit()
    assert count(db, Consent) == 0


def test_an_unknown_purpose_is_refused(db, organiser):
    person = factories.make_person()
    with pytest.raises(PeopleError) as refused:
        record_consent(person, "selling", True, organiser)
    assert refused.value.code == "unknown_consent_purpose"


# --- Staff: the person form and the person page


def test_the_person_form_records_consent_and_the_person_page_shows_it(organiser_client, organiser, db):
    english(organiser_client)
    person = factories.make_person(name="Gijs")
    form = organiser_client.get(f"/people/{person.id}/edit").get_data(as_text=True)
    for purpose in ConsentPurpose:
        assert f'name="consent_{purpose}"' in form
    data = {
        "name": "Gijs",
        "role": "resident",
        "email": person.email,
        "language": "nl",
        "organisation_id": "0",
        "consent_participation": "yes",
        "consent_photos": "no",
        "consent_contact_shared": "",
        "consent_research": "yes",
    }
    response = organiser_client.post(f"/people/{person.id}/edit", data=data)
    assert response.status_code == 302
    db.session.expire_all()
    answers = {c.purpose: (c.given, c.recorded_by_id) for c in db.session.get(Person, person.id).consents}
    assert answers == {
        "participation": (True, organiser.id),
        "photos": (False, organiser.id),
        "research": (True, organiser.id),
    }
    page = organiser_client.get(f"/people/{person.id}").get_data(as_text=True)
    assert "Being photographed" in page
    assert "Not asked" in page
    assert "Olga Organiser" in page
    # The form shows what was recorded, and "not asked" removes a record.
    form = organiser_client.get(f"/people/{person.id}/edit").get_data(as_text=True)
    assert '<input checked id="consent_photos-1" name="consent_photos" type="radio" value="no">' in form
    organiser_client.post(f"/people/{person.id}/edit", data={**data, "consent_research": ""})
    assert count(db, Consent) == 2


def test_an_unknown_consent_answer_is_refused_and_nothing_changes(organiser_client, db):
    person = factories.make_person(name="Hanna")
    data = {
        "name": "Hanna 2",
        "role": "resident",
        "email": person.email,
        "language": "nl",
        "organisation_id": "0",
        "consent_photos": "maybe",
    }
    assert organiser_client.post(f"/people/{person.id}/edit", data=data).status_code == 422
    db.session.expire_all()
    assert db.session.get(Person, person.id).name == "Hanna"
    assert count(db, Consent) == 0


# --- The participant, on their own page


@pytest.fixture
def invitation(programme, organiser):
    series = factories.make_series(programme, organiser)
    return factories.make_invitation(series, name="Iris", language="en")


def test_the_participant_gives_and_withdraws_consent_on_their_own_page(client, db, invitation):
    page = client.get(f"/i/{invitation.token}").get_data(as_text=True)
    assert "What you agree to" in page
    assert 'name="consent_photos"' in page
    assert f'action="/i/{invitation.token}/consent"' in page
    response = client.post(f"/i/{invitation.token}/consent", data={"consent_photos": "yes", "consent_research": "no"})
    assert response.status_code == 303
    assert response.location.endswith(f"/i/{invitation.token}#consent")
    consents = {c.purpose: c for c in db.session.scalars(select(Consent))}
    assert {p: (c.given, c.recorded_by_id) for p, c in consents.items()} == {
        "photos": (True, None),
        "research": (False, None),
    }
    page = client.get(f"/i/{invitation.token}").get_data(as_text=True)
    assert re.search(r'id="consent-photos-yes"[^>]*checked', page)
    client.post(f"/i/{invitation.token}/consent", data={"consent_photos": "no"})
    db.session.expire_all()
    assert db.session.scalar(select(Consent.given).where(Consent.purpose == "photos")) is False
    trail = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "consent")).all()
    assert [(e.actor, e.object_id) for e in trail] == [("participant", str(invitation.person_id))] * 2
    assert "Iris" not in " ".join(e.detail for e in trail)


def test_a_bad_answer_or_a_bad_link_changes_nothing(client, db, invitation):
    response = client.post(
        f"/i/{invitation.token}/consent", data={"consent_photos": "perhaps", "consent_research": "yes"}
    )
    assert response.status_code == 400
    assert "yes or no" in response.get_data(as_text=True)
    assert client.post("/i/" + "x" * 30 + "/consent", data={"consent_photos": "yes"}).status_code == 404
    assert count(db, Consent) == 0


# --- Under 16: the person form, the import, the walk-in, pasted addresses


def test_the_person_form_refuses_an_under_16_without_consent(organiser_client, db):
    english(organiser_client)
    data = {"name": "Jip", "role": "resident", "language": "nl", "organisation_id": "0", "under_16": "y"}
    response = organiser_client.post("/people/new", data=data)
    assert response.status_code == 422
    assert "parent or guardian has consented" in response.get_data(as_text=True)
    assert count(db, Person) == 0
    data.update(guardian_consent_on="2026-01-10", guardian_consent_by="Moeder van Jip")
    assert organiser_client.post("/people/new", data=data).status_code == 302
    assert count(db, Person) == 1


IMPORT_HEADER = ["Naam", "Rol", "Jonger dan 16", "Datum toestemming", "Toestemming door"]


def test_the_import_refuses_under_16_rows_without_consent(organiser_client, db):
    english(organiser_client)
    rows = [
        IMPORT_HEADER,
        ["Kim", "bewoner", "ja", "12-01-2026", "Vader van Kim"],
        ["Lotte", "bewoner", "ja", "", ""],
        ["Mo", "bewoner", "ja", "morgen", "Oma"],
        ["Nina", "bewoner", "misschien", "", ""],
        ["Olaf", "vrijwilliger", "nee", "", ""],
    ]
    page = upload(organiser_client, csv_bytes(rows)).get_data(as_text=True)
    assert "2 rows can be imported." in page
    assert "parent or guardian has consented" in page
    assert "is not a date" in page
    assert "yes or no" in page
    proposed = [selected(page, f"column_{f}") for f in ("under_16", "guardian_consent_on", "guardian_consent_by")]
    assert proposed == ["2", "3", "4"], "the Dutch headers are recognised"
    data = review_data(page, column_under_16="2", column_guardian_consent_on="3", column_guardian_consent_by="4")

    refused = organiser_client.post("/people/import/review", data={**data, "all_or_nothing": "y", "import": "1"})
    assert refused.status_code == 422
    assert count(db, Person) == 0

    assert organiser_client.post("/people/import/review", data={**data, "import": "1"}).status_code == 302
    stored = {p.name: p for p in db.session.scalars(select(Person))}
    assert set(stored) == {"Kim", "Olaf"}
    assert (stored["Kim"].under_16, stored["Kim"].guardian_consent_on, stored["Kim"].guardian_consent_by) == (
        True,
        date(2026, 1, 12),
        "Vader van Kim",
    )
    assert not stored["Olaf"].under_16
    assert stored["Olaf"].guardian_consent_on is None
    entry = db.session.scalar(select(AuditEvent).where(AuditEvent.source == "POST /people/import/review"))
    assert entry.action == "change"
    assert "2 imported" in entry.detail


def test_an_xlsx_import_with_english_headers_and_a_date_cell(organiser_client, db):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Role", "Under 16", "Consent date", "Consent given by"])
    sheet.append(["Pim", "resident", "yes", datetime(2026, 2, 1), "Mother"])  # noqa: DTZ001 - a cell has no zone
    sheet.append(["Quinn", "resident", "yes", None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = upload(organiser_client, buffer.getvalue(), filename="list.xlsx").get_data(as_text=True)
    assert hidden(page, "payload")
    organiser_client.post(
        "/people/import/review",
        data={
            **review_data(page, column_under_16="2", column_guardian_consent_on="3", column_guardian_consent_by="4"),
            "import": "1",
        },
    )
    stored = db.session.scalars(select(Person)).all()
    assert [(p.name, p.guardian_consent_on) for p in stored] == [("Pim", date(2026, 2, 1))]


@pytest.fixture
def door(db, programme, organiser):
    organiser.locale = "en"
    db.session.commit()
    series = factories.make_series(programme, organiser)
    session = series.sessions[0]
    return f"/series/{series.id}/sessions/{session.id}/check-in"


def test_a_walk_in_under_16_needs_the_guardians_consent(organiser_client, db, door):
    page = organiser_client.get(door).get_data(as_text=True)
    assert 'name="under_16"' in page
    assert 'name="guardian_consent_by"' in page
    data = {"name": "Roos", "role": "resident", "organisation": "Jongerenwerk", "email": "", "under_16": "y"}
    response = organiser_client.post(door + "/walk-in", data=data)
    assert response.status_code == 422
    assert "parent or guardian has consented" in response.get_data(as_text=True)
    assert count(db, Person) == 0, "nothing half-saved"
    assert count(db, Organisation) == 0, "nothing half-saved"
    data.update(guardian_consent_on="2026-03-01", guardian_consent_by="Vader van Roos")
    assert organiser_client.post(door + "/walk-in", data=data).status_code == 302
    person = db.session.scalar(select(Person))
    assert (person.under_16, person.guardian_consent_by) == (True, "Vader van Roos")


def test_pasted_addresses_become_adults_and_the_form_says_so(organiser_client, db, programme, organiser):
    organiser.locale = "en"
    db.session.commit()
    series = factories.make_series(programme, organiser)
    factories.make_invitation(series)  # publishes the series
    page = organiser_client.get(f"/series/{series.id}/invitations").get_data(as_text=True)
    assert "New people are added as adults (16 or older)" in page
    sessions = [str(s.id) for s in series.sessions]
    response = organiser_client.post(
        f"/series/{series.id}/invitations", data={"emails": "nieuw@example.org", "sessions": sessions}
    )
    assert response.status_code == 302
    person = db.session.scalar(select(Person).where(Person.email == "nieuw@example.org"))
    assert person.under_16 is False


def test_the_services_refuse_an_under_16_without_consent_by_code(db, programme, organiser):
    from planner.attendance.services import add_walk_in
    from planner.people.importing import Table, check_rows

    session = factories.make_series(programme, organiser).sessions[0]
    with pytest.raises(PeopleError) as refused:
        add_walk_in(
            session,
            name="Sam",
            role="resident",
            organisation="Jongerenwerk",
            under_16=True,
            guardian_consent_by="Moeder",
            actor=organiser,
        )
    assert refused.value.code == "guardian_consent_required"
    db.session.rollback()
    assert count(db, Person) == 0
    assert count(db, Organisation) == 0

    table = Table(
        header=IMPORT_HEADER,
        rows=[
            (2, ["Kim", "bewoner", "x", "2026-01-12", "Vader"]),
            (3, ["Lot", "bewoner", "ja", "2026-01-12", ""]),
            (4, ["Mo", "bewoner", "ja", "12.13.2026", "Oma"]),
            (5, ["Nina", "bewoner", "wie weet", "", ""]),
        ],
    )
    mapping = {"name": 0, "role": 1, "under_16": 2, "guardian_consent_on": 3, "guardian_consent_by": 4}
    checks = check_rows(table, mapping)
    assert [[p.code for p in c.problems] for c in checks] == [
        [],
        ["guardian_consent_required"],
        ["invalid_consent_date"],
        ["not_yes_or_no"],
    ]


def test_the_person_page_asks_a_fixed_number_of_queries(app, organiser_client, organiser, admin, db):
    from tests.test_query_counts import queries_for

    person = factories.make_person(name="Vera")
    few = queries_for(app, organiser_client, f"/people/{person.id}")
    for purpose, actor in zip(ConsentPurpose, [organiser, admin, None, organiser], strict=True):
        record_consent(person, purpose, True, actor)
    db.session.commit()
    assert queries_for(app, organiser_client, f"/people/{person.id}") <= few + 1, "one query for the recorders"
