"""A figure as it may be shown, and the statistics figures are made of (pure).

``disclosure`` decides which figures are shown; everything that prints one takes a ``Figure``.
"""

from __future__ import annotations

from dataclasses import dataclass

THRESHOLD = 5

FEW = "few"  # rests on fewer than THRESHOLD responses
NONE = "none"  # nothing to compute from: no answers at all
WITHHELD = "withheld"  # not broken down this way: some part would rest on too few


@dataclass(frozen=True)
class Figure:
    """A number as it may be shown: ``value`` is None when ``hidden`` says why."""

    value: float | int | None
    hidden: str | None = None

    @property
    def shown(self) -> bool:
        return self.hidden is None


def few() -> Figure:
    return Figure(None, FEW)


def count(n: int) -> Figure:
    """The size of a group: shown from 5, and 0 (about nobody)."""
    return Figure(n) if n >= THRESHOLD or n == 0 else few()


def mean_of(values: dict[int, int]) -> float | None:
    n = sum(values.values())
    return sum(v * c for v, c in values.items()) / n if n else None


def median_of(values: dict[int, int]) -> float | None:
    """Median of a value → count table (the mean of the middle two for an even count)."""
    n = sum(values.values())
    if not n:
        return None
    ordered = sorted(values.items())

    def nth(k: int) -> int:  # the k-th value, 0-based
        seen = 0
        for value, c in ordered:
            seen += c
            if k < seen:
                return value
        raise IndexError(k)

    return float(nth(n // 2)) if n % 2 else (nth(n // 2 - 1) + nth(n // 2)) / 2


def rounded_mean(values: dict[int, int]) -> float | None:
    mean = mean_of(values)
    return None if mean is None else round(mean, 1)
