"""What may be shown of a series' evaluation: one pass over everything released about it (pure).

The rule is "no figure from fewer than 5 responses", applied to *groups of people*: a session, a
role, the anonymous answers. A group that is too small is never shown on its own, nor hidden
cell by cell; it is put together with a neighbour (recoding) until the group is big enough:

- Sessions form **blocks** of consecutive sessions with at least 5 responses, at least 5 people
  present, and either no anonymous responses or at least 5 (so an anonymous answer is always one
  of five or more in any group anything is shown of). A short tail joins the block before it.
  A session's page shows its block; the trend and every download use the same blocks.
- A question is shown per block where it has at least 5 answers there; where it has fewer, its
  blocks are joined further for that question alone ("its groups", unions of blocks).
- Roles form **role blocks**: a role with fewer than 5 people (at most that many answering in
  any one session: ``people_in``) joins "other roles"; when that is still too small, the
  smallest shown role joins it; one block left means no breakdown. Anonymous answers are a
  group of their own. A question's
  means by role are shown only when every role block has at least 5 answers to it (or none),
  so no block's figure is the series figure minus the others'. There is no role breakdown of
  a session: only of the whole series.
- Fewer than 5 anonymous answers in a whole series are held back: counted in no figure until
  there are 5 (``anonymous_held``).
- A figure whose whole base is below 5 with nothing to join (a question 3 people answered in the
  whole series) shows "fewer than 5" and nothing beneath it is shown anywhere.

Because every shown figure is a sum over whole groups of at least 5, and the groups of one
partition are unions of the finer one's, nothing shown can be differenced down to a smaller
group. Inside a shown group every cell is shown, 0s and 1s included: they are not groups of
people but answers. Means are rounded to one decimal; a mean is shown with its distribution.

The routes call ``release`` once per page or download; everything that renders figures renders
its result, so a total printed in one place is the same total everywhere. No LP, no search:
the rules are combinatorial and linear in the number of grouped rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field

from planner.evaluations.figures import (  # noqa: F401 - the figures' vocabulary, used with this module
    FEW,
    NONE,
    THRESHOLD,
    WITHHELD,
    Figure,
    count,
    few,
    mean_of,
    median_of,
    rounded_mean,
)

ANONYMOUS = "anonymous"  # the "role" of an anonymous response: it has none
UNKNOWN = "unknown"  # a named response whose role is not known (e.g. after the retention period)
OTHER = "other"  # the role block of the roles too small to show alone


# --- What goes in: the questions and the grouped counts of a series.


@dataclass
class Question:
    key: str
    cells: list  # in reading order
    additive: bool = True  # the cells add up to the people who answered (not: several options)
    scale: bool = False  # has a mean: its integer cells are the values
    free_text: bool = False  # read, not counted in cells
    low: float = 0
    high: float = 10
    condition: str | None = None
    pair_key: str | None = None
    moment: str | None = None

    def numeric(self, table: dict) -> dict[int, int]:
        return {v: n for v, n in table.items() if isinstance(v, int) and not isinstance(v, bool)}

    def scaled(self, mean: float) -> float:
        return (mean - self.low) / (self.high - self.low) * 100 if self.high > self.low else 0


@dataclass
class Counts:
    """The grouped rows every figure is added up from."""

    present: dict[int, int]  # session → people present
    responses: dict[tuple[int, str], int]  # (session, role) → responses
    respondents: dict[tuple[int, str, str], int]  # (session, role, question key) → responses answering
    answers: dict[tuple[int, str, str, Hashable], int]  # (session, role, question key, cell) → answers
    # Filled in by ``index``: question key → (session, role) → (cell → answers, answering).
    by_question: dict = field(default_factory=dict)

    def index(self) -> Counts:
        self.by_question = {}
        for (s, r, qkey, cell), n in self.answers.items():
            cells = self.by_question.setdefault(qkey, {}).setdefault((s, r), [defaultdict(int), 0])[0]
            cells[cell] += n
        for (s, r, qkey), n in self.respondents.items():
            self.by_question.setdefault(qkey, {}).setdefault((s, r), [defaultdict(int), 0])[1] += n
        return self

    def total(self, sessions, roles=None) -> int:
        return sum(n for (s, r), n in self.responses.items() if s in sessions and (roles is None or r in roles))

    def table(self, key: str, sessions, roles=None) -> tuple[dict, int]:
        """One question's answers (cell → count) and the people answering, over sessions (and roles)."""
        table: dict = defaultdict(int)
        n = 0
        for (s, r), (cells, answering) in self.by_question.get(key, {}).items():
            if s in sessions and (roles is None or r in roles):
                n += answering
                for cell, c in cells.items():
                    table[cell] += c
        return table, n


# --- What comes out.


@dataclass
class Block:
    """Sessions shown together (often one), with their response."""

    sessions: tuple[int, ...]
    present: int
    responses: Figure
    rate: Figure


@dataclass
class QuestionFigures:
    sessions: tuple[int, ...]  # the sessions these figures are about
    n: Figure  # people who answered
    cells: dict[Hashable, Figure]
    mean: Figure
    median: Figure


@dataclass
class QuestionRelease:
    question: Question
    series: QuestionFigures
    groups: list[QuestionFigures]  # per block, or per union of blocks where a block has too few

    def group_of(self, session: int) -> QuestionFigures | None:
        return next((g for g in self.groups if session in g.sessions), None)


@dataclass
class RoleBlock:
    key: str  # a role, or OTHER
    roles: tuple[str, ...]
    responses: Figure
    means: dict[str, Figure]  # question key → mean


@dataclass
class Release:
    sessions: list[int]
    present: int
    responses: Figure
    rate: Figure
    blocks: list[Block]
    questions: dict[str, QuestionRelease]
    roles: list[RoleBlock]  # empty: no breakdown by role
    anonymous: bool  # some answers were anonymous
    anonymous_held: bool = False  # fewer than 5 anonymous answers: left out of every figure

    def block_of(self, session: int) -> Block:
        return next(b for b in self.blocks if session in b.sessions)


def _rate(responses: int, present: int) -> Figure:
    """Responses / people present: from 5 present and 5 (or no) responses."""
    if not present:
        return Figure(None, NONE)
    if present < THRESHOLD or 0 < responses < THRESHOLD:
        return few()
    return Figure(round(responses / present, 2))


def session_blocks(sessions: list[int], present: dict, responses: dict, anonymous: dict) -> list[tuple[int, ...]]:
    """Consecutive sessions put together until each group is big enough (see the module's text).

    Sessions nobody came to or answered (e.g. still to come) stand alone: their 0s are about nobody.
    """

    def big_enough(group) -> bool:
        anon = sum(anonymous.get(s, 0) for s in group)
        return (
            sum(responses.get(s, 0) for s in group) >= THRESHOLD
            and sum(present.get(s, 0) for s in group) >= THRESHOLD
            and (anon == 0 or anon >= THRESHOLD)
        )

    active = [s for s in sessions if present.get(s, 0) or responses.get(s, 0)]
    groups: list[list[int]] = []
    current: list[int] = []
    for s in active:
        current.append(s)
        if big_enough(current):
            groups.append(current)
            current = []
    if current:
        if groups:
            groups[-1].extend(current)
        else:
            groups.append(current)
    # A tail's anonymous answers may be too few for the block it joined: join further back.
    while len(groups) > 1 and not big_enough(groups[-1]):
        groups[-2].extend(groups.pop())
    blocks = {s: tuple(g) for g in groups for s in g}
    ordered, seen = [], set()
    for s in sessions:
        block = blocks.get(s, (s,))
        if block not in seen:
            seen.add(block)
            ordered.append(block)
    return ordered


def role_blocks(size, order: list[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Roles too small to show alone go together in "other roles"; see the module's text.

    ``size(roles)`` is the number of people a group of roles stands for (``people_in``).
    """
    roles = [r for r in order if size((r,)) > 0]
    blocks: list[tuple[str, tuple[str, ...]]] = [(r, (r,)) for r in roles if size((r,)) >= THRESHOLD]
    small = tuple(r for r in roles if size((r,)) < THRESHOLD)
    if small:
        while size(small) < THRESHOLD and blocks:
            smallest = min(blocks, key=lambda b: (size(b[1]), -order.index(b[0])))
            blocks.remove(smallest)
            small += smallest[1]
        blocks.append((OTHER, tuple(sorted(small, key=order.index))))
    return blocks if len(blocks) > 1 else []


def people_in(counts: Counts, sessions) -> Callable[[Iterable[str]], int]:
    """The people a group of roles stands for: the most of them answering in one session.

    Named people answer a session once, so this never counts a person twice (four answers of
    two experts over four sessions are two people, not four); it is only ever an undercount,
    and it does not change when the retention period takes the names off the answers.
    """

    def size(roles) -> int:
        return max((counts.total({s}, set(roles)) for s in sessions), default=0)

    return size


def _join_thin(blocks: list[tuple[int, ...]], weight) -> list[tuple[int, ...]]:
    """Unions of consecutive blocks, each with a weight of 0 (left out) or at least 5."""
    groups: list[list[int]] = []
    current: list[int] = []
    total = 0
    for block in blocks:
        w = weight(block)
        if not w:
            continue
        current.extend(block)
        total += w
        if total >= THRESHOLD:
            groups.append(current)
            current, total = [], 0
    if current:
        if groups:
            groups[-1].extend(current)
        else:
            groups.append(current)
    return [tuple(g) for g in groups]


def question_figures(question: Question, table: dict, n: int, sessions: tuple) -> QuestionFigures:
    """A question's figures over a group: all of them from 5 answers, none below (but a 0)."""
    cells = [*question.cells, *(c for c in table if c not in question.cells)]
    if 0 < n < THRESHOLD:
        return QuestionFigures(sessions, few(), {c: few() for c in cells}, few(), few())
    shown = {c: Figure(table.get(c, 0)) for c in cells}
    mean = median = Figure(None, NONE)
    numeric = question.numeric(table)
    if question.scale and any(numeric.values()):  # counts, never negative
        mean, median = Figure(rounded_mean(numeric)), Figure(median_of(numeric))
    return QuestionFigures(sessions, Figure(n), shown, mean, median)


def _role_means(counts: Counts, questions: list[Question], blocks, all_sessions: set) -> dict:
    """Question key → role block key → mean, or WITHHELD for every block when one has too few."""
    means: dict[str, dict[str, Figure]] = {}
    for q in questions:
        if not q.scale:
            continue
        per_block = {}
        for key, roles in blocks:
            table, _n = counts.table(q.key, all_sessions, set(roles))
            per_block[key] = q.numeric(table)
        if any(0 < sum(v.values()) < THRESHOLD for v in per_block.values()):
            means[q.key] = {key: Figure(None, WITHHELD) for key, _roles in blocks}
        else:
            means[q.key] = {key: Figure(rounded_mean(v)) if v else Figure(None, NONE) for key, v in per_block.items()}
    return means


def anonymous_held(counts: Counts, sessions) -> bool:
    """Fewer than 5 anonymous answers in the whole series: they are held back, counted nowhere,
    until there are 5 (or never), since no group could hold them among five of their kind."""
    return 0 < counts.total(set(sessions), {ANONYMOUS}) < THRESHOLD


def without_anonymous(counts: Counts) -> Counts:
    kept = Counts(
        counts.present,
        {k: n for k, n in counts.responses.items() if k[1] != ANONYMOUS},
        {k: n for k, n in counts.respondents.items() if k[1] != ANONYMOUS},
        {k: n for k, n in counts.answers.items() if k[1] != ANONYMOUS},
    )
    return kept.index()


def grouped(counts: Counts, sessions: list[int]) -> tuple[Counts, list[tuple[int, ...]], bool]:
    """The counts that may be used (held anonymous answers left out), the session blocks, and
    whether anonymous answers are held back: what every page and download of a series starts from."""
    held = anonymous_held(counts, sessions)
    if held:
        counts = without_anonymous(counts)
    per_session = {s: counts.total({s}) for s in sessions}
    anonymous = {s: counts.total({s}, {ANONYMOUS}) for s in sessions}
    return counts, session_blocks(sessions, counts.present, per_session, anonymous), held


def block_too_small(counts: Counts, block) -> bool:
    """Only the one block of a series with too few answers or people in all."""
    return counts.total(set(block)) < THRESHOLD or sum(counts.present.get(s, 0) for s in block) < THRESHOLD


def release(sessions: list[int], questions: list[Question], counts: Counts, role_order: list[str]) -> Release:
    """Everything a trekker or a download may see of a series (its sessions, in order)."""
    ids = set(sessions)
    counts, groups, held = grouped(counts, sessions)
    per_session = {s: counts.total({s}) for s in sessions}
    anonymous = {s: counts.total({s}, {ANONYMOUS}) for s in sessions}
    present = sum(counts.present.get(s, 0) for s in sessions)
    total = sum(per_session.values())
    blocks = []
    for group in groups:
        block_present = sum(counts.present.get(s, 0) for s in group)
        responses = sum(per_session[s] for s in group)
        blocks.append(Block(group, block_present, count(responses), _rate(responses, block_present)))
    block_sessions = [b.sessions for b in blocks]

    released = {}
    for q in questions:
        table, n = counts.table(q.key, ids)
        series = question_figures(q, table, n, tuple(sessions))
        figures_per_group = []
        for group in _join_thin(block_sessions, lambda b, q=q: counts.table(q.key, set(b))[1]):
            g_table, g_n = counts.table(q.key, set(group))
            figures_per_group.append(question_figures(q, g_table, g_n, group))
        released[q.key] = QuestionRelease(q, series, figures_per_group)

    role_list = role_blocks(people_in(counts, sessions), role_order) if total >= THRESHOLD else []
    means = _role_means(counts, questions, role_list, ids)
    roles = [
        RoleBlock(
            key,
            members,
            count(counts.total(ids, set(members))),
            {qkey: by_block[key] for qkey, by_block in means.items()},
        )
        for key, members in role_list
    ]
    return Release(
        sessions=list(sessions),
        present=present,
        responses=count(total),
        rate=_rate(total, present),
        blocks=blocks,
        questions=released,
        roles=roles,
        anonymous=any(anonymous.values()),
        anonymous_held=held,
    )
