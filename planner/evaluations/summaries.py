"""What people said, per session and per series: counted by the database, hidden where too few.

The database does the counting: a handful of GROUP BY queries per page, whatever the number of
responses, give answers per session × role × question key × option / value. Everything else
(series totals, trends, role breakdowns, the social-quality profile) adds those few rows up
in Python, and `suppression` decides what may be shown. Questions are lined up across form
versions by their ``key``, options by theirs. The result is plain data for the templates,
the chart drawing and the spreadsheet exports.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, union
from sqlalchemy.orm import selectinload

from planner.attendance.models import Attendance, Presence
from planner.evaluations.models import (
    Condition,
    EvaluationAnswer,
    EvaluationForm,
    EvaluationOption,
    EvaluationQuestion,
    EvaluationResponse,
    Moment,
    QuestionKind,
    SessionEvaluation,
)
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
from planner.extensions import db
from planner.people.models import ROLE_LABELS, PersonRole

SCALES = (QuestionKind.SMILEY, QuestionKind.AGREE, QuestionKind.MARK)
ANONYMOUS = "anonymous"  # the "role" of an anonymous response: it has none
UNKNOWN = "unknown"  # a named response whose role is not known (e.g. after the retention period)
NOT_APPLICABLE = "n/a"
ROLE_ORDER = [r.value for r in PersonRole] + [UNKNOWN, ANONYMOUS]


def role_label(role: str):
    if role == ANONYMOUS:
        return _l("No role (anonymous answers)")
    if role == UNKNOWN:
        return _l("Role not known")
    return ROLE_LABELS.get(PersonRole(role), role) if role in PersonRole._value2member_map_ else role


# --- The questions, lined up by key across the forms (and versions) used.


@dataclass
class QuestionInfo:
    key: str
    kind: str
    question: EvaluationQuestion  # the newest version, for its text
    options: list[tuple[str, EvaluationOption]] = field(default_factory=list)  # by key, newest order

    @property
    def condition(self) -> str | None:
        return self.question.condition

    @property
    def condition_label(self):
        return Condition(self.condition).label if self.condition else None

    @property
    def is_scale(self) -> bool:
        return self.kind in SCALES

    def text(self, language: str) -> str:
        return self.question.text(language)

    @property
    def scale_range(self) -> tuple[int, int]:
        if self.kind == QuestionKind.SMILEY:
            return 1, max(len(self.options), 2)
        if self.kind == QuestionKind.AGREE:
            return 1, 5
        return 0, 10

    def cell_keys(self, seen: set) -> list:
        """The cells of this question's distribution, in reading order."""
        if self.kind == QuestionKind.SMILEY:
            low, high = self.scale_range
            return list(range(low, high + 1)) + sorted(v for v in seen if isinstance(v, int) and not low <= v <= high)
        if self.kind == QuestionKind.AGREE:
            return [1, 2, 3, 4, 5, NOT_APPLICABLE]
        if self.kind == QuestionKind.MARK:
            return list(range(0, 11))
        if self.kind == QuestionKind.YES_NO:
            return [1, 0]
        if self.kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE):
            return [key for key, _ in self.options]
        return []

    def cell_label(self, cell, language: str) -> str:
        if cell == NOT_APPLICABLE:
            return str(_l("not applicable"))
        if self.kind == QuestionKind.SMILEY:
            by_position = {o.position: o for _, o in self.options}
            option = by_position.get(cell)
            return f"{cell} · {option.label(language)}" if option else str(cell)
        if self.kind == QuestionKind.YES_NO:
            return str(_l("yes")) if cell == 1 else str(_l("no"))
        if self.kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE):
            return dict(self.options)[cell].label(language)
        if self.kind == QuestionKind.AGREE:
            return str({1: _l("1 · disagree completely"), 5: _l("5 · agree completely")}.get(cell, cell))
        return str(cell)


def forms_of(session_ids: list[int]) -> list[int]:
    if not session_ids:
        return []
    used = union(
        select(EvaluationResponse.form_id).where(EvaluationResponse.session_id.in_(session_ids)),
        select(SessionEvaluation.form_id).where(SessionEvaluation.session_id.in_(session_ids)),
    )
    return sorted(set(db.session.scalars(used).all()))


def lined_up_questions(form_ids: list[int]) -> list[QuestionInfo]:
    if not form_ids:
        return []
    questions = db.session.scalars(
        select(EvaluationQuestion)
        .join(EvaluationForm, EvaluationForm.id == EvaluationQuestion.form_id)
        .where(EvaluationQuestion.form_id.in_(form_ids))
        .order_by(EvaluationForm.version.desc(), EvaluationForm.id.desc(), EvaluationQuestion.position)
        .options(selectinload(EvaluationQuestion.options))
    ).all()
    infos: dict[str, QuestionInfo] = {}
    for question in questions:  # newest first: its text and option order win
        info = infos.setdefault(question.key, QuestionInfo(question.key, question.kind, question))
        known = {key for key, _ in info.options}
        info.options.extend((o.key, o) for o in question.options if o.key not in known)
    return list(infos.values())


# --- Counting, in the database.


@dataclass
class Counts:
    """The grouped rows every figure is added up from."""

    present: dict[int, int]  # session → people present
    responses: dict[tuple[int, str], int]  # (session, role) → responses
    respondents: dict[tuple[int, str, str], int]  # (session, role, question key) → responses answering
    answers: dict[tuple[int, str, str, object], int]  # (session, role, question key, cell) → answers
    answers_by_question: dict = field(default_factory=dict)  # question key → [(session, role, cell, n)]
    respondents_by_question: dict = field(default_factory=dict)  # question key → [(session, role, n)]

    def index(self) -> Counts:
        for (s, r, qkey, cell), n in self.answers.items():
            self.answers_by_question.setdefault(qkey, []).append((s, r, cell, n))
        for (s, r, qkey), n in self.respondents.items():
            self.respondents_by_question.setdefault(qkey, []).append((s, r, n))
        return self

    def sessions_total(self, sessions, role=None) -> int:
        return sum(n for (s, r), n in self.responses.items() if s in sessions and (role is None or r == role))


def _role_key(anonymous, role) -> str:
    return ANONYMOUS if anonymous else (role or UNKNOWN)


def count_answers(session_ids: list[int], questions: list[QuestionInfo]) -> Counts:
    counts = Counts({}, {}, {}, {})
    if not session_ids:
        return counts
    for session_id, n in db.session.execute(
        select(Attendance.session_id, func.count(Attendance.id))
        .where(Attendance.session_id.in_(session_ids), Attendance.status == Presence.PRESENT)
        .group_by(Attendance.session_id)
    ):
        counts.present[session_id] = n
    R = EvaluationResponse
    for session_id, anonymous, role, n in db.session.execute(
        select(R.session_id, R.anonymous, R.role, func.count(R.id))
        .where(R.session_id.in_(session_ids))
        .group_by(R.session_id, R.anonymous, R.role)
    ):
        key = (session_id, _role_key(anonymous, role))
        counts.responses[key] = counts.responses.get(key, 0) + n
    if not questions:
        return counts
    Q, A, O = EvaluationQuestion, EvaluationAnswer, EvaluationOption
    # One answer per response and question, except multiple choice (one row per ticked option):
    # only there do we need to count the responses separately.
    for session_id, anonymous, role, qkey, n in db.session.execute(
        select(R.session_id, R.anonymous, R.role, Q.key, func.count(func.distinct(R.id)))
        .select_from(A)
        .join(R, R.id == A.response_id)
        .join(Q, Q.id == A.question_id)
        .where(R.session_id.in_(session_ids), Q.kind == QuestionKind.MULTIPLE)
        .group_by(R.session_id, R.anonymous, R.role, Q.key)
    ):
        key = (session_id, _role_key(anonymous, role), qkey)
        counts.respondents[key] = counts.respondents.get(key, 0) + n
    value = func.coalesce(A.value, O.position)
    for session_id, anonymous, role, qkey, kind, option_key, v, not_applicable, n in db.session.execute(
        select(R.session_id, R.anonymous, R.role, Q.key, Q.kind, O.key, value, A.not_applicable, func.count(A.id))
        .select_from(A)
        .join(R, R.id == A.response_id)
        .join(Q, Q.id == A.question_id)
        .outerjoin(O, O.id == A.option_id)
        .where(R.session_id.in_(session_ids))
        .group_by(R.session_id, R.anonymous, R.role, Q.key, Q.kind, O.key, value, A.not_applicable)
    ):
        role_key = _role_key(anonymous, role)
        if kind != QuestionKind.MULTIPLE:
            counts.respondents[(session_id, role_key, qkey)] = counts.respondents.get((session_id, role_key, qkey), 0) + n
        if not_applicable:
            cell = NOT_APPLICABLE
        elif kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE):
            cell = option_key
        elif kind == QuestionKind.OPEN:
            cell = None
        else:
            cell = v
        if cell is None:
            continue
        key = (session_id, role_key, qkey, cell)
        counts.answers[key] = counts.answers.get(key, 0) + n
    return counts.index()


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
    additive: bool

    @property
    def kind(self) -> str:
        return self.info.kind


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


def scale_values(table: dict) -> dict[int, int]:
    return {v: n for v, n in table.items() if isinstance(v, int)}


def summarise_question(info: QuestionInfo, tables: Tables, language: str) -> QuestionSummary:
    table, respondents = tables.total, tables.respondents
    keys = info.cell_keys(set(table))
    additive = info.kind != QuestionKind.MULTIPLE
    distribution: Distribution = suppress_distribution(
        {k: table.get(k, 0) for k in keys}, respondents, additive=additive
    )
    mean = median = few()
    if info.is_scale:
        values = scale_values(table)
        n = sum(values.values())
        mean, median = statistic(mean_of(values), n), statistic(median_of(values), n)
        if mean.shown and mean_gives_away({k: table.get(k, 0) for k in keys}, distribution):
            mean = median = Figure(None, GUARD)
    cells = [Cell(k, info.cell_label(k, language), distribution.cells[k]) for k in keys]
    return QuestionSummary(info, info.text(language), cells, distribution.total, mean, median, additive)


def _guarded_mean(info: QuestionInfo, table: dict) -> Figure:
    """A mean of a part (e.g. one session), hidden when it would solve that part's own distribution."""
    values = scale_values(table)
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


def _scaled(info: QuestionInfo, mean: float) -> float:
    low, high = info.scale_range
    return (mean - low) / (high - low) * 100


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
                           additive=question.additive)
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
    summaries = [summarise_question(q, tables[q.key], language) for q in questions if q.kind != QuestionKind.OPEN]
    if within:
        for q in summaries:
            _guard_across_sessions(q, counts, {s.id for s in within}, sessions[0].id, language)
    scale_summaries = [q for q in summaries if q.info.is_scale]

    roles_present = sorted({r for (s, r) in counts.responses if s in ids}, key=ROLE_ORDER.index)
    role_counts = _role_counts(counts, sessions, roles_present, total, within)
    role_rows = []
    for role in roles_present:
        means = []
        for q in scale_summaries:
            values = scale_values(tables[q.info.key].per_role.get(role, {}))
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
        shown = [_scaled(q.info, q.mean.value) for q in tagged if q.mean.shown]
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
        if q.kind == QuestionKind.OPEN:
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
    return [q for q in questions if q.is_scale], compared
