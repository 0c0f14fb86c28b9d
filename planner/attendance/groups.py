"""Draw small (breakout) groups that mix organisations, roles and municipalities.

Pure: plain data in, plain data out; no Flask, no database. The same people, number of groups
and seed always give the same groups.

How it draws: people are sorted into blocks by organisation (largest first, ties ordered by
the seed) and dealt round-robin over the groups. Because each block is dealt to consecutive
groups, no two people of one organisation meet while no organisation has more members than
there are groups, and sizes differ by at most one. Seeded swaps between groups then lower the
number of pairs sharing a role and a municipality, never adding a pair from one organisation.
Pinned people (facilitators) are placed in their group first and never moved.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass

ATTRIBUTES = ("organisation", "role", "municipality")


@dataclass(frozen=True)
class Member:
    id: int
    organisation: str | None = None
    role: str | None = None
    municipality: str | None = None


def group_count_for_size(total: int, size: int) -> int:
    """Groups of at most `size` people (at least one group)."""
    if size < 1:
        raise ValueError("size must be at least 1")
    return max(1, math.ceil(total / size))


def _pairs(counter: Counter) -> int:
    return sum(c * (c - 1) // 2 for value, c in counter.items() if value is not None)


def _cost(groups_counts: list[dict[str, Counter]]) -> tuple[int, int, int]:
    return tuple(sum(_pairs(g[a]) for g in groups_counts) for a in ATTRIBUTES)  # type: ignore[return-value]


def draw_groups(
    members: list[Member],
    groups: int,
    seed: int,
    pinned: dict[int, int] | None = None,
    rounds: int = 30,
) -> list[list[int]]:
    """Return `groups` lists of member ids. `pinned` maps a member id to a group index."""
    if groups < 1:
        raise ValueError("groups must be at least 1")
    pinned = dict(pinned or {})
    by_id = {m.id: m for m in members}
    if len(by_id) != len(members):
        raise ValueError("member ids must be unique")
    for member_id, index in pinned.items():
        if member_id not in by_id or not 0 <= index < groups:
            raise ValueError("a pinned member must be drawn, into an existing group")
    rng = random.Random(seed)
    total = len(members)
    # A seeded group order; the first groups in it take the one extra person each.
    group_order = list(range(groups))
    rng.shuffle(group_order)
    sizes = [0] * groups
    for position, index in enumerate(group_order):
        sizes[index] = total // groups + (1 if position < total % groups else 0)
    if any(Counter(pinned.values())[i] > sizes[i] for i in range(groups)):
        raise ValueError("more pinned people than places in a group")

    result: list[list[int]] = [[] for _ in range(groups)]
    for member_id, index in sorted(pinned.items()):
        result[index].append(member_id)

    # Blocks by organisation, largest first; the seed orders ties and people within a block.
    free = sorted((m for m in members if m.id not in pinned), key=lambda m: m.id)
    blocks: dict[str | None, list[Member]] = {}
    for m in free:
        blocks.setdefault(m.organisation, []).append(m)
    keys = sorted(blocks, key=lambda k: "" if k is None else k)
    rng.shuffle(keys)
    keys.sort(key=lambda k: (k is None, -len(blocks[k])))
    order = [m for k in keys for m in rng.sample(blocks[k], len(blocks[k]))]

    # Deal round-robin over groups that still have room, in the seeded group order.
    position = 0
    for m in order:
        while len(result[group_order[position % groups]]) >= sizes[group_order[position % groups]]:
            position += 1
        result[group_order[position % groups]].append(m.id)
        position += 1

    _improve(result, by_id, set(pinned), rng, rounds)
    return [sorted(g) for g in result]


def _improve(result, by_id, pinned, rng, rounds) -> None:
    counts = [{a: Counter(getattr(by_id[i], a) for i in g) for a in ATTRIBUTES} for g in result]
    movable = [(gi, i) for gi, g in enumerate(result) for i in g if i not in pinned]
    if len(result) < 2 or len(movable) < 2:
        return
    where = {i: gi for gi, i in movable}
    ids = [i for _, i in movable]

    def delta(group: dict[str, Counter], leaving: Member, coming: Member) -> list[int]:
        out = []
        for a in ATTRIBUTES:
            old, new = getattr(leaving, a), getattr(coming, a)
            if old == new:
                out.append(0)
                continue
            d = 0
            if old is not None:
                d -= group[a][old] - 1
            if new is not None:
                d += group[a][new] - (1 if new == old else 0)
            out.append(d)
        return out

    for _ in range(rounds * len(ids)):
        p, q = rng.sample(ids, 2)
        gp, gq = where[p], where[q]
        if gp == gq:
            continue
        mp, mq = by_id[p], by_id[q]
        change = [x + y for x, y in zip(delta(counts[gp], mp, mq), delta(counts[gq], mq, mp), strict=True)]
        if tuple(change) >= (0, 0, 0):
            continue
        for a in ATTRIBUTES:
            counts[gp][a][getattr(mp, a)] -= 1
            counts[gp][a][getattr(mq, a)] += 1
            counts[gq][a][getattr(mq, a)] -= 1
            counts[gq][a][getattr(mp, a)] += 1
        result[gp][result[gp].index(p)] = q
        result[gq][result[gq].index(q)] = p
        where[p], where[q] = gq, gp


def mixing_report(groups: list[list[int]], members: list[Member]) -> dict[str, int]:
    """Pairs in one group that share an organisation, a role, a municipality (lower is better)."""
    by_id = {m.id: m for m in members}
    counts = [{a: Counter(getattr(by_id[i], a) for i in g) for a in ATTRIBUTES} for g in groups]
    org, role, municipality = _cost(counts)
    return {"same_organisation_pairs": org, "same_role_pairs": role, "same_municipality_pairs": municipality}
