"""When a series' personal data is due to be anonymised: its last session's end plus the
programme's retention period, in calendar months as the series' own clock counts them."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Europe/Amsterdam")


def add_months(moment: datetime, months: int, zone: ZoneInfo = ZONE) -> datetime:
    """The same local time ``months`` calendar months later (31 Jan + 1 → 28/29 Feb), in UTC."""
    local = moment.astimezone(zone)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    later = local.replace(tzinfo=None).replace(year=year, month=month, day=day)
    return later.replace(tzinfo=zone).astimezone(UTC)


def purge_due_at(last_session_end: datetime | None, retention_months: int) -> datetime | None:
    """None for a series without sessions: there is nothing to count from yet."""
    if last_session_end is None:
        return None
    return add_months(last_session_end, retention_months)
