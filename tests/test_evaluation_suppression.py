"""Privacy in every figure: small cells are hidden and cannot be worked out from what is shown."""

from __future__ import annotations

from itertools import product

from hypothesis import HealthCheck, given, settings, strategies as st

from planner.evaluations.suppression import (
    FEW,
    GUARD,
    THRESHOLD,
    count,
    mean_gives_away,
    mean_of,
    median_of,
    plain_median,
    statistic,
    suppress_distribution,
    suppress_table,
)

FAST = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=300, deadline=None)


def readings(counts: dict, result) -> list[dict]:
    """Every table a reader could think lies behind what is shown.

    The reader sees the shown cells, the total, and why each hidden cell is hidden: "fewer than
    5" (so 1..4), or hidden to protect another (so at least 5, and no bigger than the smallest
    shown cell, because the smallest is hidden first).
    """
    keys = list(counts)
    hidden = [k for k in keys if not result.cells[k].shown]
    fixed = {k: result.cells[k].value for k in keys if result.cells[k].shown}
    total = result.total.value
    guard_ceiling = min((v for v in fixed.values() if v), default=total)
    ranges = [
        range(1, THRESHOLD) if result.cells[k].hidden == FEW else range(THRESHOLD, guard_ceiling + 1)
        for k in hidden
    ]
    found = []
    for values in product(*ranges):
        if sum(values) + sum(fixed.values()) == total:
            found.append({**fixed, **dict(zip(hidden, values))})
    return found


def test_small_cells_are_hidden_and_big_ones_shown():
    result = suppress_distribution({"good": 12, "fine": 7, "bad": 6})
    assert result.shown_cells() == {"good": 12, "fine": 7, "bad": 6}
    assert result.total.value == 25


def test_a_lone_small_cell_takes_the_next_smallest_with_it():
    result = suppress_distribution({"good": 12, "fine": 7, "bad": 3})
    assert result.cells["bad"].hidden == FEW
    assert result.cells["fine"].hidden == GUARD
    assert result.cells["good"].value == 12 and result.total.value == 22


def test_two_small_cells_that_could_only_be_four_each_are_protected():
    result = suppress_distribution({"a": 4, "b": 4, "c": 12})
    assert result.cells["c"].hidden == GUARD or not result.total.shown


def test_everything_hidden_below_five_responses():
    result = suppress_distribution({"yes": 3, "no": 1})
    assert not result.total.shown and all(not f.shown for f in result.cells.values())
    assert suppress_distribution({"yes": 0, "no": 0}).total.value == 0


def test_zeros_are_shown_but_not_when_they_give_a_cell_away():
    result = suppress_distribution({"1": 0, "2": 0, "3": 6})
    assert result.shown_cells() == {"1": 0, "2": 0, "3": 6}
    result = suppress_distribution({"1": 0, "2": 3, "3": 6})
    assert result.cells["1"].value == 0 and not result.cells["2"].shown and not result.cells["3"].shown
    assert result.total.value == 9


def test_lone_counts_and_statistics():
    assert count(4).hidden == FEW and count(5).value == 5 and count(0).value == 0
    assert statistic(3.5, 4).hidden == FEW and statistic(3.5, 5).value == 3.5
    assert statistic(None, 9).hidden == "none" and statistic(None, 0).hidden == "none"


def test_multiple_choice_cells_are_judged_alone():
    result = suppress_distribution({"a": 9, "b": 2, "c": 7}, total=12, additive=False)
    assert result.shown_cells() == {"a": 9, "c": 7} and result.total.value == 12


@FAST
@given(st.lists(st.integers(0, 14), min_size=1, max_size=5))
def test_no_hidden_cell_can_be_worked_out(values):
    counts = {f"option{i}": v for i, v in enumerate(values)}
    result = suppress_distribution(counts)
    for key, figure in result.cells.items():
        if figure.shown:
            assert figure.value == counts[key] and (figure.value >= THRESHOLD or figure.value == 0)
        else:
            assert figure.value is None
    if result.total.shown:
        assert result.total.value == sum(values) and (sum(values) >= THRESHOLD or sum(values) == 0)
    hidden = [k for k, f in result.cells.items() if not f.shown]
    if hidden and result.total.shown:
        tables = readings(counts, result)
        assert counts in tables
        for key in hidden:
            assert len({t[key] for t in tables}) > 1, f"{key} of {counts} can be worked out"


@FAST
@given(st.dictionaries(st.integers(0, 10), st.integers(1, 6), min_size=1, max_size=6))
def test_mean_and_median_match_a_plain_computation(table):
    flat = [v for v, c in table.items() for _ in range(c)]
    assert abs(mean_of(table) - sum(flat) / len(flat)) < 1e-9
    assert median_of(table) == plain_median(flat)


@FAST
@given(st.lists(st.integers(0, 9), min_size=3, max_size=5), st.integers(0, 3))
def test_a_shown_mean_gives_no_hidden_cell_away(values, not_applicable):
    counts = {value: c for value, c in enumerate(values, start=1)}
    counts["n/a"] = not_applicable
    result = suppress_distribution(counts)
    hidden = [k for k, f in result.cells.items() if not f.shown]
    if not hidden or not result.total.shown or mean_gives_away(counts, result):
        return
    n = sum(c for k, c in counts.items() if k != "n/a")
    exact = sum(k * c for k, c in counts.items() if k != "n/a")

    def same_mean(table):
        m = sum(c for k, c in table.items() if k != "n/a")
        return m and sum(k * c for k, c in table.items() if k != "n/a") * n == exact * m

    tables = [t for t in readings(counts, result) if same_mean(t)]
    assert counts in tables
    for key in hidden:
        assert len({t[key] for t in tables}) > 1, f"the mean gives {key} of {counts} away"


def test_a_mean_that_would_solve_two_hidden_cells_is_hidden():
    counts = {1: 3, 2: 0, 3: 10, 4: 6, 5: 0}
    assert mean_gives_away(counts, suppress_distribution(counts))
    counts = {1: 0, 2: 0, 3: 10, 4: 6, 5: 7}
    assert not mean_gives_away(counts, suppress_distribution(counts))


def _lines(table: dict, rows: dict, column_totals: dict):
    """Every row and column of a suppressed table whose total a reader sees, with its cells' figures."""
    for r, distribution in table.items():
        if distribution.total.shown:
            yield f"row {r}", list(distribution.cells.values())
    for k, total in column_totals.items():
        if total is not None:
            yield f"column {k}", [table[r].cells[k] for r in rows]


@FAST
@given(st.lists(st.lists(st.integers(0, 12), min_size=3, max_size=3), min_size=2, max_size=4))
def test_a_session_cell_cannot_be_worked_out_from_the_series_total(grid):
    """Sessions are rows, answers are columns; the series page shows each column's sum."""
    rows = {s: {k: v for k, v in enumerate(values)} for s, values in enumerate(grid)}
    column_sums = {k: sum(rows[s][k] for s in rows) for k in range(3)}
    series = suppress_distribution(column_sums)  # what the series page shows
    column_totals = {k: (f.value if f.shown else None) for k, f in series.cells.items()}
    table = suppress_table(rows, {s: sum(v.values()) for s, v in rows.items()}, column_totals)
    for s, distribution in table.items():
        for k, figure in distribution.cells.items():
            assert figure.value == (rows[s][k] if figure.shown else None)
            if figure.shown:
                assert figure.value == 0 or figure.value >= THRESHOLD
    for name, cells in _lines(table, rows, column_totals):
        hidden = [f for f in cells if not f.shown]
        # One hidden cell in a line with a shown total is that total minus the shown cells.
        assert len(hidden) != 1, f"{name} of {grid} gives a hidden cell away"


def test_a_small_cell_in_one_session_takes_a_cell_of_another_session_with_it():
    rows = {1: {"good": 3, "bad": 9}, 2: {"good": 8, "bad": 7}, 3: {"good": 6, "bad": 5}}
    column_totals = {"good": 17, "bad": 21}
    table = suppress_table(rows, {1: 12, 2: 15, 3: 11}, column_totals)
    assert table[1].cells["good"].hidden == FEW
    hidden_good = [s for s in rows if not table[s].cells["good"].shown]
    assert len(hidden_good) >= 2  # 17 − 8 − 6 would otherwise be session 1's 3
