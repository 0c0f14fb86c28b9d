"""One page of a long list: two queries (the count and the page), however long the list."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from sqlalchemy import Select, func, select

from planner.extensions import db

PER_PAGE = 25


@dataclass
class Page:
    items: list
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(query: Select, number: int | None, per_page: int = PER_PAGE, *, rows: bool = False) -> Page:
    """Page ``number`` (from 1; out of range falls back to the nearest page) of ``query``.

    Entities come back as objects; with ``rows`` each item is a row of all selected columns."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    pages = max(1, ceil(total / per_page))
    number = min(max(number or 1, 1), pages)
    result = db.session.execute(query.limit(per_page).offset((number - 1) * per_page))
    items = list(result.all()) if rows else list(result.scalars().unique())
    return Page(items=items, number=number, per_page=per_page, total=total)
