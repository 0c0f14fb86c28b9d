"""Downloads: the answers (anonymous stays anonymous) and the summary as shown, safe in a spreadsheet."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from planner.audit.models import AuditEvent
from planner.extensions import db as _db
from planner.spreadsheets import neutralise
from tests import evaluation_data as data, factories
from tests.conftest import login


def rows_of_csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def rows_of_xlsx(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    return [[c.value for c in row] for row in sheet.iter_rows()]


def _series(programme, organiser, *, anonymous: bool, remark: str = "Prima"):
    series = factories.make_series(programme, organiser, count=4)
    form = data.make_form(programme, anonymous=anonymous)
    session = series.sessions[0]
    data.use_form(session, form)
    data.mark_present(session, 8)
    person = factories.make_person(name="Herman Herkenbaar", email="herman@example.org")
    responses = []
    for i in range(6):
        responses.append(
            data.respond(
                session,
                form,
                {"mood": 1 + i % 3, "mark": 8, "theme": "care", "learned": ["signals", "rules"], "remark": remark},
                role="volunteer",
                person=person if i == 0 else None,
            )
        )
    data.approve_all(responses)
    _db.session.commit()
    return series


def test_an_anonymous_export_holds_no_person_data(client, organiser, programme):
    series = _series(programme, organiser, anonymous=True)
    login(client, organiser.email)
    for kind, read in (("csv", rows_of_csv), ("xlsx", rows_of_xlsx)):
        response = client.get(f"/series/{series.id}/evaluation/answers.{kind}")
        assert response.status_code == 200
        rows = read(response)
        header, body = rows[0], rows[1:]
        assert len(body) == 6
        flat = " ".join(str(v) for row in rows for v in row if v is not None)
        assert "Herman" not in flat
        assert "herman@example.org" not in flat
        assert "Vrijwilliger" not in flat
        role_column = header.index("Rol")
        assert all(row[role_column] in ("", None) for row in body)
    assert _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export")) is None


def test_a_named_export_has_roles_but_no_names_and_is_audited(client, organiser, programme):
    series = _series(programme, organiser, anonymous=False)
    login(client, organiser.email)
    rows = rows_of_csv(client.get(f"/series/{series.id}/evaluation/answers.csv"))
    flat = " ".join(v for row in rows for v in row)
    assert "Herman" not in flat
    assert "Vrijwilliger" in flat
    event = _db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert event.object_type == "evaluation_answers"
    assert event.actor == organiser.email


def test_formulas_typed_by_participants_are_neutralised(client, organiser, programme):
    series = _series(programme, organiser, anonymous=True, remark='=HYPERLINK("http://evil.example","klik")')
    login(client, organiser.email)
    csv_rows = rows_of_csv(client.get(f"/series/{series.id}/evaluation/answers.csv"))
    xlsx = load_workbook(io.BytesIO(client.get(f"/series/{series.id}/evaluation/answers.xlsx").get_data())).active
    # Every session has its evaluation form now, so the remark need not be the last column.
    remarks = [v for row in csv_rows[1:] for v in row if "HYPERLINK" in v]
    assert remarks
    assert all(r.startswith("'=") for r in remarks)
    cells = [c for row in xlsx.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells
    assert all(c.data_type == "s" and c.value.startswith("'=") for c in cells)
    for value in ("=1+1", "+31", "-2", "@SUM(A1)"):
        assert neutralise(value) == "'" + value
    assert neutralise("Goed") == "Goed"
    assert neutralise(5) == 5


def test_the_summary_export_holds_the_figures_shown_on_screen(client, trekker, programme, organiser):
    series = _series(programme, organiser, anonymous=False)
    login(client, trekker.email)
    csv_rows = rows_of_csv(client.get(f"/series/{series.id}/evaluation/summary.csv"))
    xlsx_rows = rows_of_xlsx(client.get(f"/series/{series.id}/evaluation/summary.xlsx"))
    assert len(csv_rows) == len(xlsx_rows) > 10
    as_text = {(r[2], r[3]): r[4] for r in csv_rows[1:] if r[1] == series.title}
    assert as_text[("Vraag mark", "8")] == "6"
    assert as_text[("Vraag mood", "1 · Niet goed")] == "2", "an answer given twice in a group of 6 is shown"
    assert as_text[("Vraag theme", "Zorg")] == "6"
    assert as_text[("", "mensen aanwezig")] == "8"
    flat = " ".join(v for row in csv_rows for v in row)
    assert "Herman" not in flat
    assert "Prima" not in flat
