"""Uploads that used to exhaust a worker: each is refused with a message, nothing is stored.

The files are built in tests/hostile_uploads.py; scripts/hostile_uploads.py times them.
"""

from __future__ import annotations

import random

import pytest

from planner.people.errors import PeopleError
from planner.people.import_files import (
    MAX_PAYLOAD_CHARS,
    MAX_SCANNED_ROWS,
    Table,
    pack_table,
    read_table,
    unpack_table,
)
from tests import hostile_uploads as hostile
from tests.test_people_import import csv_bytes, english, people, upload

PAST_THE_END = "The file goes on past row 5010 (empty rows count too)"
TOO_COMPLEX = "This spreadsheet is too large or too complex to read"


def refused(client, data: bytes, filename: str, message: str, db) -> str:
    response = upload(english(client), data, filename)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert "Check the import" not in page  # no preview
    assert people(db) == []
    return page


@pytest.mark.parametrize(
    ("numbers", "dimension"),
    [
        ([1, 2, 1_048_576], None),  # the sheet says how far it goes
        ([1, 2, 1_048_576], "A1:C3"),  # it says A1:C3, but row 1,048,576 is in it
        ([1, 2, 20_000_000], "A1:C3"),  # past what Excel allows
        ([1, 2, MAX_SCANNED_ROWS + 1], "A1:C3"),
    ],
)
def test_a_sheet_whose_rows_go_on_past_the_limit_is_refused(organiser_client, db, numbers, dimension):
    refused(organiser_client, hostile.renumbered_rows(numbers, dimension=dimension), "lijst.xlsx", PAST_THE_END, db)


def test_empty_rows_within_the_limit_are_fine(organiser_client, db):
    response = upload(english(organiser_client), hostile.renumbered_rows([1, 2, MAX_SCANNED_ROWS]), "lijst.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 rows can be imported." in page
    assert f"<td>{MAX_SCANNED_ROWS}</td>" in page


def test_a_csv_with_a_million_empty_lines_is_refused(organiser_client, db):
    refused(organiser_client, hostile.empty_lines_csv(), "lijst.csv", PAST_THE_END, db)


def test_a_csv_with_more_than_5000_people_is_refused(organiser_client, db):
    refused(organiser_client, hostile.many_rows_csv(6_000), "lijst.csv", "The file has more than 5000 rows.", db)


def test_a_long_cell_is_refused_naming_where_it_is(organiser_client, db):
    refused(
        organiser_client,
        hostile.long_cell_csv(10_000),
        "lijst.csv",
        "Row 3, column B holds 10000 characters; a cell can hold at most 500.",
        db,
    )
    refused(
        organiser_client,
        hostile.giant_shared_string(400_000),
        "lijst.xlsx",
        "Row 2, column C holds 400000 characters; a cell can hold at most 500.",
        db,
    )


def test_a_cell_of_500_characters_is_still_fine(organiser_client, db):
    rows = [["Naam", "Rol", "Opmerking"], ["Aisha", "bewoner", "o" * 500]]
    assert upload(organiser_client, csv_bytes(rows)).status_code == 200


def test_a_45_mb_shared_string_gets_a_short_page_not_a_47_mb_preview(organiser_client, db):
    data = hostile.giant_shared_string()
    assert len(data) < 100_000
    page = refused(organiser_client, data, "lijst.xlsx", TOO_COMPLEX, db)
    assert len(page) < 100_000


@pytest.mark.parametrize(
    "build",
    [
        hostile.zip_bomb,  # 200 MB unpacked
        hostile.dense_ratio_member,  # 5 MB, but packed a thousand-fold
        hostile.many_empty_cells,  # 750,000 cells: openpyxl would take many seconds
        hostile.many_styles,  # 150,000 cell formats, the same
    ],
    ids=["zip bomb", "packed a thousand-fold", "750,000 cells", "150,000 styles"],
)
def test_a_spreadsheet_that_unpacks_to_too_much_work_is_refused(organiser_client, db, build):
    data = build()
    assert len(data) <= 2 * 1024 * 1024
    refused(organiser_client, data, "lijst.xlsx", TOO_COMPLEX, db)


def test_a_spreadsheet_that_declares_entities_is_refused(organiser_client, db):
    refused(organiser_client, hostile.entity_expansion(), "lijst.xlsx", "cannot be read as a spreadsheet", db)
    refused(
        organiser_client,
        hostile.in_utf16(hostile.entity_expansion()),
        "lijst.xlsx",
        "cannot be read as a spreadsheet",
        db,
    )


def test_a_sheet_in_utf16_is_read_but_gets_no_discount(organiser_client, db):
    # 160,000 cells are just within the budget in UTF-8; in UTF-16 the tags are not recognised,
    # so each is charged as the dearest kind and the file is refused.
    refused(organiser_client, hostile.in_utf16(hostile.many_empty_cells(160_000)), "lijst.xlsx", TOO_COMPLEX, db)
    response = upload(
        organiser_client, hostile.in_utf16(hostile.xlsx_bytes([hostile.HEADER, *hostile.ROWS])), "lijst.xlsx"
    )
    assert response.status_code == 200
    assert "2 rows can be imported." in response.get_data(as_text=True)


def test_a_list_with_too_much_text_for_one_review_page_is_refused(organiser_client, db):
    # 4,500 cells of 480 characters: each allowed, 2.16 million characters in all.
    rows = [["Naam", "Opmerking"]] + [[f"P{n}", "o" * 480] for n in range(4_500)]
    refused(
        organiser_client, hostile.xlsx_bytes(rows), "lijst.xlsx", "The file holds too much text to check at once.", db
    )


def test_the_signed_copy_of_a_list_is_bounded_both_ways():
    alphabet = [chr(c) for c in range(0x4E00, 0x9FFF)]
    chance = random.Random(12)
    table = Table(
        header=["Naam", "Opmerking"],
        rows=[(n + 2, [f"P{n}", "".join(chance.choices(alphabet, k=400))]) for n in range(4_000)],
    )
    with pytest.raises(PeopleError) as error:
        pack_table(table, "test-secret")
    assert error.value.code == "import_too_much_text"
    with pytest.raises(PeopleError) as error:
        unpack_table("x" * (MAX_PAYLOAD_CHARS + 1), "test-secret")
    assert error.value.code == "import_payload_invalid"


def test_an_ordinary_full_xlsx_is_still_read(db):
    rows = [[f"c{c}" for c in range(10)]] + [[f"r{r}c{c}" for c in range(10)] for r in range(5_000)]
    table = read_table("lijst.xlsx", hostile.xlsx_bytes(rows))
    assert len(table.rows) == 5_000
    assert table.rows[-1] == (5_001, rows[-1])


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "What you sent is too large. A file to import can be at most 2 MB"),
        ("nl", "Wat je stuurde is te groot. Een bestand om te importeren mag hoogstens 2 MB zijn"),
    ],
)
def test_an_upload_past_the_request_limit_gets_a_page_in_the_users_language(organiser_client, db, language, message):
    organiser_client.post("/language", data={"lang": language})
    response = upload(organiser_client, b"Naam\n" + b"x" * (5 * 1024 * 1024))
    assert response.status_code == 413
    assert message in response.get_data(as_text=True)
    assert people(db) == []
