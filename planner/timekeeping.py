"""Time as the app keeps it: UTC in the database, the planning zone (PLANNING_TIMEZONE) on the page."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import overload
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

# Dates anyone means: a year outside these is a typing error, and date arithmetic near the
# year 9999 overflows. Every date field, date filter and imported date keeps to them.
FIRST_YEAR = 1900
LAST_YEAR = 2200


def utcnow() -> datetime:
    return datetime.now(UTC)


def is_plausible_date(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def planning_zone() -> ZoneInfo:
    """The zone series are planned in: the one setting ``PLANNING_TIMEZONE``."""
    return ZoneInfo(current_app.config["PLANNING_TIMEZONE"])


@overload
def as_utc(value: datetime) -> datetime: ...


@overload
def as_utc(value: datetime | str | None) -> datetime | None: ...


def as_utc(value: datetime | str | None) -> datetime | None:
    """An aggregate's result as an aware UTC datetime.

    Aggregates such as ``min(starts_at)`` bypass the column type, so SQLite hands back
    naive values (or ISO strings) while PostgreSQL hands back aware ones.
    """
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every database.

    SQLite forgets the offset, so values are normalised to UTC on the way in and
    marked as UTC on the way out; PostgreSQL stores ``timestamptz``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):  # noqa: ARG002 - TypeDecorator's signature
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
