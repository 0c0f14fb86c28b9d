"""Attendance figures as the figures page and its download show them, in the reader's words."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from planner.attendance.figures import as_seen, figure_rows, figures_of_sessions, merged_ranges, sessions_attended
from planner.auth.access import can_organise


def figures_as_seen(series):
    """(figures per session as the user may see them, people per number of sessions attended)."""
    sessions = [s for s in series.sessions if not s.is_cancelled]
    in_full = can_organise(current_user, series.programme)  # organisers took the attendance: they see it all
    per_count = sessions_attended(series)
    attended = [((k, k), n) for k, n in per_count] if in_full else merged_ranges(per_count)
    return as_seen(figures_of_sessions(sessions), in_full=in_full), attended


def _labels() -> dict:
    return {
        "present": _("present"),
        "said_yes": _("said yes"),
        "yes_but_absent": _("said yes but did not come"),
        "role": _("Role"),
        "organisation": _("Organisation"),
        "municipality": _("Municipality"),
        "came_to": _("people who came to this many sessions"),
        "other": _("other (groups of fewer than 5)"),
    }


def figures_table(series):
    """The download: a header and rows, in the reader's language."""
    per_session, attended = figures_as_seen(series)
    header = [_("What"), _("Session"), _("Value"), _("Number")]
    return header, figure_rows(per_session, attended, _labels())
