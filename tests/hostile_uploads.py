"""Small files that once kept a worker busy for a long time, built the way an attacker would:
an ordinary workbook from openpyxl with its XML edited inside the zip.

Used by tests/test_people_import_limits.py and scripts/hostile_uploads.py (which times them).
"""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
HEADER = ["Naam", "E-mail", "Rol"]
ROWS = [["Aisha", "aisha@example.org", "bewoner"], ["Bram", "bram@example.org", "vrijwilliger"]]


def xlsx_bytes(rows, *, write_only: bool = False) -> bytes:
    """``write_only`` puts strings in xl/sharedStrings.xml instead of in the cells."""
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet() if write_only else workbook.active
    for cells in rows:
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewritten(data: bytes, changes: dict, *, added: dict | None = None, level: int = 6) -> bytes:
    """``data`` with members replaced by ``changes[name](old content)`` and ``added`` ones added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename in changes:
                content = changes[info.filename](content)
            target.writestr(info.filename, content)
        for name, content in (added or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def renumbered_rows(numbers: list[int], *, dimension: str | None = None) -> bytes:
    """A header and two people whose rows are numbered ``numbers`` instead of 1, 2, 3: with
    1, 2 and 1,048,576 openpyxl makes a million empty rows in between. ``dimension`` is what
    the sheet says its size is (openpyxl writes the true one, A1:C3; an attacker need not)."""

    def edit(xml: bytes) -> bytes:
        def row(match: re.Match) -> bytes:
            number = numbers[int(match.group(1)) - 1]
            return re.sub(rb' r="([A-Z]*)\d+"', lambda ref: b' r="%s%d"' % (ref.group(1), number), match.group(0))

        xml = re.sub(rb'<row r="(\d+)".*?</row>', row, xml, flags=re.S)
        last = max(numbers)
        return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="%s"' % (dimension or f"A1:C{last}").encode(), xml)

    return rewritten(xlsx_bytes([HEADER, *ROWS]), {SHEET: edit})


def giant_shared_string(length: int = 45 * 1024 * 1024) -> bytes:
    """One cell of ``length`` characters in xl/sharedStrings.xml: 47 KB packed for 45 MB.
    (openpyxl writes strings into the cells, and none over 32,767 characters, so the shared
    strings part is added as Excel writes it.)"""
    strings = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'count="1" uniqueCount="1"><si><t>' + b"x" * length + b"</t></si></sst>"
    )
    kind = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    relation = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    return rewritten(
        xlsx_bytes([HEADER, ["Aisha", "aisha@example.org", "PLACEHOLDER"]]),
        {
            SHEET: lambda xml: xml.replace(b't="inlineStr"><is><t>PLACEHOLDER</t></is>', b't="s"><v>0</v>'),
            "[Content_Types].xml": lambda xml: xml.replace(
                b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + kind + b'"/></Types>'
            ),
            "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdStrings" Type="' + relation + b'" Target="sharedStrings.xml"/></Relationships>',
            ),
        },
        added={"xl/sharedStrings.xml": strings},
        level=9,
    )


def zip_bomb(megabytes: int = 200) -> bytes:
    """An ordinary list with a member of ``megabytes`` MB of zeros beside it (packed a thousand-fold)."""
    return rewritten(xlsx_bytes([HEADER, *ROWS]), {}, added={"xl/media/image1.png": b"\0" * (megabytes * 1024 * 1024)})


def dense_ratio_member(megabytes: int = 5) -> bytes:
    """Under the unpacked limit, but a sheet of ``megabytes`` MB of one repeated empty cell."""
    return rewritten(
        xlsx_bytes([HEADER, *ROWS]),
        {
            SHEET: lambda xml: xml.replace(
                b"</row></sheetData>", b"<c/>" * (megabytes * 1024 * 1024 // 4) + b"</row></sheetData>"
            )
        },
        level=9,
    )


def many_empty_cells(count: int = 750_000) -> bytes:
    """One row with ``count`` cells beyond column 30, each with its own reference, so that it
    packs no better than an ordinary sheet: openpyxl reads every one of them."""
    cells = b"".join(b'<c r="%s2"/>' % _letters(40 + n % 16000).encode() for n in range(count))
    return rewritten(
        xlsx_bytes([HEADER, *ROWS]),
        {SHEET: lambda xml: xml.replace(b'</row><row r="3">', cells + b'</row><row r="3">')},
        level=9,
    )


def many_styles(count: int = 150_000) -> bytes:
    """A stylesheet with ``count`` cell formats, varied so that they pack no better than an
    ordinary file: openpyxl builds an object for each (about 20 µs apiece)."""
    formats = b"".join(
        b'<xf numFmtId="0" fontId="%d" fillId="%d"/>' % ((n * 7919) % 100_003, (n * 104_729) % 99_991)
        for n in range(count)
    )
    return rewritten(
        xlsx_bytes([HEADER, *ROWS]),
        {"xl/styles.xml": lambda xml: xml.replace(b"</cellXfs>", formats + b"</cellXfs>")},
        level=9,
    )


def entity_expansion() -> bytes:
    """The sheet declares an entity and uses it (a "billion laughs" in small)."""
    doctype = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]>'
    return rewritten(
        xlsx_bytes([HEADER, *ROWS]),
        {SHEET: lambda xml: doctype + xml.replace(b"<t>Aisha</t>", b"<t>&a;</t>")},
    )


def in_utf16(data: bytes) -> bytes:
    """``data`` with its sheet in UTF-16, which openpyxl reads as well (and a byte pattern does not)."""

    def encode(xml: bytes) -> bytes:
        text = xml.decode()
        if not text.startswith("<?xml"):
            text = '<?xml version="1.0"?>' + text
        return re.sub(r"^<\?xml[^>]*\?>", '<?xml version="1.0" encoding="UTF-16"?>', text).encode("utf-16")

    return rewritten(data, {SHEET: encode}, level=9)


def long_cell_csv(length: int = 10_000) -> bytes:
    return ("Naam;E-mail;Rol\r\nAisha;aisha@example.org;bewoner\r\nBram;" + "b" * length + ";bewoner\r\n").encode()


def many_rows_csv(count: int = 6_000) -> bytes:
    return ("Naam;Rol\r\n" + "".join(f"P{n};bewoner\r\n" for n in range(count))).encode()


def empty_lines_csv(count: int = 1_000_000) -> bytes:
    """Two people, then a million empty lines, then one more."""
    return b"Naam;Rol\r\nAisha;bewoner\r\n" + b"\r\n" * count + b"Bram;bewoner\r\n"


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


HOSTILE = {
    # name: (filename, builder)
    "rows 1, 2 and 1,048,576 (true dimension)": ("lijst.xlsx", lambda: renumbered_rows([1, 2, 1_048_576])),
    "rows 1, 2 and 1,048,576 (dimension says A1:C3)": (
        "lijst.xlsx",
        lambda: renumbered_rows([1, 2, 1_048_576], dimension="A1:C3"),
    ),
    "rows 1, 2 and 20,000,000 (dimension says A1:C3)": (
        "lijst.xlsx",
        lambda: renumbered_rows([1, 2, 20_000_000], dimension="A1:C3"),
    ),
    "one 45 MB shared string": ("lijst.xlsx", giant_shared_string),
    "one 400 KB shared string": ("lijst.xlsx", lambda: giant_shared_string(400_000)),
    "zip bomb (200 MB of zeros)": ("lijst.xlsx", zip_bomb),
    "5 MB sheet of one repeated empty cell": ("lijst.xlsx", dense_ratio_member),
    "750,000 distinct empty cells": ("lijst.xlsx", many_empty_cells),
    "150,000 cell formats": ("lijst.xlsx", many_styles),
    "160,000 distinct empty cells in UTF-16": ("lijst.xlsx", lambda: in_utf16(many_empty_cells(160_000))),
    "entity declaration": ("lijst.xlsx", entity_expansion),
    "entity declaration in UTF-16": ("lijst.xlsx", lambda: in_utf16(entity_expansion())),
    "CSV with 6,000 rows": ("lijst.csv", many_rows_csv),
    "CSV with a 10,000-character cell": ("lijst.csv", long_cell_csv),
    "CSV with 1,000,000 empty lines": ("lijst.csv", empty_lines_csv),
}
