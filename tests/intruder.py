"""An intruder: everything a trekker can read about a series, turned into linear constraints, solved.

It reads the real outputs (the series page, every session page, the compare page, the report,
the CSV and XLSX downloads, the attendance figures) as a trekker gets them. Every printed figure
carries a ``data-fig`` code on a page and a code in the downloads' last column, saying what it
counts (kind, question, answer, sessions by number, roles); the intruder takes the printed
text beside it. It then models the unknown table beneath everything, at the finest grain the
data has, as integers ≥ 0:

    x[s, r, q, c]  answers c to question q in session s by role r
    y[s, r, q]     responses in s by r that answered q (= Σ_c x for additive questions)
    z[s, r]        responses in s by r                  (y ≤ z)

and every printed figure becomes a constraint: a count is a sum of these, "fewer than 5" is a
sum in 1..4, a mean m (one decimal) is Σ value·x within (m ± 0.05)·Σ x, a rate p % is the
responses within (p ± 1) % of the people present. For every hidden figure — each "fewer than
5", each mean not given by role, and each session or role that is only shown together with
others — it computes with integer programming (scipy's HiGHS) the smallest and largest value it
can take, and reports those it can narrow to fewer than three values. It also reports a code
printed with two different values in two places.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import numpy as np
from openpyxl import load_workbook
from scipy.optimize import Bounds, LinearConstraint, milp

EXACT_BELOW = 8  # solve the integer programme where the relaxation allows fewer values than this
FEW_TEXTS = {"fewer than 5", "minder dan 5"}
NOTHING = {"", "–", "not by role", "niet per rol"}


class _Figures(HTMLParser):
    """(code, text) of every element with a data-fig attribute."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._open: list[list] = []

    def handle_starttag(self, tag, attrs):
        code = dict(attrs).get("data-fig")
        for item in self._open:
            item[2] += 1
        if code:
            self._open.append([code, "", 0])

    def handle_endtag(self, tag):
        for item in list(self._open):
            if item[2] == 0:
                self._open.remove(item)
                self.found.append((item[0], item[1].strip()))
            else:
                item[2] -= 1

    def handle_data(self, data):
        for item in self._open:
            item[1] += data


def figures_in_html(html: str, series_id: int | None = None) -> list[tuple[str, str]]:
    parser = _Figures()
    parser.feed(html)
    found = []
    for code, text in parser.found:
        if code.startswith("series="):
            owner, _sep, code = code.partition(";")
            if series_id is not None and owner != f"series={series_id}":
                continue
        found.append((code, text))
    return found


def figures_in_csv(data: str) -> list[tuple[str, str]]:
    rows = list(csv.reader(io.StringIO(data.lstrip("\ufeff")), delimiter=";"))
    return [(row[-1], row[-2]) for row in rows[1:] if row and row[-1]]


def figures_in_xlsx(data: bytes) -> list[tuple[str, str]]:
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    return [(row[-1], "" if row[-2] is None else str(row[-2]).replace(".", ",")) for row in rows[1:] if row[-1]]


@dataclass(frozen=True)
class Code:
    kind: str
    q: str | None
    cell: str | None
    sessions: tuple[int, ...]
    roles: tuple[str, ...] | None

    @classmethod
    def parse(cls, text: str) -> Code:
        parts = dict(p.split("=", 1) for p in text.split(";"))
        sessions = tuple(int(s) for s in parts["s"].split(",")) if parts.get("s") else ()
        roles = tuple(parts["r"].split(",")) if "r" in parts else None
        return cls(parts["k"], parts.get("q"), parts.get("c"), sessions, roles)


@dataclass
class Finding:
    what: str
    low: float
    high: float


@dataclass
class Intruder:
    """Collects what is printed; ``narrowed()`` says which hidden figures it can pin down."""

    additive: dict[str, bool] = field(default_factory=dict)  # question → its cells add up (public: the form)
    printed: dict[Code, str] = field(default_factory=dict)
    clashes: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    def read(self, figures: list[tuple[str, str]]) -> None:
        for raw, text in figures:
            code = Code.parse(raw)
            text = re.sub(r"\s+", " ", text).strip()
            known = self.printed.get(code)
            if known is not None and _value(code, known) != _value(code, text):
                self.clashes.append(f"{raw}: {known!r} here, {text!r} there")
            self.printed.setdefault(code, text)

    # --- The model.

    def _roles(self) -> list[str]:
        """The roles any figure names, and one for all the others (no figure tells those apart)."""
        named = sorted({r for c in self.printed if c.roles for r in c.roles})
        return [*named, "others"]

    def _build(self):
        self.roles = self._roles()
        sessions = sorted({s for c in self.printed for s in c.sessions})
        cells: dict[str, set] = {}
        for c in self.printed:
            if c.q is not None:
                cells.setdefault(c.q, set())
                if c.cell is not None:
                    cells[c.q].add(c.cell)
        index: dict[tuple, int] = {}

        def var(*key) -> int:
            return index.setdefault(key, len(index))

        for s in sessions:
            for r in self.roles:
                var("z", s, r)
                for q, qcells in cells.items():
                    var("y", s, r, q)
                    for c in qcells:
                        var("x", s, r, q, c)
        rows, lows, highs = [], [], []

        def add(coefficients: dict[int, float], low: float, high: float) -> None:
            rows.append(coefficients)
            lows.append(low)
            highs.append(high)

        for s in sessions:
            for r in self.roles:
                for q, qcells in cells.items():
                    y = index[("y", s, r, q)]
                    add({y: 1, index[("z", s, r)]: -1}, -np.inf, 0)
                    xs = [index[("x", s, r, q, c)] for c in qcells]
                    if not xs:
                        continue  # an open question: answers are read, not counted in cells
                    if self.additive.get(q, True):
                        add({**dict.fromkeys(xs, 1), y: -1}, 0, 0)
                    else:
                        for x in xs:
                            add({x: 1, y: -1}, -np.inf, 0)
                        add({**dict.fromkeys(xs, 1), y: -1}, 0, np.inf)
        present = {c.sessions: _number(t) for c, t in self.printed.items() if c.kind == "present" and _number(t)}
        hidden: list[tuple[str, dict[int, float]]] = []
        for code, text in self.printed.items():
            terms = self._terms(code, index, sessions, cells)
            if terms is None:
                continue
            value = _value(code, text)
            label = f"{code.kind} q={code.q} c={code.cell} s={code.sessions} r={code.roles}"
            if value == "few":
                if code.kind == "rate":
                    continue  # a rate is hidden with too few responses or too few people present
                # Every cell of a hidden distribution says "fewer than 5", its 0s too.
                add(terms, 0 if code.kind in ("cell", "mean") else 1, 4)
                hidden.append((label, terms))
            elif value is None:
                if code.kind == "mean" and text.strip() in ("not by role", "niet per rol"):
                    hidden.append((label + " (sum)", self._weighted(code, index, sessions, cells)))
            elif code.kind == "mean":
                weighted = self._weighted(code, index, sessions, cells)
                add({**weighted, **{k: weighted.get(k, 0) - (value - 0.05) * v for k, v in terms.items()}}, 0, np.inf)
                add({**weighted, **{k: weighted.get(k, 0) - (value + 0.05) * v for k, v in terms.items()}}, -np.inf, 0)
                add(terms, 1, np.inf)
            elif code.kind == "rate":
                people = present.get(code.sessions)
                if people:
                    # Rounded to a hundredth, then shown as a whole percentage: within one point.
                    add(terms, (value - 1) / 100 * people, (value + 1) / 100 * people)
            else:
                add(terms, value, value)
        hidden += self._groups_shown_together(index, sessions)
        return index, rows, lows, highs, hidden

    def _terms(self, code: Code, index, sessions, cells) -> dict[int, float] | None:
        roles = code.roles or self.roles
        where = code.sessions or sessions
        if code.kind in ("responses", "rate"):
            return {index[("z", s, r)]: 1 for s in where for r in roles}
        if code.kind == "n":
            return {index[("y", s, r, code.q)]: 1 for s in where for r in roles}
        if code.kind == "cell":
            return {index[("x", s, r, code.q, code.cell)]: 1 for s in where for r in roles}
        if code.kind == "mean":
            numeric = [c for c in cells[code.q] if c.isdigit()]
            return {index[("x", s, r, code.q, c)]: 1 for s in where for r in roles for c in numeric}
        return None

    def _weighted(self, code: Code, index, sessions, cells) -> dict[int, float]:
        roles = code.roles or self.roles
        where = code.sessions or sessions
        numeric = [c for c in cells[code.q] if c.isdigit()]
        return {index[("x", s, r, code.q, c)]: int(c) for s in where for r in roles for c in numeric}

    def _groups_shown_together(self, index, sessions) -> list[tuple[str, dict[int, float]]]:
        """Sessions shown only with others, and roles only in "other roles": their responses are hidden."""
        hidden = []
        alone = {c.sessions[0] for c in self.printed if c.kind == "responses" and len(c.sessions) == 1}
        nobody = {
            s
            for c, t in self.printed.items()
            if c.kind == "responses" and c.roles is None and _value(c, t) == 0
            for s in c.sessions
        }  # a group of 0 answers: nothing to protect
        for s in sessions:
            if s not in alone and s not in nobody and len(sessions) > 1:
                hidden.append(
                    (f"responses of session {s} (only shown with others)", {index[("z", s, r)]: 1 for r in self.roles})
                )
        for c in self.printed:
            if c.kind == "responses" and c.roles and len(c.roles) > 1:
                for role in c.roles:
                    hidden.append(
                        (
                            f"responses of role {role} (shown with {c.roles})",
                            {index[("z", s, role)]: 1 for s in sessions},
                        )
                    )
        return hidden

    def small_groups(self) -> list[str]:
        """Attendance groups (a role, an organisation, a municipality, "came to k") of 1–4 people shown."""
        rows = [(c, t) for c, t in self.printed.items() if c.kind == "att"]
        came = [(c, t) for c, t in self.printed.items() if c.kind == "came"]
        rows += came if len(came) > 1 else []  # one row: everyone who came, as the present counts are
        return [f"{c.kind} {c.q} {c.cell} s={c.sessions}: {t}" for c, t in rows if 0 < (_value(c, t) or 0) < 5]

    def narrowed(self, *, exact: bool = True) -> list[Finding]:
        """Every hidden figure that can take fewer than three values, with its range.

        The linear relaxation gives outer bounds: narrow there is narrow for sure. Where it is
        not much wider (fewer than ``EXACT_BELOW`` values), ``exact`` solves the integer programme
        too (within a time limit, keeping HiGHS's proven bounds), since whole numbers can be
        narrower than fractions; a range the relaxation finds far wider is taken as it is.
        """
        if not self.printed:
            return []
        index, rows, lows, highs, hidden = self._build()
        matrix = np.zeros((len(rows), len(index)))
        for i, coefficients in enumerate(rows):
            for j, v in coefficients.items():
                matrix[i, j] += v
        findings = []
        for what, terms in hidden:
            objective = np.zeros(len(index))
            for j, v in terms.items():
                objective[j] = v
            low, high = _range(objective, matrix, lows, highs, integral=False)
            if 2 <= high - low < EXACT_BELOW and exact:
                low, high = _range(objective, matrix, lows, highs, integral=True)
            if high - low < 2:
                findings.append(Finding(what, low, high))
        return findings


def _range(objective, matrix, lows, highs, *, integral: bool) -> tuple[float, float]:
    return _bound(objective, matrix, lows, highs, integral), -_bound(-objective, matrix, lows, highs, integral)


def _bound(objective, matrix, lows, highs, integral: bool) -> float:
    """The smallest value of objective·x (a proven lower bound when the time limit cuts it short)."""
    result = milp(
        objective,
        constraints=LinearConstraint(matrix, lows, highs),
        integrality=np.ones(len(objective)) if integral else None,
        bounds=Bounds(0, np.inf),
        options={"time_limit": 1},
    )
    if result.status == 3:  # unbounded
        return -np.inf
    if result.status == 1 and integral:  # time limit: HiGHS's dual bound still holds
        return float(getattr(result, "mip_dual_bound", -np.inf) or -np.inf)
    assert result.status == 0, (
        f"the intruder's model has no solution ({result.message}): the release contradicts itself"
    )
    return round(result.fun) if integral else math.ceil(result.fun - 1e-6)


def _number(text: str):
    text = text.replace("%", "").strip()
    if text in NOTHING or text.lower() in FEW_TEXTS:
        return None
    return float(text.replace(".", "").replace(",", ".")) if "," in text else float(text.replace(".", ""))


def _value(code: Code, text: str):
    text = text.strip()
    if text.lower() in FEW_TEXTS:
        return "few"
    if text in NOTHING or text.lower() in ("hidden", "verborgen"):
        return None
    if code.kind in ("mean", "median"):
        return float(text.replace(",", "."))
    return float(text.replace("%", "").replace(".", "").replace(",", "."))
