"""Import people from a spreadsheet: upload, map the columns, see each row checked, import."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from planner.people.import_files import MAX_IMPORT_ROWS, propose_mapping, read_table
from planner.people.models import Organisation, Person
from planner.people.services import create_person, save_organisation

HEADER = ["Naam", "E-mail", "Telefoon", "Rol", "Organisatie", "Gemeente", "Taal"]
GOOD_ROWS = [
    ["Aisha", "aisha@example.org", "06-11111111", "bewoner", "Wijkteam Oost", "Nijmegen", "nl"],
    ["Bram", "", "", "Vrijwilliger", "Wijkteam Oost", "Nijmegen", ""],
    ["Chris", "CHRIS@example.org", "", "Expert by experience", "", "Beuningen", "Engels"],
    ["Dina", "dina@example.org", "", "beleidsmedewerker", "Gemeente Heumen", "Heumen", "en"],
]


def english(client):
    client.post("/language", data={"lang": "en"})
    return client


def csv_bytes(rows, delimiter=",", encoding="utf-8", bom=False) -> bytes:
    text = "\r\n".join(delimiter.join(cells) for cells in rows) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, filename="deelnemers.csv"):
    # Encoded in memory: for large bodies Werkzeug's test client spools to a file it never closes.
    boundary, body = encode_multipart(
        {"csrf_token": client.csrf_token(), "file": FileStorage(io.BytesIO(data), filename)}
    )
    return client.post(
        "/people/import", data=body, csrf=False, content_type=f"multipart/form-data; boundary={boundary}"
    )


def hidden(page: str, name: str) -> str:
    match = re.search(
        rf'name="{name}" type="hidden" value="([^"]*)"|id="{name}" name="{name}" type="hidden" value="([^"]*)"', page
    )
    if not match:
        match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    assert match, f"no hidden {name} on the page"
    return unescape(next(g for g in match.groups() if g is not None))


def selected(page: str, name: str) -> str:
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    match = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select_html)
    return next(g for g in match.groups() if g is not None) if match else ""


def review_data(page: str, **overrides) -> dict:
    fields = ["name", "email", "phone", "role", "organisation", "municipality", "language"]
    data = {"payload": hidden(page, "payload")}
    data.update({f"column_{f}": selected(page, f"column_{f}") for f in fields})
    data["default_role"] = selected(page, "default_role")
    data.update(overrides)
    return data


def people(db):
    db.session.expire_all()
    return db.session.scalars(select(Person).order_by(Person.id)).all()


def test_csv_happy_path_proposes_the_mapping_and_imports_every_row(organiser_client, db):
    english(organiser_client)
    assert organiser_client.get("/people/import").status_code == 200
    response = upload(organiser_client, csv_bytes([HEADER, *GOOD_ROWS]))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "4 rows can be imported." in page
    assert "0 rows have an error" in page
    data = review_data(page)
    assert [
        data[f"column_{f}"] for f in ["name", "email", "phone", "role", "organisation", "municipality", "language"]
    ] == ["0", "1", "2", "3", "4", "5", "6"]
    assert people(db) == [], "nothing is stored before the organiser says import"

    response = organiser_client.post("/people/import/review", data={**data, "import": "1"})
    assert response.status_code == 302
    stored = {p.name: p for p in people(db)}
    assert set(stored) == {"Aisha", "Bram", "Chris", "Dina"}
    assert (stored["Aisha"].role, stored["Aisha"].email, stored["Aisha"].phone) == (
        "resident",
        "aisha@example.org",
        "06-11111111",
    )
    assert (stored["Bram"].role, stored["Bram"].email, stored["Bram"].language) == ("volunteer", None, "nl")
    assert (stored["Chris"].role, stored["Chris"].email, stored["Chris"].language, stored["Chris"].organisation) == (
        "expert",
        "chris@example.org",
        "en",
        None,
    )
    assert stored["Dina"].role == "policy_officer"
    assert stored["Aisha"].organisation is stored["Bram"].organisation
    assert str(stored["Aisha"].organisation) == "Wijkteam Oost (Nijmegen)"
    assert "4 people imported. 0 rows skipped." in organiser_client.get("/people/").get_data(as_text=True)


def test_known_organisations_are_reused_by_name_and_municipality(organiser_client, db):
    known = save_organisation(None, name="Wijkteam Oost", municipality="Nijmegen")
    db.session.commit()
    page = upload(organiser_client, csv_bytes([HEADER, *GOOD_ROWS])).get_data(as_text=True)
    organiser_client.post("/people/import/review", data={**review_data(page), "import": "1"})
    assert {p.name for p in people(db) if p.organisation_id == known.id} == {"Aisha", "Bram"}
    assert db.session.scalar(select(func.count(Organisation.id))) == 2  # Wijkteam Oost, Gemeente Heumen


def test_xlsx_with_a_title_row_numbers_and_english_headers(organiser_client, db):
    rows = [
        ["Deelnemerslijst Welkome Wijk 2027"],
        [],
        ["Name", "Email address", "Phone", "Role", "Organisation", "Municipality", "Language"],
        ["Eva", "eva@example.org", 612345678, "student", "HAN", "Nijmegen", "en"],
        ["Femke", None, None, "docent", "HAN", "Nijmegen", None],
    ]
    response = upload(organiser_client, xlsx_bytes(rows), filename="Lijst.XLSX")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    response = organiser_client.post("/people/import/review", data={**review_data(page), "import": "1"})
    assert response.status_code == 302
    eva, femke = people(db)
    assert (eva.name, eva.phone, eva.language, femke.role) == ("Eva", "612345678", "en", "lecturer")


def test_csv_with_bom_semicolons_and_windows_encoding(db):
    text_rows = [["Naam", "E-mail", "Rol", "Gemeente"], ["Zoë", "zoe@example.org", "bewoner", "Nijmegen"]]
    for data in [
        csv_bytes(text_rows, delimiter=";", bom=True),
        csv_bytes(text_rows, delimiter=";", encoding="cp1252"),
        csv_bytes(text_rows, delimiter=","),
    ]:
        table = read_table("lijst.csv", data)
        assert table.header == ["Naam", "E-mail", "Rol", "Gemeente"]
        assert table.rows == [(2, ["Zoë", "zoe@example.org", "bewoner", "Nijmegen"])]
        assert propose_mapping(table) == {
            "name": 0,
            "email": 1,
            "phone": None,
            "role": 2,
            "organisation": None,
            "municipality": 3,
            "language": None,
            "under_16": None,
            "guardian_consent_on": None,
            "guardian_consent_by": None,
        }


def test_each_kind_of_bad_row_is_reported_and_skipped(organiser_client, db):
    create_person(name="Bekend", role="resident", email="known@example.org")
    db.session.commit()
    english(organiser_client)
    rows = [
        HEADER,
        ["Goed", "goed@example.org", "", "bewoner", "", "", ""],
        ["Slecht adres", "not-an-address", "", "bewoner", "", "", ""],
        ["Koning", "", "", "koning", "", "", ""],
        ["Dubbel", "GOED@example.org", "", "bewoner", "", "", ""],
        ["Al bekend", "Known@Example.org", "", "bewoner", "", "", ""],
        ["", "leeg@example.org", "", "bewoner", "", "", ""],
        ["Geen rol", "", "", "", "", "", ""],
        ["Frans", "", "", "student", "", "", "fr"],
    ]
    page = upload(organiser_client, csv_bytes(rows)).get_data(as_text=True)
    assert "1 row can be imported." in page
    assert "7 rows have an error and will be skipped." in page
    for message in [
        "Enter a valid e-mail address",
        "Unknown role: koning.",
        "goed@example.org is already in row 2 of the file.",
        "There is already a person with the e-mail address known@example.org.",
        "Enter a name.",
        "Enter a role.",
        "Unknown language: fr.",
    ]:
        assert message in unescape(page), message

    response = organiser_client.post("/people/import/review", data={**review_data(page), "import": "1"})
    assert response.status_code == 302
    assert [p.name for p in people(db)] == ["Bekend", "Goed"]
    assert "1 person imported. 7 rows skipped." in organiser_client.get("/people/").get_data(as_text=True)


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(organiser_client, db):
    english(organiser_client)
    rows = [HEADER, *GOOD_ROWS, ["", "", "", "bewoner", "Nieuwe organisatie", "", ""]]
    page = upload(organiser_client, csv_bytes(rows)).get_data(as_text=True)
    response = organiser_client.post(
        "/people/import/review", data={**review_data(page), "all_or_nothing": "y", "import": "1"}
    )
    assert response.status_code == 422
    assert "Nothing was imported: 1 row has an error" in response.get_data(as_text=True)
    assert people(db) == []
    assert db.session.scalar(select(func.count(Organisation.id))) == 0
    # Without all-or-nothing the good rows go in.
    response = organiser_client.post("/people/import/review", data={**review_data(page), "import": "1"})
    assert response.status_code == 302
    assert len(people(db)) == 4


def test_the_organiser_can_change_the_mapping(organiser_client, db):
    english(organiser_client)
    rows = [["Wie", "Adres", "Soort"], ["Gijs", "gijs@example.org", "onderzoeker"]]
    page = upload(organiser_client, csv_bytes(rows)).get_data(as_text=True)
    assert "Choose the column that holds the names, then update the preview." in page
    data = review_data(page)
    assert data["column_name"] == ""
    response = organiser_client.post("/people/import/review", data={**data, "import": "1"})
    assert response.status_code == 422
    assert "Choose the column that holds the names." in response.get_data(as_text=True)

    mapped = {**data, "column_name": "0", "column_email": "1", "column_role": "2"}
    preview = organiser_client.post("/people/import/review", data={**mapped, "preview": "1"})
    assert preview.status_code == 200
    assert "1 row can be imported." in preview.get_data(as_text=True)
    assert people(db) == []
    assert organiser_client.post("/people/import/review", data={**mapped, "column_email": "7"}).status_code == 422
    assert organiser_client.post("/people/import/review", data={**mapped, "import": "1"}).status_code == 302
    [gijs] = people(db)
    assert (gijs.name, gijs.email, gijs.role) == ("Gijs", "gijs@example.org", "researcher")


def test_a_tampered_or_missing_payload_is_refused(organiser_client, db):
    page = upload(organiser_client, csv_bytes([HEADER, *GOOD_ROWS])).get_data(as_text=True)
    data = review_data(page)
    payload = data["payload"]
    tampered = payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
    for bad in [tampered, "", "not.a.payload"]:
        response = organiser_client.post("/people/import/review", data={**data, "payload": bad, "import": "1"})
        assert response.status_code == 422
        assert "Upload het bestand opnieuw" in response.get_data(as_text=True)
    assert people(db) == []


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("lijst.txt", b"Naam\nAisha\n", "Choose a .csv or .xlsx file"),
        ("lijst", b"Naam\nAisha\n", "Choose a .csv or .xlsx file"),
        ("lijst.xls", b"\xd0\xcf\x11\xe0 old excel", "Choose a .csv or .xlsx file"),
        ("lijst.csv", b"", "The file is empty."),
        ("lijst.csv", b"\xef\xbb\xbf\r\n;;\r\n", "The file is empty."),
        ("lijst.csv", b"Naam;E-mail\r\n", "The file has a header row but no people below it."),
        ("lijst.xlsx", b"Naam,E-mail\nAisha,a@example.org\n", "cannot be read as a spreadsheet"),
        ("lijst.xlsx", b"PK\x03\x04 broken zip", "cannot be read as a spreadsheet"),
        ("lijst.csv", b"\x00\x01\x02binary", "cannot be read as a spreadsheet"),
    ],
)
def test_broken_files_get_a_clear_message(organiser_client, db, filename, data, message):
    english(organiser_client)
    response = upload(organiser_client, data, filename)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_an_xlsx_with_only_a_header_or_nothing(organiser_client):
    english(organiser_client)
    for rows, message in [([HEADER], "no people below it"), ([], "The file is empty.")]:
        response = upload(organiser_client, xlsx_bytes(rows), "lijst.xlsx")
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)


def test_no_file_chosen(organiser_client):
    response = organiser_client.post("/people/import", data={}, content_type="multipart/form-data")
    assert response.status_code == 422


def test_size_and_row_limits(organiser_client):
    english(organiser_client)
    too_large = b"Naam\n" + b"x" * (2 * 1024 * 1024)
    response = upload(organiser_client, too_large)
    assert response.status_code == 422
    assert "at most 2 MB" in response.get_data(as_text=True)
    too_many = csv_bytes([["Naam"]] + [[f"P{n}"] for n in range(MAX_IMPORT_ROWS + 1)])
    response = upload(organiser_client, too_many)
    assert response.status_code == 422
    assert "more than 5000 rows" in response.get_data(as_text=True)


def test_a_full_size_list_round_trips_through_the_payload(organiser_client, db):
    rows = [HEADER] + [
        [f"P{n}", f"p{n}@example.org", f"06{n:08d}", "bewoner", f"Org {n % 40}", "Ede", "nl"]
        for n in range(MAX_IMPORT_ROWS)
    ]
    page = upload(organiser_client, csv_bytes(rows)).get_data(as_text=True)
    response = organiser_client.post("/people/import/review", data={**review_data(page), "import": "1"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Person.id))) == MAX_IMPORT_ROWS
    assert db.session.scalar(select(func.count(Organisation.id))) == 40


def test_an_xlsx_that_unpacks_to_far_more_than_it_weighs_is_refused(db, monkeypatch):
    from planner.people import xlsx_guard
    from planner.people.services import PeopleError

    data = xlsx_bytes([HEADER, *GOOD_ROWS])
    assert read_table("lijst.xlsx", data).rows
    monkeypatch.setattr(xlsx_guard, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(PeopleError) as error:
        read_table("lijst.xlsx", data)
    assert error.value.code == "import_too_complex"


def test_a_payload_is_valid_for_a_few_hours_and_only_with_our_key(db):
    from planner.people.import_files import pack_table, unpack_table
    from planner.people.services import PeopleError

    table = read_table("lijst.csv", csv_bytes([HEADER, *GOOD_ROWS]))
    payload = pack_table(table, "test-secret")
    assert unpack_table(payload, "test-secret") == table
    for key, max_age in [("another-secret", 3600), ("test-secret", -1)]:
        with pytest.raises(PeopleError) as error:
            unpack_table(payload, key, max_age=max_age)
        assert error.value.code == "import_payload_invalid"


def test_rows_without_a_role_can_get_one_for_the_whole_list(organiser_client, db):
    english(organiser_client)
    rows = [["Naam", "E-mail"], ["Hanna", "hanna@example.org"], ["Ivo", ""]]
    page = upload(organiser_client, csv_bytes(rows)).get_data(as_text=True)
    assert "0 rows can be imported." in page
    assert "Enter a role." in page
    data = review_data(page, default_role="volunteer")
    preview = organiser_client.post("/people/import/review", data={**data, "preview": "1"})
    assert "2 rows can be imported." in preview.get_data(as_text=True)
    assert organiser_client.post("/people/import/review", data={**data, "default_role": "king"}).status_code == 422
    assert organiser_client.post("/people/import/review", data={**data, "import": "1"}).status_code == 302
    assert {(p.name, p.role) for p in people(db)} == {("Hanna", "volunteer"), ("Ivo", "volunteer")}
