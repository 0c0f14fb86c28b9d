"""The printable report's first pages: what a wethouder reads, under the rule of the summaries.

Reach and attendance come from the attendance figures, with groups of fewer than 5 people put
together (``planner.attendance.figures``), whoever prints the report: it is made to be shared.
"""

from __future__ import annotations

from planner.attendance.figures import merged_groups, merged_ranges, series_reach, sessions_attended
from planner.people.models import PersonRole

MAX_QUOTES = 6


def report_context(series, sessions: list, starred: list) -> dict:
    by_role, by_municipality = series_reach(series)
    return {
        "reach_roles": merged_groups(by_role),
        "reach_municipalities": merged_groups(by_municipality),
        "reached": sum(n for _value, n in by_role),
        "attended": merged_ranges(sessions_attended(series)),
        "session_count": len(sessions),
        "starred": starred[:MAX_QUOTES],
        "role_labels": PersonRole.labels(),
    }
