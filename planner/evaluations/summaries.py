"""What people said, per session and per series: added up from the grouped counts, hidden where too few.

``counting`` asks the database for a handful of grouped rows, whatever the number of responses;
everything here (series totals, trends, role breakdowns, the social-quality profile) adds those
rows up in Python, and ``suppression`` decides what may be shown. What differs per kind of
question (its cells and their labels, whether they add up, which values make the mean and how it
scales to 0–100) comes from the kind (``kinds``). The result is plain data for the templates,
the chart drawing and the spreadsheet exports.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from planner.evaluations.counting import (
    ANONYMOUS,
    ROLE_ORDER,
    Counts,
    QuestionInfo,
    count_answers,
    forms_of,
    lined_up_questions,
    role_label,
)
from planner.evaluations.kinds import QuestionKindSpec
from planner.evaluations.models import Condition, Moment
from planner.evaluations.suppression import (
    GUARD,
    Distribution,
    mean_gives_away,
    count,
    Figure,
    few,
    mean_of,
    median_of,
    statistic,
    suppress_distribution,
    suppress_table,
)


# --- Adding up, and hiding what must be hidden.


@dataclass
class Cell:
    key: object
    label: str
    figure: Figure


@dataclass
class QuestionSummary:
    info: QuestionInfo
    text: str
    cells: list[Cell]
    total: Figure
    mean: Figure
    median: Figure

    @property
    def spec(self) -> QuestionKindSpec:
        return self.info.spec


@dataclass
class Tables:
    """One question's answers added up: overall, per session and per role."""

    total: dict = field(default_factory=lambda: defaultdict(int))
    respondents: int = 0
    per_session: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    per_role: dict = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))


def _tables(counts: Counts, info: QuestionInfo, sessions: set) -> Tables:
    tables = Tables()
    for s, r, cell, n in counts.answers_by_question.get(info.key, ()):
        if s in sessions:
            tables.total[cell] += n
            tables.per_session[s][cell] += n
            tables.per_role[r][cell] += n
    tables.respondents = sum(n for s, r, n in counts.respondents_by_question.get(info.key, ()) if s in sessions)
    return tables


def summarise_question(info: QuestionInfo, tables: Tables, language: str) -> QuestionSummary:
    table, respondents = tables.total, tables.respondents
    keys = info.cell_keys(set(table))
    spec = info.spec
    distribution: Distribution = suppress_distribution(
        {k: table.get(k, 0) for k in keys}, respondents, additive=spec.additive
    )
    mean = median = few()
    if spec.scale:
        values = spec.statistic_values(table)
        n = sum(values.values())
        mean, median = statistic(mean_of(values), n), statistic(median_of(values), n)
        if mean.shown and mean_gives_away({k: table.get(k, 0) for k in keys}, distribution):
            mean = median = Figure(None, GUARD)
    cells = [Cell(k, info.cell_label(k, language), distribution.cells[k]) for k in keys]
    return QuestionSummary(info, info.text(language), cells, distribution.total, mean, median)


def _guarded_mean(info: QuestionInfo, table: dict) -> Figure:
    """A mean of a part (e.g. one session), hidden when it would solve that part's own distribution."""
    values = info.spec.statistic_values(table)
    mean = statistic(mean_of(values), sum(values.values()))
    if mean.shown:
        cells = {k: table.get(k, 0) for k in info.cell_keys(set(table))}
        if mean_gives_away(cells, suppress_distribution(cells)):
            return Figure(None, GUARD)
    return mean


@dataclass
class SessionRate:
    session: object
    present: int
    responses: Figure
    rate: Figure


@dataclass
class RoleRow:
    role: str
    label: str
    responses: Figure
    means: list[Figure]


@dataclass
class TrendRow:
    info: QuestionInfo
    text: str
    means: list[Figure]  # one per session, in order


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


@dataclass
class Summary:
    sessions: list
    present: int
    responses: Figure
    rate: Figure
    per_session: list[SessionRate]
    questions: list[QuestionSummary]
    roles: list[RoleRow]
    scale_questions: list[QuestionSummary]
    trend: list[TrendRow]
    profile: list[ProfileRow]
    pairs: list[PairRow]
    open_questions: list[tuple[QuestionInfo, str, Figure]]
    anonymous_responses: int


def _rate(responses: int, present: int) -> Figure:
    return statistic(responses / present if present else None, responses)


def summarise(sessions: list, language: str, *, series_sessions: list | None = None) -> Summary:
    """The summary of one or more sessions (a session, or the sessions of a series).

    For one session of a series, pass ``series_sessions``: its figures are then hidden wherever
    the series page's figures minus the other sessions' would give them away.
    """
    session_ids = [s.id for s in sessions]
    questions = lined_up_questions(forms_of(session_ids))
    within = series_sessions if series_sessions and len(sessions) == 1 else None
    counted = [s.id for s in within] if within else session_ids
    counts = count_answers(counted, questions)
    return build_summary(sessions, questions, counts, language, within=within)


def _respondents_per_session(counts: Counts, key: str) -> dict[int, int]:
    per_session: dict[int, int] = defaultdict(int)
    for s, _role, n in counts.respondents_by_question.get(key, ()):
        per_session[s] += n
    return per_session


def _guard_across_sessions(question: QuestionSummary, counts: Counts, series_ids: set, session_id: int,
                           language: str) -> None:
    """Hide more of one session's distribution so the series page cannot give a hidden cell away."""
    info = question.info
    series_tables = _tables(counts, info, series_ids)
    column_totals = {
        c.key: (c.figure.value if c.figure.shown else None)
        for c in summarise_question(info, series_tables, language).cells
    }
    keys = [c.key for c in question.cells]
    rows = {s: {k: series_tables.per_session.get(s, {}).get(k, 0) for k in keys} for s in series_ids}
    respondents = _respondents_per_session(counts, info.key)
    table = suppress_table(rows, {s: respondents.get(s, 0) for s in series_ids}, column_totals,
                           additive=question.spec.additive)
    own = table[session_id]
    if all(own.cells[c.key] == c.figure for c in question.cells) and own.total == question.total:
        return
    question.cells = [Cell(c.key, c.label, own.cells[c.key]) for c in question.cells]
    question.total = own.total
    if question.mean.shown and mean_gives_away(rows[session_id], own):
        question.mean = question.median = Figure(None, GUARD)


def _role_counts(counts: Counts, sessions: list, roles: list[str], total: int, within: list | None) -> Distribution:
    ids = {s.id for s in sessions}
    own = suppress_distribution({r: counts.sessions_total(ids, r) for r in roles}, total)
    if not within:
        return own
    series_ids = {s.id for s in within}
    series_roles = sorted({r for (s, r) in counts.responses if s in series_ids}, key=ROLE_ORDER.index)
    series = suppress_distribution({r: counts.sessions_total(series_ids, r) for r in series_roles},
                                   counts.sessions_total(series_ids))
    rows = {s: {r: counts.sessions_total({s}, r) for r in series_roles} for s in series_ids}
    table = suppress_table(rows, {s: counts.sessions_total({s}) for s in series_ids},
                           {r: (f.value if f.shown else None) for r, f in series.cells.items()})
    (session_id,) = ids
    return Distribution({r: table[session_id].cells[r] for r in roles}, table[session_id].total)


def build_summary(sessions: list, questions: list[QuestionInfo], counts: Counts, language: str,
                  *, within: list | None = None) -> Summary:
    """``within``: the series' sessions when ``sessions`` is one of them (its page must not give
    away, together with the series page, what it hides)."""
    ids = {s.id for s in sessions}
    present = sum(counts.present.get(i, 0) for i in ids)
    total = counts.sessions_total(ids)

    per_session_counts = suppress_distribution({s.id: counts.sessions_total({s.id}) for s in within or sessions},
                                               counts.sessions_total({s.id for s in within or sessions}))
    per_session = []
    for s in sessions:
        responses = per_session_counts.cells[s.id]
        rate = _rate(counts.sessions_total({s.id}), counts.present.get(s.id, 0)) if responses.shown else responses
        per_session.append(SessionRate(s, counts.present.get(s.id, 0), responses, rate))

    tables = {q.key: _tables(counts, q, ids) for q in questions}
    summaries = [summarise_question(q, tables[q.key], language) for q in questions if not q.spec.free_text]
    if within:
        for q in summaries:
            _guard_across_sessions(q, counts, {s.id for s in within}, sessions[0].id, language)
    scale_summaries = [q for q in summaries if q.spec.scale]

    roles_present = sorted({r for (s, r) in counts.responses if s in ids}, key=ROLE_ORDER.index)
    role_counts = _role_counts(counts, sessions, roles_present, total, within)
    role_rows = []
    for role in roles_present:
        means = []
        for q in scale_summaries:
            values = q.spec.statistic_values(tables[q.info.key].per_role.get(role, {}))
            n = sum(values.values())
            means.append(statistic(mean_of(values), n) if role_counts.cells[role].shown else role_counts.cells[role])
        role_rows.append(RoleRow(role, str(role_label(role)), role_counts.cells[role], means))

    trend = []
    if len(sessions) > 1:
        for q in scale_summaries:
            means = []
            for s in sessions:
                means.append(_guarded_mean(q.info, tables[q.info.key].per_session.get(s.id, {})))
            trend.append(TrendRow(q.info, q.text, means))

    profile = []
    for condition in Condition:
        tagged = [q for q in scale_summaries if q.info.condition == condition]
        shown = [q.spec.scaled(q.mean.value, q.info.options) for q in tagged if q.mean.shown]
        score = Figure(sum(shown) / len(shown)) if shown else few()
        profile.append(ProfileRow(condition, str(condition.label), score, len(tagged)))

    pairs: dict[str, PairRow] = {}
    for q in summaries:
        pair_key = q.info.question.pair_key
        if pair_key:
            row = pairs.setdefault(pair_key, PairRow(pair_key, None, None))
            if q.info.question.moment == Moment.BEFORE:
                row.before = q
            else:
                row.now = q

    open_questions = []
    for q in questions:
        if q.spec.free_text:
            n = tables[q.key].respondents
            open_questions.append((q, q.text(language), statistic(n, n)))

    anonymous = counts.sessions_total(ids, ANONYMOUS)
    responses, rate = count(total), _rate(total, present)
    if within and not per_session[0].responses.shown:  # the series page hides this session's count
        responses = rate = per_session[0].responses
    return Summary(
        sessions=list(sessions), present=present,
        responses=responses, rate=rate,
        per_session=per_session, questions=summaries, roles=role_rows, scale_questions=scale_summaries,
        trend=trend, profile=profile, pairs=list(pairs.values()), open_questions=open_questions,
        anonymous_responses=anonymous,
    )


@dataclass
class ComparedSeries:
    series: object
    summary: Summary


def compare(series_list: list, language: str) -> tuple[list[QuestionInfo], list[ComparedSeries]]:
    """Several series side by side: the same counting, once for all of their sessions."""
    sessions_of = {s.id: [x for x in s.sessions if not x.is_cancelled] for s in series_list}
    all_ids = [x.id for sessions in sessions_of.values() for x in sessions]
    questions = lined_up_questions(forms_of(all_ids))
    counts = count_answers(all_ids, questions)
    compared = [ComparedSeries(s, build_summary(sessions_of[s.id], questions, counts, language)) for s in series_list]
    return [q for q in questions if q.spec.scale], compared
