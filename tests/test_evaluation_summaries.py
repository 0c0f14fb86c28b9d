"""Summaries: every figure equals a plain computation on the same answers, or is hidden."""

from __future__ import annotations

from collections import Counter
from statistics import mean, median

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import event

from planner.evaluations.summaries import ANONYMOUS, NOT_APPLICABLE, summarise
from planner.evaluations.suppression import THRESHOLD
from planner.extensions import db as _db
from tests import evaluation_data as data, factories
from tests.conftest import login

PROPERTY = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=25, deadline=None)

ROLES = ["resident", "volunteer", "professional"]

answer_sets = st.fixed_dictionaries(
    {
        "role": st.sampled_from(ROLES),
        "mood": st.integers(1, 3),
        "useful": st.one_of(st.integers(1, 5), st.just("n/a")),
        "mark": st.integers(0, 10),
        "again": st.integers(0, 1),
        "theme": st.sampled_from(["money", "care", "work"]),
        "learned": st.lists(st.sampled_from(["signals", "network", "rules"]), unique=True, min_size=1),
    }
)


def _clear(db):
    for table in reversed(db.metadata.sorted_tables):
        if table.name.startswith("evaluation") or table.name in ("attendance", "session_evaluation", "person"):
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def two_sessions(db, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    return series, series.sessions[:2]


@PROPERTY
@given(st.lists(st.tuples(st.integers(0, 1), answer_sets), min_size=0, max_size=24))
def test_figures_equal_a_plain_computation(db, two_sessions, given_answers):
    _clear(db)
    series, sessions = two_sessions
    form = data.make_form()
    present = [data.mark_present(s, 15) for s in sessions]
    for s in sessions:
        data.use_form(s, form)
    for which, answers in given_answers:
        data.respond(sessions[which], form, {k: v for k, v in answers.items() if k != "role"}, role=answers["role"])
    db.session.commit()

    summary = summarise(sessions, "nl")
    everyone = [a for _, a in given_answers]
    n = len(everyone)
    assert summary.present == sum(len(p) for p in present)
    assert summary.responses.value == (n if n >= THRESHOLD else None)
    if n >= THRESHOLD:
        assert summary.rate.value == pytest.approx(n / 30)

    by_key = {q.info.key: q for q in summary.questions}
    for key in ("mood", "useful", "mark", "again", "theme"):
        plain = Counter(a[key] for a in everyone)
        q = by_key[key]
        for cell in q.cells:
            expected = plain.get("n/a" if cell.key == NOT_APPLICABLE else cell.key, 0)
            if cell.figure.shown:
                assert cell.figure.value == expected >= THRESHOLD
            else:
                assert n < THRESHOLD or expected < THRESHOLD or cell.figure.hidden == "guard"
        shown_cells = [c for c in q.cells if c.figure.shown]
        hidden_cells = [c for c in q.cells if not c.figure.shown]
        assert len(hidden_cells) != 1 or not q.total.shown, "a lone hidden cell next to a shown total"
        if q.total.shown:
            assert q.total.value == n and sum(c.figure.value for c in shown_cells) <= n
    for key in ("mood", "useful", "mark"):
        values = [a[key] for a in everyone if a[key] != "n/a"]
        q = by_key[key]
        if len(values) >= THRESHOLD:
            assert q.mean.value == pytest.approx(mean(values)) and q.median.value == median(values)
        else:
            assert not q.mean.shown and not q.median.shown
    learned = Counter(o for a in everyone for o in a["learned"])
    for cell in by_key["learned"].cells:
        assert cell.figure.value == (learned[cell.key] if learned[cell.key] >= THRESHOLD else None)

    for row in summary.trend:
        for session, figure in zip(sessions, row.means):
            values = [a.get(row.info.key) for w, a in given_answers if w == sessions.index(session) and a.get(row.info.key, "n/a") != "n/a"]
            assert figure.value == (pytest.approx(mean(values)) if len(values) >= THRESHOLD else None)

    per_role = Counter(a["role"] for a in everyone)
    for row in summary.roles:
        if row.responses.shown:
            assert row.responses.value == per_role[row.role] >= THRESHOLD
            for q, figure in zip(summary.scale_questions, row.means):
                values = [a.get(q.info.key) for a in everyone if a["role"] == row.role and a.get(q.info.key, "n/a") != "n/a"]
                assert figure.value == (pytest.approx(mean(values)) if len(values) >= THRESHOLD else None)
        else:
            assert all(not m.shown for m in row.means)
    hidden_roles = [r for r in summary.roles if not r.responses.shown]
    assert len(hidden_roles) != 1 or not summary.responses.shown, "one hidden role could be worked out"

    empowerment = next(p for p in summary.profile if p.condition == "social_empowerment")
    useful = [a["useful"] for a in everyone if a["useful"] != "n/a"]
    marks = [a["mark"] for a in everyone]
    parts = []
    if len(useful) >= THRESHOLD:
        parts.append((mean(useful) - 1) / 4 * 100)
    if len(marks) >= THRESHOLD:
        parts.append(mean(marks) * 10)
    assert empowerment.score.value == (pytest.approx(sum(parts) / len(parts)) if parts else None)


def test_questions_line_up_across_versions_by_key(db, two_sessions):
    series, (first, second) = two_sessions
    old = data.make_form(questions=[("theme", "choice", {"options": [("money", "Geld"), ("care", "Zorg")]})])
    new = data.make_form(
        lineage=old.lineage, version=2,
        questions=[
            ("extra", "yes_no", {}),
            ("theme", "choice", {"options": [("care", "Zorg en welzijn"), ("work", "Werk"), ("money", "Geld")]}),
        ],
    )
    for _ in range(6):
        data.respond(first, old, {"theme": "money"})
        data.respond(second, new, {"theme": "money", "extra": 1})
    data.respond(second, new, {"theme": "care"})
    db.session.commit()
    summary = summarise([first, second], "nl")
    theme = next(q for q in summary.questions if q.info.key == "theme")
    assert [c.key for c in theme.cells] == ["care", "work", "money"]
    assert [c.label for c in theme.cells][0] == "Zorg en welzijn"
    assert theme.cells[2].figure.value == 12 and theme.total.value == 13
    assert not theme.cells[0].figure.shown and not theme.cells[1].figure.shown


def test_anonymous_responses_have_no_role(db, two_sessions):
    series, (first, _) = two_sessions
    form = data.make_form(anonymous=True)
    for _ in range(6):
        data.respond(first, form, {"mood": 3})
    db.session.commit()
    summary = summarise([first], "nl")
    assert [r.role for r in summary.roles] == [ANONYMOUS]
    assert summary.anonymous_responses == 6


def test_before_and_now_are_paired(db, two_sessions):
    series, (first, _) = two_sessions
    form = data.make_form()
    for before, now in [(1, 4), (2, 4), (2, 5), (1, 3), (3, 5)]:
        data.respond(first, form, {"contact_before": before, "contact_now": now})
    db.session.commit()
    (pair,) = summarise([first], "nl").pairs
    assert pair.before.mean.value == pytest.approx(1.8) and pair.now.mean.value == pytest.approx(4.2)


def test_counting_takes_a_fixed_number_of_queries(app, db, two_sessions):
    series, sessions = two_sessions
    form = data.make_form()

    def queries() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(_db.engine, "before_cursor_execute", listener)
        try:
            summarise(sessions, "nl")
        finally:
            event.remove(_db.engine, "before_cursor_execute", listener)
        return len(statements)

    data.respond(sessions[0], form, {"mood": 1})
    db.session.commit()
    few = queries()
    for i in range(30):
        data.respond(sessions[i % 2], form, {"mood": 1 + i % 3, "mark": i % 11, "learned": ["rules"], "remark": "x"})
    db.session.commit()
    assert queries() == few
