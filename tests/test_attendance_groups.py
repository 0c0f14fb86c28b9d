"""Breakout groups: equal sizes, organisations kept apart whenever possible, deterministic."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings, strategies as st

from planner.attendance.groups import Member, draw_groups, group_count_for_size, mixing_report

MODEST = settings(max_examples=50, deadline=None)

members_strategy = st.lists(
    st.tuples(
        st.sampled_from(["Buurtteam", "Gemeente", "Hogeschool", "Vrijwilligerscentrale", None]),
        st.sampled_from(["resident", "volunteer", "professional", "student", None]),
        st.sampled_from(["Nijmegen", "Beuningen", "Heumen", None]),
    ),
    min_size=0,
    max_size=60,
).map(lambda rows: [Member(i + 1, *row) for i, row in enumerate(rows)])


@MODEST
@given(members=members_strategy, groups=st.integers(1, 12), seed=st.integers(0, 2**32))
def test_everyone_once_and_sizes_differ_by_at_most_one(members, groups, seed):
    drawn = draw_groups(members, groups, seed)
    assert len(drawn) == groups
    assert sorted(i for g in drawn for i in g) == sorted(m.id for m in members)
    sizes = [len(g) for g in drawn]
    assert max(sizes) - min(sizes) <= 1


@MODEST
@given(members=members_strategy, groups=st.integers(1, 12), seed=st.integers(0, 2**32))
def test_nobody_meets_their_own_organisation_when_that_can_be_avoided(members, groups, seed):
    largest = max(Counter(m.organisation for m in members if m.organisation).values(), default=0)
    drawn = draw_groups(members, groups, seed)
    if largest <= groups:
        assert mixing_report(drawn, members)["same_organisation_pairs"] == 0


@MODEST
@given(members=members_strategy, groups=st.integers(1, 12), seed=st.integers(0, 2**32))
def test_same_input_and_seed_give_the_same_groups(members, groups, seed):
    assert draw_groups(members, groups, seed) == draw_groups(list(reversed(members)), groups, seed)


def test_a_new_seed_can_give_other_groups():
    members = [Member(i, f"org{i % 7}", f"role{i % 3}", f"town{i % 2}") for i in range(1, 41)]
    draws = {tuple(map(tuple, draw_groups(members, 8, seed))) for seed in range(5)}
    assert len(draws) > 1


def test_pinned_facilitators_stay_in_their_group():
    members = [Member(i, f"org{i % 4}") for i in range(1, 21)]
    drawn = draw_groups(members, 4, seed=3, pinned={1: 2, 2: 0})
    assert 1 in drawn[2]
    assert 2 in drawn[0]
    assert max(map(len, drawn)) - min(map(len, drawn)) <= 1


def test_mixing_beats_a_plain_deal_on_roles():
    members = [Member(i, f"org{i}", ["a", "b", "c"][i % 3], None) for i in range(1, 31)]
    assert mixing_report(draw_groups(members, 10, seed=1), members)["same_role_pairs"] == 0


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ({"groups": 0}, "groups must be at least 1"),
        ({"groups": 2, "pinned": {99: 0}}, "a pinned member must be drawn"),
        ({"groups": 2, "pinned": {1: 5}}, "a pinned member must be drawn"),
    ],
)
def test_bad_requests_are_refused(bad, why):
    with pytest.raises(ValueError, match=why):
        draw_groups([Member(1), Member(2)], seed=1, **bad)


def test_group_count_for_a_size():
    assert group_count_for_size(300, 5) == 60
    assert group_count_for_size(11, 5) == 3
    assert group_count_for_size(0, 5) == 1
