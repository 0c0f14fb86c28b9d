"""One set of person rules: the person form, an import row and a walk-in at the door refuse the
same bad input with the same code and the same message, beside the same field."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from planner.attendance.forms import WalkInForm
from planner.attendance.services import add_walk_in
from planner.people.details import PersonDetails, check_person_details
from planner.people.forms import PersonForm
from planner.people.import_files import Table
from planner.people.importing import check_rows, import_people
from planner.people.models import Organisation, Person
from planner.people.services import PeopleError, create_person, save_organisation
from tests import factories
from tests.test_people_import import csv_bytes, review_data, upload

KNOWN = "known@example.org"

# What is typed, the code it is refused with and the field the refusal is about.
CASES = {
    "bad e-mail": ({"email": "not-an-address"}, "invalid_email", "email"),
    "unknown role": ({"role": "king"}, "unknown_role", "role"),
    "unknown language": ({"language": "fr"}, "unknown_language", "language"),
    "name too long": ({"name": "x" * 121}, "too_long", "name"),
    "under 16 without consent": ({"under_16": "y"}, "guardian_consent_required", "guardian_consent_on"),
    "address already known": ({"email": KNOWN.upper()}, "person_email_taken", "email"),
}
GOOD = {"name": "Aisha", "role": "resident", "email": "", "language": "nl", "under_16": ""}
HEADER = ["Naam", "E-mail", "Rol", "Taal", "Onder 16"]
COLUMNS = ["name", "email", "role", "language", "under_16"]
# The walk-in form has no language field, and a known address at the door is that person.
NOT_AT_THE_DOOR = {"unknown language", "address already known"}


def typed(case: str) -> dict[str, str]:
    return {**GOOD, **CASES[case][0]}


def as_row(values: dict[str, str]) -> list[str]:
    return [("ja" if values[c] == "y" else "") if c == "under_16" else values[c] for c in COLUMNS]


@pytest.fixture
def known(db):
    person = create_person(name="Bekend", role="resident", email=KNOWN)
    db.session.commit()
    return person


@pytest.fixture
def session(db, programme, organiser):
    organiser.locale = "en"  # the pages below are read in English
    return factories.make_series(programme, organiser).sessions[0]


def refusal(call) -> tuple[str, str | None]:
    with pytest.raises(PeopleError) as refused:
        call()
    return refused.value.code, refused.value.field


@pytest.mark.parametrize("case", CASES)
def test_the_form_the_import_and_the_walk_in_refuse_with_the_same_code(app, db, known, session, organiser, case):
    _, code, field = CASES[case]
    values = typed(case)
    with app.test_request_context():
        form = PersonForm(formdata=MultiDict(values), meta={"csrf": False})
        assert form.validate(), f"{case}: the form itself let it through to the rules: {form.errors}"
        assert refusal(lambda: create_person(form.details())) == (code, field), f"{case}: person form"

        [row] = check_rows(Table(HEADER, [(2, as_row(values))]), dict(zip(COLUMNS, range(5), strict=True)))
        assert [(p.code, p.field) for p in row.problems] == [(code, field)], f"{case}: import row"

        walk_in = WalkInForm(formdata=MultiDict(values), meta={"csrf": False})
        details = walk_in.details()
        if case == "unknown language":
            details = PersonDetails(name=details.name, role=details.role, language="fr")
        if case == "address already known":
            found = add_walk_in(session, details, actor=organiser)
            assert found == known, "a known address at the door is that person"
        else:
            refused = refusal(lambda: add_walk_in(session, details, actor=organiser))
            assert refused == (code, field), f"{case}: walk-in"
    db.session.rollback()
    assert db.session.scalar(select(func.count(Person.id))) == 1, f"{case}: only the known person is stored"


def field_error(page: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    assert match, f"no error beside {field}"
    return unescape(match.group(1)).strip()


def row_errors(page: str) -> list[str]:
    return [unescape(m).strip() for m in re.findall(r'<ul class="plain-list error">(.*?)</ul>', page, re.S)]


@pytest.mark.parametrize("case", CASES)
def test_the_pages_show_the_same_message_beside_the_same_field(organiser_client, known, session, case):
    _, _, field = CASES[case]
    organiser_client.post("/language", data={"lang": "en"})
    values = typed(case)

    response = organiser_client.post("/people/new", data={**values, "organisation_id": "0"})
    assert response.status_code == 422, case
    message = field_error(response.get_data(as_text=True), field)

    page = upload(organiser_client, csv_bytes([HEADER, as_row(values)])).get_data(as_text=True)
    [errors] = row_errors(page)
    assert message in errors, f"{case}: the import row says {errors!r}, the person form {message!r}"

    if case not in NOT_AT_THE_DOOR:
        check_in = f"/series/{session.series_id}/sessions/{session.id}/check-in"
        response = organiser_client.post(check_in + "/walk-in", data=values)
        assert response.status_code == 422, case
        assert field_error(response.get_data(as_text=True), field) == message, f"{case}: walk-in"


def test_the_form_and_the_import_store_the_same_person_the_same_way(organiser_client, db):
    organiser_client.post("/language", data={"lang": "en"})
    typed_in = {
        "name": "  Zoë van Dijk ",
        "email": " Zoe@Example.ORG ",
        "role": "volunteer",
        "language": "en",
        "municipality": " Heumen ",
        "under_16": "y",
        "guardian_consent_on": "2026-11-01",
        "guardian_consent_by": " Moeder ",
    }
    response = organiser_client.post("/people/new", data={**typed_in, "organisation_id": "0"})
    assert response.status_code == 302
    from_form = db.session.scalar(select(Person))
    stored = (
        "name",
        "email",
        "role",
        "language",
        "municipality",
        "under_16",
        "guardian_consent_on",
        "guardian_consent_by",
    )
    expected = tuple(getattr(from_form, name) for name in stored)
    db.session.delete(from_form)
    db.session.commit()

    header = ["Naam", "E-mail", "Rol", "Taal", "Gemeente", "Onder 16", "Datum toestemming", "Toestemming door"]
    row = [
        typed_in["name"],
        typed_in["email"],
        "vrijwilliger",
        "Engels",
        typed_in["municipality"],
        "ja",
        "01-11-2026",
        typed_in["guardian_consent_by"],
    ]
    page = upload(organiser_client, csv_bytes([header, row])).get_data(as_text=True)
    consent_columns = {"column_under_16": "5", "column_guardian_consent_on": "6", "column_guardian_consent_by": "7"}
    data = review_data(page, **consent_columns)
    assert organiser_client.post("/people/import/review", data={**data, "import": "1"}).status_code == 302
    db.session.expire_all()
    from_import = db.session.scalar(select(Person))
    assert tuple(getattr(from_import, name) for name in stored) == expected


def test_details_are_cleaned_up_and_consent_goes_at_16():
    details = check_person_details(
        PersonDetails(
            name=" Ali ",
            role="resident",
            email=" Ali@Example.org ",
            phone=" 06 ",
            organisation=" Buurtwerk ",
            municipality=" Ede ",
            guardian_consent_by="Vader",
        )
    )
    assert details == PersonDetails(
        name="Ali",
        role="resident",
        email="ali@example.org",
        phone="06",
        organisation="Buurtwerk",
        municipality="Ede",
        guardian_consent_on=None,
        guardian_consent_by="",
    )
    no_organisation = PersonDetails(name="Ali", role="resident", organisation="  ")
    assert check_person_details(no_organisation).organisation is None


def test_an_import_finds_organisations_whatever_the_capitals_of_accented_letters(db):
    known = save_organisation(None, name="Één Wijk", municipality="Ede")
    db.session.commit()
    table = Table(
        ["Naam", "Rol", "Organisatie", "Gemeente"],
        [
            (2, ["Ans", "bewoner", "één wijk", "ede"]),
            (3, ["Bo", "bewoner", "ÉÉN WIJK", "Ede"]),
            (4, ["Cas", "bewoner", "Één Wijk", "Bemmel"]),
        ],
    )
    result = import_people(table, {"name": 0, "role": 1, "organisation": 2, "municipality": 3})
    db.session.commit()
    assert result.imported == 3
    people = {p.name: p for p in db.session.scalars(select(Person))}
    assert people["Ans"].organisation is known
    assert people["Bo"].organisation is known
    assert people["Cas"].organisation is not known
    assert db.session.scalar(select(func.count(Organisation.id))) == 2, "one new organisation, in Bemmel"


def test_one_import_looks_up_in_a_few_queries_and_makes_each_new_organisation_once(app, db):
    from tests.test_query_counts import counted_queries

    rows = [(n + 2, [f"P{n}", f"p{n}@example.org", "bewoner", f"Org {n % 7}", "Ede"]) for n in range(600)]
    table = Table(["Naam", "E-mail", "Rol", "Organisatie", "Gemeente"], rows)
    with counted_queries(app) as queries:
        import_people(table, {"name": 0, "email": 1, "role": 2, "organisation": 3, "municipality": 4})
    db.session.commit()
    assert db.session.scalar(select(func.count(Person.id))) == 600
    assert db.session.scalar(select(func.count(Organisation.id))) == 7, "each organisation made once"
    lookups = [q for q in queries if q.lstrip().upper().startswith("SELECT")]
    # Known addresses, 500 at a time, when the rows are checked and again when they are stored;
    # the organisations once.
    assert len(lookups) <= 2 * 2 + 1, f"{len(lookups)} look-ups for 600 rows: {[q[:80] for q in lookups]}"
