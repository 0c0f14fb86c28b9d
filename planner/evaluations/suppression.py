"""Privacy in every figure: what may be shown of counts, means and breakdowns (pure functions).

A figure resting on one to four responses is hidden ("fewer than 5"); a zero is shown, since
it is about nobody (but see below: a zero can still make its neighbours hidden). A hidden
cell must also not be recoverable from the figures that are shown: when the cells of a
distribution add up to a shown total, the hidden cells' sum is known, so we hide more
(complementary suppression) until no hidden cell is pinned down by that sum and the bounds a
reader can infer (a "fewer than 5" cell lies in 1..4; a cell hidden to protect another is at
least 5 and at most the smallest shown cell, since we always hide the smallest one next).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import median as _median
from typing import Hashable

THRESHOLD = 5

FEW = "few"  # rests on fewer than THRESHOLD responses
GUARD = "guard"  # hidden so that a "few" cell cannot be worked out
NONE = "none"  # nothing to compute from: no answers at all


@dataclass(frozen=True)
class Figure:
    """A number as it may be shown: ``value`` is None when ``hidden`` says why."""

    value: float | int | None
    hidden: str | None = None

    @property
    def shown(self) -> bool:
        return self.hidden is None


def shown(value) -> Figure:
    return Figure(value)


def few() -> Figure:
    return Figure(None, FEW)


@dataclass
class Distribution:
    """Counts per key and their total, each shown or hidden."""

    cells: dict[Hashable, Figure] = field(default_factory=dict)
    total: Figure = field(default_factory=few)

    def shown_cells(self) -> dict[Hashable, int]:
        return {key: f.value for key, f in self.cells.items() if f.shown}


def count(n: int) -> Figure:
    """A lone count (not part of a distribution with a shown total)."""
    return Figure(n) if n >= THRESHOLD or n == 0 else few()


def statistic(value: float | None, n: int) -> Figure:
    """A mean, median or share computed from ``n`` responses."""
    if value is None or n == 0:
        return Figure(None, NONE)
    if n < THRESHOLD:
        return few()
    return Figure(value)


def _interval(i: int, hidden: list[int], total_hidden: int, low: dict, high: dict) -> tuple[int, int]:
    others_low = sum(low[j] for j in hidden if j != i)
    others_high = sum(high[j] for j in hidden if j != i)
    return max(low[i], total_hidden - others_high), min(high[i], total_hidden - others_low)


def _pinned(counts: list[int], reasons: list[str | None], total: int) -> bool:
    """Can a reader work out any hidden cell from the shown cells and the shown total?"""
    hidden = [i for i, r in enumerate(reasons) if r is not None]
    if not hidden:
        return False
    shown_values = [c for c, r in zip(counts, reasons) if r is None]
    shown_at = [(j, c) for j, (c, r) in enumerate(zip(counts, reasons)) if r is None and c > 0]

    def guard_ceiling(i: int) -> int:
        # A guard is the smallest cell still shown when it was picked (ties: the first one).
        return min((c - (1 if j < i else 0) for j, c in shown_at), default=total)

    low = {i: (1 if reasons[i] == FEW else THRESHOLD) for i in hidden}
    high = {i: (THRESHOLD - 1 if reasons[i] == FEW else guard_ceiling(i)) for i in hidden}
    total_hidden = total - sum(shown_values)
    for i in hidden:
        lo, hi = _interval(i, hidden, total_hidden, low, high)
        if lo >= hi:
            return True
    return False


def suppress_distribution(counts: dict[Hashable, int], total: int | None = None, *, additive: bool = True) -> Distribution:
    """Hide what must be hidden in one distribution (a row of counts and their total).

    ``additive``: the cells add up to the total (one answer per response). For multiple-choice
    questions they do not (one response may tick several options); then each cell is judged alone.
    """
    keys = list(counts)
    values = [int(counts[k]) for k in keys]
    if total is None:
        total = sum(values)
    if total < THRESHOLD:
        return Distribution({k: (Figure(0) if total == 0 else few()) for k in keys}, count(total))
    reasons: list[str | None] = [FEW if 0 < v < THRESHOLD else None for v in values]
    total_shown = True
    if additive:
        while _pinned(values, reasons, total):
            candidates = [i for i, r in enumerate(reasons) if r is None and values[i] > 0]
            if not candidates:
                total_shown = False
                break
            smallest = min(candidates, key=lambda i: (values[i], i))
            reasons[smallest] = GUARD
    cells = {k: (Figure(v) if r is None else Figure(None, r)) for k, v, r in zip(keys, values, reasons)}
    return Distribution(cells, Figure(total) if total_shown else Figure(None, GUARD))


def mean_of(values: dict[int, int]) -> float | None:
    """Mean of a value → count table."""
    n = sum(values.values())
    if not n:
        return None
    return sum(v * c for v, c in values.items()) / n


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

    if n % 2:
        return float(nth(n // 2))
    return (nth(n // 2 - 1) + nth(n // 2)) / 2


def plain_median(values: list[int]) -> float:
    """For tests and checks: the median of a plain list."""
    return float(_median(values))
