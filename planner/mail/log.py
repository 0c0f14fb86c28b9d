"""The mail log of a series: every mail about it, what became of it, and sending failed ones again.

Read from the outbox itself (``OutboxMessage.series_id``), so it shows every kind of mail,
whoever queued it; the bodies are never loaded for the list.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import LazyString, lazy_gettext as _l
from sqlalchemy import Select, func, select, update

from planner.extensions import db, rowcount
from planner.mail.kinds import KINDS
from planner.mail.models import MailSending, MailStatus, OutboxMessage
from planner.pagination import Page, paginate
from planner.timekeeping import utcnow

# The mails that are not standard texts an organiser edits (planner.mail.kinds has those).
OTHER_KINDS: dict[str, LazyString] = {
    "calendar_invite": _l("Calendar invite"),
    "calendar_removed": _l("Taken out of the calendar"),
    "session_reinstated": _l("A cancelled meeting takes place"),
    "replies/waiting_list": _l("Waiting list, after a calendar reply"),
    "deletion_requested": _l("Deletion request received"),
    "test": _l("Test mail"),
}

STATUS_LABELS: dict[MailStatus, LazyString] = {
    MailStatus.QUEUED: _l("Waiting to be sent"),
    MailStatus.SENDING: _l("Being sent"),
    MailStatus.SENT: _l("Sent"),
    MailStatus.FAILED: _l("Failed"),
}

LOG_PER_PAGE = 50
LOG_COLUMNS = (
    OutboxMessage.id,
    OutboxMessage.created_at,
    OutboxMessage.sent_at,
    OutboxMessage.to_name,
    OutboxMessage.to_address,
    OutboxMessage.person_id,
    OutboxMessage.kind,
    OutboxMessage.subject,
    OutboxMessage.status,
    OutboxMessage.attempts,
    OutboxMessage.last_error,
)


def kind_label(kind: str) -> str:
    if kind in KINDS:
        return str(KINDS[kind].label)
    return str(OTHER_KINDS.get(kind, kind or "–"))


def _log_query(series_id: int, status: MailStatus | None) -> Select:
    query = select(*LOG_COLUMNS).where(OutboxMessage.series_id == series_id)
    if status is not None:
        query = query.where(OutboxMessage.status == status)
    return query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())


def mail_log(series_id: int, *, status: MailStatus | None = None, page: int | None = None) -> Page:
    """One page of the series' mails, newest first: rows of ``LOG_COLUMNS``."""
    return paginate(_log_query(series_id, status), page, LOG_PER_PAGE, rows=True)


def status_counts(series_id: int) -> dict[MailStatus, int]:
    rows = db.session.execute(
        select(OutboxMessage.status, func.count())
        .where(OutboxMessage.series_id == series_id)
        .group_by(OutboxMessage.status)
    )
    return {MailStatus(status): count for status, count in rows}


def sendings_of(series_id: int, limit: int = 10) -> list[MailSending]:
    """The latest mass sendings of the series, newest first."""
    return list(
        db.session.scalars(
            select(MailSending)
            .where(MailSending.series_id == series_id)
            .order_by(MailSending.created_at.desc(), MailSending.id.desc())
            .limit(limit)
        )
    )


def send_failed_again(series_id: int, message_ids: list[int] | None = None, *, now: datetime | None = None) -> int:
    """Queue the failed mails of this series again (these, or all of them): the worker tries them
    afresh, with the same Message-ID. How many were queued; mails that did not fail are left alone."""
    query = update(OutboxMessage).where(OutboxMessage.series_id == series_id, OutboxMessage.status == MailStatus.FAILED)
    if message_ids is not None:
        query = query.where(OutboxMessage.id.in_(message_ids))
    result = db.session.execute(
        query.values(
            status=MailStatus.QUEUED, attempts=0, next_attempt_at=now or utcnow(), claimed_until=None
        ).execution_options(synchronize_session=False)
    )
    return rowcount(result)
