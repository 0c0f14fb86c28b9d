"""The disclosure pass (pure): groups of at least 5 are shown whole, smaller ones put together."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from planner.evaluations.disclosure import (
    ANONYMOUS,
    FEW,
    OTHER,
    THRESHOLD,
    WITHHELD,
    Counts,
    Question,
    question_figures,
    release,
    role_blocks,
    session_blocks,
)

ROLES = ["resident", "volunteer", "professional", "expert", ANONYMOUS]
MARK = Question("mark", list(range(11)), scale=True, low=0, high=10)


def test_a_small_session_is_put_together_with_the_next():
    present = {1: 12, 2: 3, 3: 9, 4: 0}
    responses = {1: 10, 2: 3, 3: 7}
    assert session_blocks([1, 2, 3, 4], present, responses, {}) == [(1,), (2, 3), (4,)]


def test_a_small_last_session_joins_the_one_before():
    assert session_blocks([1, 2, 3], {1: 9, 2: 9, 3: 2}, {1: 6, 2: 6, 3: 2}, {}) == [(1,), (2, 3)]


def test_too_few_people_present_or_too_few_anonymous_answers_also_make_a_session_too_small():
    assert session_blocks([1, 2], {1: 4, 2: 9}, {1: 6, 2: 6}, {}) == [(1, 2)]
    # Six answers, two of them anonymous: those two would be the only anonymous ones in the group.
    assert session_blocks([1, 2, 3], {1: 9, 2: 9, 3: 9}, {1: 6, 2: 6, 3: 6}, {1: 2, 2: 3}) == [(1, 2), (3,)]


def test_a_series_with_too_few_answers_is_one_group():
    assert session_blocks([1, 2], {1: 2, 2: 1}, {1: 1, 2: 1}, {}) == [(1, 2)]


def test_roles_with_too_few_people_go_together_and_take_the_smallest_role_with_them():
    sizes = {"resident": 8, "volunteer": 6, "professional": 3, "expert": 1}
    size = lambda roles: sum(sizes.get(r, 0) for r in roles)  # noqa: E731
    assert role_blocks(size, ROLES) == [("resident", ("resident",)), (OTHER, ("volunteer", "professional", "expert"))]
    sizes = {"resident": 8, "volunteer": 6, "professional": 5}
    assert role_blocks(size, ROLES) == [
        ("resident", ("resident",)),
        ("volunteer", ("volunteer",)),
        ("professional", ("professional",)),
    ]
    sizes = {"resident": 8, "expert": 2}
    assert role_blocks(size, ROLES) == [], "one block left: no breakdown"


def test_a_group_of_five_shows_every_cell_and_a_smaller_one_none():
    shown = question_figures(MARK, {8: 3, 9: 1, 10: 1}, 5, (1,))
    assert [shown.cells[v].value for v in (8, 9, 10, 0)] == [3, 1, 1, 0]
    assert shown.n.value == 5
    assert shown.mean.value == 8.6
    assert shown.median.value == 8
    hidden = question_figures(MARK, {8: 3, 9: 1}, 4, (1,))
    assert {f.hidden for f in hidden.cells.values()} == {FEW}
    assert hidden.mean.hidden == FEW


def _counts(rows: list[tuple[int, str, int | None]], present: dict) -> Counts:
    """rows: (session, role, mark or None for "did not answer the question")."""
    counts = Counts(dict(present), {}, {}, {})
    for s, r, value in rows:
        counts.responses[(s, r)] = counts.responses.get((s, r), 0) + 1
        if value is not None:
            counts.respondents[(s, r, "mark")] = counts.respondents.get((s, r, "mark"), 0) + 1
            counts.answers[(s, r, "mark", value)] = counts.answers.get((s, r, "mark", value), 0) + 1
    return counts.index()


def test_a_question_answered_in_too_few_of_a_sessions_responses_is_shown_over_more_sessions():
    rows = [(1, "resident", 7)] * 6 + [(2, "resident", None)] * 4 + [(2, "resident", 9)] * 2 + [(3, "resident", 5)] * 6
    result = release([1, 2, 3], [MARK], _counts(rows, {1: 6, 2: 6, 3: 6}), ROLES)
    assert [b.sessions for b in result.blocks] == [(1,), (2,), (3,)]
    groups = result.questions["mark"].groups
    assert [g.sessions for g in groups] == [(1,), (2, 3)], "session 2's two marks go with session 3's"
    assert groups[1].n.value == 8
    assert groups[1].mean.value == round((2 * 9 + 6 * 5) / 8, 1)


def test_means_by_role_are_all_withheld_when_one_role_has_too_few_answers():
    rows = [(1, "resident", 7)] * 6 + [(1, "volunteer", None)] * 3 + [(1, "volunteer", 4)] * 3
    result = release([1], [MARK], _counts(rows, {1: 12}), ROLES)
    assert [b.key for b in result.roles] == ["resident", "volunteer"]
    assert {b.means["mark"].hidden for b in result.roles} == {WITHHELD}


group = st.lists(
    st.tuples(st.integers(1, 4), st.sampled_from(ROLES), st.one_of(st.none(), st.integers(0, 10))), max_size=40
)


@settings(max_examples=300, deadline=None)
@given(group, st.dictionaries(st.integers(1, 4), st.integers(0, 8)))
def test_every_shown_figure_is_about_a_group_of_five_or_more_and_the_parts_add_up(rows, extra_present):
    present = {s: sum(1 for x in rows if x[0] == s) + extra_present.get(s, 0) for s in range(1, 5)}
    result = release([1, 2, 3, 4], [MARK], _counts(rows, present), ROLES)
    if 0 < sum(1 for x in rows if x[1] == ANONYMOUS) < THRESHOLD:
        assert result.anonymous_held
        rows = [x for x in rows if x[1] != ANONYMOUS]  # held back: in no figure
    assert sorted(s for b in result.blocks for s in b.sessions) == [1, 2, 3, 4]
    for b in result.blocks:
        n = sum(1 for x in rows if x[0] in b.sessions)
        if b.responses.shown:
            assert b.responses.value == n
            assert n == 0 or n >= THRESHOLD
        if n and b.responses.shown:
            assert b.present >= THRESHOLD
            anonymous = sum(1 for x in rows if x[0] in b.sessions and x[1] == ANONYMOUS)
            assert anonymous == 0 or anonymous >= THRESHOLD
    mark = result.questions["mark"]
    answered = [x for x in rows if x[2] is not None]
    for g in mark.groups:
        n = sum(1 for x in answered if x[0] in g.sessions)
        assert g.n.value == (n if n >= THRESHOLD else None)
        for b in result.blocks:
            inside = set(b.sessions) & set(g.sessions)
            assert not inside or inside == set(b.sessions), "a question's groups are unions of the session blocks"
    if mark.series.n.shown and all(g.n.shown for g in mark.groups):
        assert sum(g.n.value for g in mark.groups) == mark.series.n.value
    for block in result.roles:
        assert block.responses.value >= THRESHOLD
        assert block.responses.value == sum(1 for x in rows if x[1] in block.roles)
    if result.roles:
        assert sum(b.responses.value for b in result.roles) == len(rows)
