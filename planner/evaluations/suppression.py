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
from itertools import product
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


MAX_READINGS = 50_000


def mean_gives_away(counts: dict[Hashable, int], distribution: Distribution) -> bool:
    """Would showing the mean let a reader work out a hidden cell of this scale's distribution?

    The cells' sum is the total, and the mean adds a second equation (the values' weighted sum),
    so two hidden cells next to a shown mean can often be solved. ``counts`` maps each cell to its
    count; integer keys are scale values, other keys (e.g. "not applicable") count in the total
    but not in the mean. We try every table a reader could think lies behind what is shown (with
    the bounds a hidden cell's reason gives away) that has the same mean; if all agree on a hidden
    cell, the mean gives it away. Too many tables to try counts as giving away (hide the mean).
    """
    hidden = [k for k, f in distribution.cells.items() if not f.shown]
    if not hidden:
        return False
    numeric = {k: c for k, c in counts.items() if isinstance(k, int)}
    n = sum(numeric.values())
    if not n:
        return False
    weighted = sum(k * c for k, c in numeric.items())
    shown_cells = {k: f.value for k, f in distribution.cells.items() if f.shown}
    total = distribution.total.value if distribution.total.shown else None
    ceiling = min((v for v in shown_cells.values() if v), default=total if total is not None else sum(counts.values()))
    ranges = []
    for key in hidden:
        if distribution.cells[key].hidden == FEW:
            ranges.append(range(1, THRESHOLD))
        else:
            ranges.append(range(THRESHOLD, max(ceiling, THRESHOLD) + 1))
    # With a shown total the last hidden cell follows from the others: enumerate one range fewer.
    free = ranges[:-1] if total is not None else ranges
    size = 1
    for r in free:
        size *= len(r)
    if size > MAX_READINGS:
        return True
    shown_n = sum(c for k, c in shown_cells.items() if isinstance(k, int))
    shown_weighted = sum(k * c for k, c in shown_cells.items() if isinstance(k, int))
    shown_total = sum(shown_cells.values())
    seen: list[set] = [set() for _ in hidden]
    for values in product(*free):
        if total is not None:
            last = total - shown_total - sum(values)
            if last not in ranges[-1]:
                continue
            values = values + (last,)
        cell_n = shown_n + sum(v for k, v in zip(hidden, values) if isinstance(k, int))
        cell_weighted = shown_weighted + sum(k * v for k, v in zip(hidden, values) if isinstance(k, int))
        if not cell_n or cell_weighted * n != weighted * cell_n:  # the same mean, exactly
            continue
        for i, v in enumerate(values):
            seen[i].add(v)
    return any(len(s) == 1 for s in seen)


def suppress_table(
    rows: dict[Hashable, dict[Hashable, int]],
    row_totals: dict[Hashable, int],
    column_totals: dict[Hashable, int | None],
    *,
    additive: bool = True,
) -> dict[Hashable, Distribution]:
    """Distributions that are also the parts of totals shown elsewhere, column by column.

    The sessions of a series are the rows: each session's page shows its row, while the series
    page shows each column's sum. Without care, a cell hidden on one session's page is the series
    figure minus the other sessions' shown cells. So after hiding each row on its own, we keep
    hiding the smallest shown cell of any column whose hidden cells a reader could work out from
    the column total (``column_totals``: None where that total is itself hidden), and re-check the
    rows, until neither gives anything away. ``additive``: a row's cells add up to its total.
    """
    distributions = {r: suppress_distribution(cells, row_totals[r], additive=additive) for r, cells in rows.items()}
    reasons = {r: {k: f.hidden for k, f in d.cells.items()} for r, d in distributions.items()}
    total_shown = {r: d.total.shown for r, d in distributions.items()}
    # In a row whose total is below the threshold every cell is hidden and may be 0.
    small_row = {r: 0 < row_totals[r] < THRESHOLD for r in rows}

    def bounds(r, k) -> tuple[int, int]:
        if reasons[r][k] == FEW:
            return (0 if small_row[r] else 1), THRESHOLD - 1
        # A guard is at least the threshold and, as we always hide the smallest next, at most the
        # smallest shown cell of its row or column; the tighter bound is the careful assumption.
        shown_in_row = [v for key, v in rows[r].items() if reasons[r][key] is None and v > 0]
        shown_in_column = [rows[o][k] for o in rows if reasons[o].get(k, GUARD) is None and rows[o][k] > 0]
        return THRESHOLD, max(THRESHOLD, min(shown_in_row + shown_in_column, default=max(row_totals[r], THRESHOLD)))

    def column_pinned(k) -> bool:
        total = column_totals.get(k)
        hidden = [r for r in rows if k in reasons[r] and reasons[r][k] is not None]
        if total is None or not hidden:
            return False
        low, high = {}, {}
        for r in hidden:
            low[r], high[r] = bounds(r, k)
        total_hidden = total - sum(rows[r][k] for r in rows if k in reasons[r] and reasons[r][k] is None)
        return any(
            lo >= hi for lo, hi in (_interval(r, hidden, total_hidden, low, high) for r in hidden)
        )

    keys = list(dict.fromkeys(k for cells in rows.values() for k in cells))
    changed = True
    while changed:
        changed = False
        for k in keys:
            if not column_pinned(k):
                continue
            candidates = [r for r in rows if k in reasons[r] and reasons[r][k] is None and rows[r][k] > 0]
            if candidates:
                guard = min(candidates, key=lambda r: rows[r][k])
                reasons[guard][k] = GUARD
                changed = True
            else:  # nothing left to hide beside it but zeros: hide those too
                for r in rows:
                    if k in reasons[r] and reasons[r][k] is None:
                        reasons[r][k] = GUARD
                        changed = True
        if not additive:
            continue
        for r, cells in rows.items():
            if not total_shown[r]:
                continue
            order = list(cells)
            values = [cells[k] for k in order]
            while _pinned(values, [reasons[r][k] for k in order], row_totals[r]):
                candidates = [k for k in order if reasons[r][k] is None and cells[k] > 0]
                if not candidates:
                    total_shown[r] = False
                    break
                reasons[r][min(candidates, key=lambda k: (cells[k], order.index(k)))] = GUARD
                changed = True
    return {
        r: Distribution(
            {k: (Figure(v) if reasons[r][k] is None else Figure(None, reasons[r][k])) for k, v in cells.items()},
            distributions[r].total if total_shown[r] else Figure(None, GUARD),
        )
        for r, cells in rows.items()
    }
