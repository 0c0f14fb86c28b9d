"""Bounds an uploaded .xlsx must keep before openpyxl opens it: no zip bomb, no entities, no more
markup than can be read in a few seconds."""

from __future__ import annotations

import io
import re
import zipfile

from planner.people.errors import PeopleError

# An .xlsx is a zip of XML files. What it unpacks to, and how much markup openpyxl has to walk
# through, is bounded before openpyxl opens it, so that any file of at most MAX_IMPORT_BYTES is
# read in a few seconds (figures measured with openpyxl 3.1 in read-only mode).
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_MEMBER_BYTES = 10 * 1024 * 1024
MAX_MEMBERS = 1_000
MAX_COMPRESSION_RATIO = 100  # ordinary sheets pack 5 to 20 times; a zip bomb about a thousand
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
# What openpyxl spends on each start tag, in µs (measured on a busy 2-core machine): a cell with
# its reference is the dearest part of a sheet's data; styles, validations, formatting and the
# like cost far more, since openpyxl builds an object for each (a cell format with a dozen
# attributes about 40 µs). A file whose markup adds up to more than MAX_MARKUP_COST is refused:
# an ordinary list of 5,000 people in 10 columns costs about 0.7 million, in 20 columns 1.4.
MAX_MARKUP_COST = 2_000_000
TAG_COSTS = {b"c": 12, b"row": 4, b"v": 1, b"is": 1, b"t": 1, b"r": 1, b"si": 1, b"f": 1, b"sheetData": 1}
OTHER_TAG_COST = 45
# Entities only come with a document type, which no spreadsheet has (looked for in UTF-16 too).
DOCTYPE_MARKS = tuple(
    mark.encode(encoding) for mark in ("<!DOCTYPE", "<!ENTITY") for encoding in ("utf-8", "utf-16-le", "utf-16-be")
)
_START_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")


def check_archive(data: bytes) -> None:
    """Refuse an .xlsx that unpacks to too much, packs suspiciously well, declares entities or
    holds more markup than openpyxl reads in a few seconds (PeopleError "import_too_complex")."""
    too_complex = PeopleError("import_too_complex", megabytes=MAX_UNPACKED_BYTES // (1024 * 1024))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise too_complex
            if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                raise too_complex
            for member in members:
                if member.file_size > MAX_MEMBER_BYTES:
                    raise too_complex
                packed = max(member.compress_size, 1)
                if member.file_size > RATIO_CHECKED_FROM_BYTES and member.file_size > MAX_COMPRESSION_RATIO * packed:
                    raise too_complex
            cost = 0
            for member in members:
                # zipfile stops at the size a member declares, so this reads at most what was summed above.
                content = archive.read(member)
                if any(mark in content for mark in DOCTYPE_MARKS):
                    raise PeopleError("import_unreadable")  # a spreadsheet declares no entities to expand
                cost += markup_cost(content, MAX_MARKUP_COST - cost)
                if cost > MAX_MARKUP_COST:
                    raise too_complex
    except PeopleError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        RuntimeError,
        OSError,
        ValueError,
        EOFError,
    ) as error:
        raise PeopleError("import_unreadable") from error


def markup_cost(content: bytes, budget: int) -> int:
    """What openpyxl's reading of ``content`` costs, in µs (TAG_COSTS); above ``budget`` only
    roughly (it is refused either way)."""
    starts = content.count(b"<") - content.count(b"</")
    if starts > budget:
        return starts  # every tag costs at least 1 µs
    cost = cheap = 0
    for tag in _START_TAG.finditer(content):
        price = TAG_COSTS.get(tag.group(1))
        if price is not None:
            cost += price
            cheap += 1
            if cost > budget:
                break
    # Every other "<" is charged as dear: what the pattern did not recognise (other tags, or
    # markup in UTF-16, which it cannot read) is not let through for free.
    return cost + (starts - cheap) * OTHER_TAG_COST
