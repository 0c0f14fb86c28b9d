"""Helpers for writing invariants into the schema."""

from __future__ import annotations

from collections.abc import Iterable


def one_of(column: str, values: Iterable) -> str:
    """SQL for a check constraint: ``column`` holds one of ``values`` (strings or StrEnum members)."""
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"
