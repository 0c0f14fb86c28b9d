"""What the series pages say besides the series itself: when its personal data goes, a colour per studio."""

from __future__ import annotations

from flask_babel import format_date, gettext as _

from planner.timekeeping import utcnow


def retention_note(series) -> str:
    """When the series' personal data goes (or went), in words for the organiser."""
    if series.purged_at is not None:
        day = format_date(series.purged_at.astimezone(series.zone).date(), "long")
        return _("The personal data of this series was anonymised on %(day)s.", day=day)
    due = series.purge_due_at
    if due is None:
        return ""
    day = format_date(due.astimezone(series.zone).date(), "long")
    if due <= utcnow():
        return _(
            "Personal data of this series is due to be anonymised since %(day)s; the next daily run does it.", day=day
        )
    return _(
        "Personal data of this series will be anonymised on %(day)s (%(months)s months after the last session).",
        day=day,
        months=series.programme.retention_months,
    )


STUDIO_COLOURS = 8  # .studio-0 … .studio-7 in style.css


def studio_colours(programmes, sessions) -> dict[int, tuple[str, int]]:
    """Programme id → (name, colour number), for the studios of this month's sessions; stable per user."""
    shown = {s.series.programme_id for s in sessions}
    return {p.id: (p.name, n % STUDIO_COLOURS) for n, p in enumerate(programmes) if p.id in shown}
