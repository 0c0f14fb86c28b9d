"""Ids as the database can hold them: from 1 up to the largest INTEGER of PostgreSQL (32 bits).

The id columns are INTEGER, so a larger number in a URL or a form cannot be any row's id;
passed on to the database it overflows (SQLite raises OverflowError past 64 bits, PostgreSQL
refuses anything past 32 bits with NumericValueOutOfRange). Every ``<int:...>``
in a URL rule uses :class:`IdConverter` (registered as ``int`` in ``create_app``), so such a URL
is a 404 before any view runs; forms read ids with :func:`id_from_text`.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

LARGEST_ID = 2**31 - 1  # PostgreSQL's INTEGER; SQLite's would hold more


class IdConverter(IntegerConverter):
    """``<int:...>`` for ids: digits only, 1 to :data:`LARGEST_ID`, anything else is no match (404)."""

    def __init__(
        self, map: Map, fixed_digits: int = 0, min: int | None = 1, max: int | None = LARGEST_ID, signed: bool = False
    ) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def id_from_text(text: str | None) -> int | None:
    """The id written in ``text`` (surrounding spaces allowed), or None when it cannot be one."""
    text = (text or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(LARGEST_ID)):
        return None
    number = int(text)
    return number if 1 <= number <= LARGEST_ID else None


def coerce_id(value) -> int:
    """A WTForms ``coerce`` for ids (0 where a select offers "none"): past the range it raises
    ValueError, which the field reports as an invalid choice."""
    if value is None or isinstance(value, bool):
        raise TypeError("not an id")
    number = value if isinstance(value, int) else int(str(value).strip())
    if not 0 <= number <= LARGEST_ID:
        raise ValueError("not an id")
    return number
