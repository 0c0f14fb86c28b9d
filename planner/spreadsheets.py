"""CSV and XLSX downloads, with every cell a spreadsheet would run as a formula neutralised."""

from __future__ import annotations

import csv
import io

from flask import Response

from planner.downloads import content_disposition

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """A spreadsheet must not run a cell such as ``=HYPERLINK(...)`` typed by a participant."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_csv(header: list, rows) -> str:
    """Semicolon-separated with a byte-order mark, as Dutch Excel opens it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([neutralise(v) for v in header])
    writer.writerows([neutralise(v) for v in row] for row in rows)
    return "\ufeff" + out.getvalue()


def xlsx_cell(value):
    """A cell XLSX can hold: neutralised, and without the control characters its XML cannot carry
    (text stored before they were stripped on the way in must not break a download)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    value = neutralise(value)
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def as_xlsx(header: list, rows, title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append([xlsx_cell(v) for v in header])
    for row in rows:
        sheet.append([xlsx_cell(v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def spreadsheet_download(kind: str, header: list, rows, *, title: str, filename: str) -> Response:
    """``kind`` "csv" or "xlsx"; ``filename`` without its extension."""
    content: str | bytes
    if kind == "csv":
        content, mimetype = as_csv(header, rows), "text/csv"
    else:
        content, mimetype = as_xlsx(header, rows, title), XLSX
    return Response(
        content,
        mimetype=mimetype,
        headers={
            "Content-Disposition": content_disposition("attachment", f"{filename}.{kind}"),
            "Cache-Control": "private, no-store",
        },
    )
