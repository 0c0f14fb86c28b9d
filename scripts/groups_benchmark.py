"""Time drawing breakout groups: 300 people into groups of 5.

    .venv/bin/python scripts/groups_benchmark.py [--people 300] [--size 5] [--seed 1]

Prints the time taken and the mixing quality: pairs in one group sharing an organisation,
a role or a municipality, next to what a plain seeded shuffle would give.
"""

from __future__ import annotations

import argparse
import random
import time

from planner.attendance.groups import Member, draw_groups, group_count_for_size, mixing_report

ROLES = ["resident", "volunteer", "professional", "expert_by_experience", "student", "lecturer", "researcher"]
TOWNS = ["Nijmegen", "Beuningen", "Heumen", "Wijchen", "Berg en Dal"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--size", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    # 40 organisations of very different sizes (the largest has 30 people), some people without one.
    organisations = [f"organisation {i}" for i in range(40)]
    weights = [30 if i == 0 else max(1, 20 - i) for i in range(40)]
    members = [
        Member(
            i + 1,
            None if rng.random() < 0.05 else rng.choices(organisations, weights)[0],
            rng.choice(ROLES),
            rng.choice(TOWNS),
        )
        for i in range(args.people)
    ]
    groups = group_count_for_size(len(members), args.size)
    started = time.perf_counter()
    drawn = draw_groups(members, groups, seed=args.seed)
    elapsed = time.perf_counter() - started

    ids = [m.id for m in members]
    rng.shuffle(ids)
    shuffled = [ids[i::groups] for i in range(groups)]
    sizes = sorted({len(g) for g in drawn})
    print(f"{len(members)} people into {groups} groups of {sizes}: {elapsed * 1000:.1f} ms")
    for label, result in (("drawn", drawn), ("plain shuffle", shuffled)):
        report = mixing_report(result, members)
        print(f"  {label:14} " + ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in report.items()))


if __name__ == "__main__":
    main()
