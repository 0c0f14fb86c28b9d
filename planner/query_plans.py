"""Helping SQLite's planner, which has no statistics, to start where a query is selective."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class not_by_index(FunctionElement):
    """The column's value, which SQLite will not look up or order by an index (``+column``,
    its documented way); other databases see the plain column.

    For ``series_id IN (every series of a programme)`` next to a date range: without it SQLite
    walks the years of series one by one, while the date's index finds the few rows at once."""

    inherit_cache = True

    def __init__(self, column: Any) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(not_by_index)
def _plain(element: not_by_index, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(not_by_index, "sqlite")
def _unary_plus(element: not_by_index, compiler: Any, **kw: Any) -> str:
    return "+" + compiler.process(element.clauses, **kw)
