"""What people said, per series and per session, as pages and downloads show it.

``counting`` asks the database for a handful of grouped rows, always for the whole series;
``disclosure`` decides from them, once, what may be shown (groups of at least 5, recoded rather
than hidden cell by cell); this module only lays its result out for the templates, the chart
drawing and the spreadsheets, with the texts of the questions and the labels of the groups.
A session's page shows the figures of its group from that same release, so it can never say
more than the series page, nor something the series page lets one subtract.

Every figure carries a ``code`` (what it counts: kind, question, answer, sessions, roles) that
the pages put in a ``data-fig`` attribute and the downloads in their last column, so the same
figure can be found, and checked, in every place it is printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from planner.evaluations.counting import (
    ROLE_ORDER,
    QuestionInfo,
    count_answers,
    forms_of,
    lined_up_questions,
    role_label,
)
from planner.evaluations.disclosure import (
    OTHER,
    Counts,
    Question,
    QuestionFigures,
    Release,
    release as release_of,
)
from planner.evaluations.figures import FEW, NONE, WITHHELD, Figure, few
from planner.evaluations.kinds import QuestionKindSpec
from planner.evaluations.models import Condition, Moment


def code(kind: str, sessions=None, *, q: str | None = None, cell=None, roles=None, numbers=None) -> str:
    """What a figure counts, as ``k=…;q=…;c=…;s=…;r=…`` (sessions by their number in the series)."""
    parts = [f"k={kind}"]
    if q is not None:
        parts.append(f"q={q}")
    if cell is not None:
        parts.append(f"c={cell}")
    if sessions is not None:
        parts.append("s=" + ",".join(str(numbers[s]) for s in sorted(sessions, key=numbers.get)))
    if roles is not None:
        parts.append("r=" + ",".join(roles))
    return ";".join(parts)


def sessions_label(sessions, numbers: dict) -> str:
    """'Session 3', 'Sessions 3–4', or 'Sessions 2, 4' (by number in the series)."""
    ordered = sorted(numbers[s] for s in sessions)
    if len(ordered) == 1:
        return _("Session %(number)s", number=ordered[0])
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return _("Sessions %(first)s–%(last)s", first=ordered[0], last=ordered[-1])
    return _("Sessions %(numbers)s", numbers=", ".join(str(n) for n in ordered))


@dataclass
class Cell:
    key: object
    label: str
    figure: Figure
    code: str = ""


@dataclass
class QuestionSummary:
    info: QuestionInfo
    text: str
    cells: list[Cell]
    total: Figure
    mean: Figure
    median: Figure
    where: str  # the sessions these figures are about, e.g. "Sessions 3–4"
    codes: dict = field(default_factory=dict)  # "n", "mean", "median" → code

    @property
    def spec(self) -> QuestionKindSpec:
        return self.info.spec


@dataclass
class BlockRow:
    """Sessions shown together (often just one)."""

    sessions: list  # Session objects
    label: str
    present: int
    responses: Figure
    rate: Figure
    codes: dict = field(default_factory=dict)

    @property
    def session(self):  # the first: its page shows the block
        return self.sessions[0]


@dataclass
class RoleRow:
    role: str
    label: str
    responses: Figure
    means: list[Figure]
    codes: list[str] = field(default_factory=list)  # responses first, then one per mean
    withheld: bool = False


@dataclass
class TrendRow:
    info: QuestionInfo
    text: str
    points: list[tuple[str, Figure, str]]  # label of the group, its mean, its code


@dataclass
class ProfileRow:
    condition: Condition
    label: str
    score: Figure  # 0–100
    questions: int


@dataclass
class PairRow:
    pair_key: str
    before: QuestionSummary | None
    now: QuestionSummary | None

    @property
    def change(self) -> Figure:
        before = self.before.mean.value if self.before and self.before.mean.shown else None
        now = self.now.mean.value if self.now and self.now.mean.shown else None
        if before is not None and now is not None:
            return Figure(round(now - before, 1))
        return Figure(None, NONE)


@dataclass
class Summary:
    sessions: list
    present: int
    responses: Figure
    rate: Figure
    per_session: list[BlockRow]
    questions: list[QuestionSummary]
    roles: list[RoleRow]
    scale_questions: list[QuestionSummary]
    trend: list[TrendRow]
    profile: list[ProfileRow]
    pairs: list[PairRow]
    open_questions: list[tuple[QuestionInfo, str, Figure, str]]
    anonymous_responses: bool
    release: Release
    numbers: dict  # session id → its number in the series
    codes: dict = field(default_factory=dict)
    block: BlockRow | None = None  # on a session's page: the sessions it is shown with

    @property
    def has_responses(self) -> bool:
        return bool(self.responses.value) or not self.responses.shown

    def figures(self) -> list[Figure]:
        """Every figure this summary shows or hides, for the note on hidden figures and the utility count."""
        found = [self.responses, self.rate]
        for row in self.per_session:
            found += [row.responses, row.rate]
        for q in self.questions:
            found += [c.figure for c in q.cells] + [q.total] + ([q.mean, q.median] if q.spec.scale else [])
        for trend_row in self.trend:
            found += [f for _label, f, _code in trend_row.points]
        for role in self.roles:
            found += [role.responses, *role.means]
        found += [p.score for p in self.profile if p.questions]
        found += [n for _info, _text, n, _code in self.open_questions]
        return found

    @property
    def joined(self) -> bool:
        """Some sessions are shown together."""
        return any(len(row.sessions) > 1 for row in self.per_session)

    @property
    def hidden_count(self) -> int:
        return sum(1 for f in self.figures() if f.hidden in (FEW, WITHHELD))


def _question(info: QuestionInfo, figures: QuestionFigures, language: str, numbers: dict) -> QuestionSummary:
    where = figures.sessions
    cells = [
        Cell(k, info.cell_label(k, language), f, code("cell", where, q=info.key, cell=k, numbers=numbers))
        for k, f in figures.cells.items()
    ]
    codes = {kind: code(kind, where, q=info.key, numbers=numbers) for kind in ("n", "mean", "median")}
    return QuestionSummary(
        info, info.text(language), cells, figures.n, figures.mean, figures.median, sessions_label(where, numbers), codes
    )


def profile(figures: list[tuple[Question, QuestionFigures]], conditions: list[str]) -> dict[str, Figure]:
    """Per condition: the mean of its tagged questions' shown means, scaled to 0–100 (it rests on
    shown figures only, so it discloses nothing the release holds back)."""
    scores = {}
    for condition in conditions:
        tagged = [(q, f) for q, f in figures if q.condition == condition and q.scale]
        shown = [q.scaled(f.mean.value) for q, f in tagged if f.mean.shown and f.mean.value is not None]
        if shown:
            scores[condition] = Figure(round(sum(shown) / len(shown)))
        elif any(f.n.hidden == FEW for _q, f in tagged):
            scores[condition] = few()
        else:
            scores[condition] = Figure(None, NONE)
    return scores


def _profile(summaries: list[QuestionSummary], release: Release, figures: dict) -> list[ProfileRow]:
    pairs = [(release.questions[q.info.key].question, figures[q.info.key]) for q in summaries]
    scores = profile(pairs, [c.value for c in Condition])
    return [
        ProfileRow(c, str(c.label), scores[c.value], sum(1 for q in summaries if q.info.condition == c))
        for c in Condition
    ]


def _pairs(summaries: list[QuestionSummary]) -> list[PairRow]:
    pairs: dict[str, PairRow] = {}
    for q in summaries:
        pair_key = q.info.question.pair_key
        if pair_key:
            row = pairs.setdefault(pair_key, PairRow(pair_key, None, None))
            if q.info.question.moment == Moment.BEFORE:
                row.before = q
            else:
                row.now = q
    return list(pairs.values())


def _blocks(release: Release, by_id: dict, numbers: dict) -> list[BlockRow]:
    rows = []
    for b in release.blocks:
        codes = {kind: code(kind, b.sessions, numbers=numbers) for kind in ("responses", "rate", "present")}
        rows.append(
            BlockRow(
                [by_id[s] for s in b.sessions],
                sessions_label(b.sessions, numbers),
                b.present,
                b.responses,
                b.rate,
                codes,
            )
        )
    return rows


def _roles(release: Release, scale: list[QuestionSummary], numbers: dict) -> list[RoleRow]:
    rows = []
    everywhere = release.sessions
    for block in release.roles:
        label = (
            str(role_label(block.key))
            if block.key != OTHER
            else _("Other roles (%(roles)s)", roles=", ".join(str(role_label(r)) for r in block.roles))
        )
        means = [block.means[q.info.key] for q in scale]
        codes = [code("responses", everywhere, roles=block.roles, numbers=numbers)]
        codes += [code("mean", everywhere, q=q.info.key, roles=block.roles, numbers=numbers) for q in scale]
        rows.append(RoleRow(block.key, label, block.responses, means, codes))
    return rows


def build_summary(
    sessions: list, questions: list[QuestionInfo], counts: Counts, language: str, *, session=None
) -> Summary:
    """The summary of a series (its sessions, in order); with ``session``: that session's page."""
    numbers = {s.id: n for n, s in enumerate(sessions, start=1)}
    by_id = {s.id: s for s in sessions}
    seen = {q.key: {c for cells, _n in counts.by_question.get(q.key, {}).values() for c in cells} for q in questions}
    disclosed = [q.disclosed(seen[q.key]) for q in questions]
    release = release_of([s.id for s in sessions], disclosed, counts, ROLE_ORDER)
    blocks = _blocks(release, by_id, numbers)
    everywhere = release.sessions
    chosen: dict[str, QuestionFigures] = {}
    for q in questions:
        figures = release.questions[q.key]
        picked = figures.series if session is None else figures.group_of(session.id)
        if picked is not None:
            chosen[q.key] = picked
    summaries = [
        _question(q, chosen[q.key], language, numbers) for q in questions if not q.spec.free_text and q.key in chosen
    ]
    scale = [q for q in summaries if q.spec.scale]
    open_questions = [
        (q, q.text(language), chosen[q.key].n, code("n", chosen[q.key].sessions, q=q.key, numbers=numbers))
        for q in questions
        if q.spec.free_text and q.key in chosen
    ]
    trend = []
    if session is None and len(sessions) > 1:
        for summary in scale:
            groups = release.questions[summary.info.key].groups
            points = [
                (
                    sessions_label(g.sessions, numbers),
                    g.mean,
                    code("mean", g.sessions, q=summary.info.key, numbers=numbers),
                )
                for g in groups
            ]
            if len(points) > 1:
                trend.append(TrendRow(summary.info, summary.text, points))
    block = None
    if session is not None:
        block = next(row for row in blocks if session in row.sessions)
    return Summary(
        sessions=list(sessions),
        present=release.present if block is None else block.present,
        responses=release.responses if block is None else block.responses,
        rate=release.rate if block is None else block.rate,
        per_session=blocks if session is None else [],
        questions=summaries,
        roles=_roles(release, scale, numbers) if session is None else [],
        scale_questions=scale,
        trend=trend,
        profile=_profile(summaries, release, chosen),
        pairs=_pairs(summaries),
        open_questions=open_questions,
        anonymous_responses=release.anonymous,
        release=release,
        numbers=numbers,
        block=block,
        codes=(
            {kind: code(kind, everywhere, numbers=numbers) for kind in ("responses", "rate", "present")}
            if block is None
            else block.codes
        ),
    )


def summarise(sessions: list, language: str, *, session=None) -> Summary:
    """The summary of a series' sessions (in order), or, with ``session``, of that session's page.

    The counting is always of the whole series: one session's page shows its group's figures.
    """
    session_ids = [s.id for s in sessions]
    questions = lined_up_questions(forms_of(session_ids))
    counts = count_answers(session_ids, questions)
    return build_summary(sessions, questions, counts, language, session=session)


@dataclass
class ComparedSeries:
    series: object
    summary: Summary


def compare(series_list: list, language: str) -> tuple[list[QuestionInfo], list[ComparedSeries]]:
    """Several series side by side: counted once for all, each series released as on its own page."""
    sessions_of = {s.id: [x for x in s.sessions if not x.is_cancelled] for s in series_list}
    all_ids = [x.id for sessions in sessions_of.values() for x in sessions]
    questions = lined_up_questions(forms_of(all_ids))
    counts = count_answers(all_ids, questions)
    compared = [ComparedSeries(s, build_summary(sessions_of[s.id], questions, counts, language)) for s in series_list]
    return [q for q in questions if q.spec.scale], compared


def series_pages(sessions: list, language: str) -> tuple[Summary, list[Summary]]:
    """The series page and every session's page, from one counting (for the downloads)."""
    session_ids = [s.id for s in sessions]
    questions = lined_up_questions(forms_of(session_ids))
    counts = count_answers(session_ids, questions)
    series = build_summary(sessions, questions, counts, language)
    return series, [build_summary(sessions, questions, counts, language, session=s) for s in sessions]
