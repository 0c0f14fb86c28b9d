"""What needs doing, for the home page: a registry of small functions, one per kind of work.

Each function takes the user and the time and returns a ``Todo`` (a count, a ``Link`` and, where the work
lies in several series, a count and link per series), or None when there is nothing to do. One query
each, whatever the data. Another kind of work is one more decorated function here::

    @todo
    def letters_to_post(user, now): ...

The home page shows them in the order they were registered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from planner.attendance.models import Attendance, Presence
from planner.auth.access import can_manage_people
from planner.evaluations.kinds import FREE_TEXT_KINDS
from planner.evaluations.models import (
    EvaluationAnswer,
    EvaluationForm,
    EvaluationQuestion,
    EvaluationRequest,
    EvaluationResponse,
    Moderation,
    SessionEvaluation,
)
from planner.evaluations.sending import SEND_WITHIN
from planner.extensions import db
from planner.invitations.letters import letters_to_print_per_series
from planner.mail.models import MailStatus, OutboxMessage
from planner.privacy.purge import open_deletion_requests
from planner.query_plans import not_by_index
from planner.series.loaders import organised_series_ids
from planner.series.models import Series, SeriesStatus, Session, SessionStatus


@dataclass(frozen=True)
class Link:
    """Where the work is done: an endpoint and its arguments (a URL once there is a request)."""

    endpoint: str
    args: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return url_for(self.endpoint, **self.args)


@dataclass(frozen=True)
class TodoPart:
    label: str  # the series' title
    count: int
    link: Link

    @property
    def url(self) -> str:
        return self.link.url


@dataclass(frozen=True)
class Todo:
    key: str
    label: str
    count: int
    link: Link
    parts: list[TodoPart] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.link.url


TodoFunction = Callable[[object, datetime], "Todo | None"]
REGISTRY: list[TodoFunction] = []


def todo(function: TodoFunction) -> TodoFunction:
    REGISTRY.append(function)
    return function


def todos_for(user, now: datetime) -> list[Todo]:
    return [found for function in REGISTRY if (found := function(user, now)) is not None]


def _per_series(key: str, label, rows, endpoint: str) -> Todo | None:
    """A Todo from (series id, title, count) rows; the link goes to the series' page for that work."""
    parts = [TodoPart(title, number, Link(endpoint, {"series_id": sid})) for sid, title, number in rows if number]
    if not parts:
        return None
    return Todo(key, str(label), sum(p.count for p in parts), parts[0].link, parts if len(parts) > 1 else [])


@todo
def series_to_publish(user, now: datetime) -> Todo | None:  # noqa: ARG001 - every to-do takes (user, now)
    rows = db.session.execute(
        select(Series.id, Series.title, 1)
        .where(Series.id.in_(organised_series_ids(user)), Series.status == SeriesStatus.DRAFT)
        .order_by(Series.title, Series.id)
    ).all()
    return _per_series("publish", _l("Draft series to check and publish"), rows, "series.show")


@todo
def letters_to_print(user, now: datetime) -> Todo | None:  # noqa: ARG001 - every to-do takes (user, now)
    """Letters recorded for people without e-mail (an invitation, a change, a reminder...) not yet printed."""
    rows = letters_to_print_per_series(organised_series_ids(user))
    return _per_series("letters", _l("Letters to print for people without e-mail"), rows, "letters.series_letters")


@todo
def answers_to_moderate(user, now: datetime) -> Todo | None:  # noqa: ARG001 - every to-do takes (user, now)
    rows = db.session.execute(
        select(Series.id, Series.title, func.count(EvaluationAnswer.id))
        .join(Session, Session.series_id == Series.id)
        .join(EvaluationResponse, EvaluationResponse.session_id == Session.id)
        .join(EvaluationAnswer, EvaluationAnswer.response_id == EvaluationResponse.id)
        .join(EvaluationQuestion, EvaluationQuestion.id == EvaluationAnswer.question_id)
        .where(
            Series.id.in_(organised_series_ids(user)),
            EvaluationQuestion.kind.in_(FREE_TEXT_KINDS),
            EvaluationAnswer.text.is_not(None),
            EvaluationAnswer.moderation == Moderation.PENDING,
        )
        .group_by(Series.id, Series.title)
        .order_by(Series.title, Series.id)
    ).all()
    return _per_series("moderate", _l("Open answers to moderate"), rows, "evaluation_reports.moderation_page")


@todo
def deletion_requests(user, now: datetime) -> Todo | None:  # noqa: ARG001 - every to-do takes (user, now)
    if not can_manage_people(user):
        return None
    number = db.session.scalar(select(func.count()).select_from(open_deletion_requests().order_by(None).subquery()))
    if not number:
        return None
    return Todo("deletion", str(_l("Requests to delete personal data")), number, Link("privacy.deletion_requests"))


@todo
def sessions_without_form(user, now: datetime) -> Todo | None:
    """Coming sessions of published series for which nobody chose a form: they fall back on the built-in one."""
    chosen = (
        select(SessionEvaluation.id)
        .join(EvaluationForm, EvaluationForm.id == SessionEvaluation.form_id)
        .where(SessionEvaluation.session_id == Session.id, EvaluationForm.programme_id.is_not(None))
    )
    rows = db.session.execute(
        select(Series.id, Series.title, func.count(Session.id))
        .join(Session, not_by_index(Session.series_id) == Series.id)
        .where(
            not_by_index(Series.id).in_(organised_series_ids(user)),  # start from the index on ends_at
            Series.status == SeriesStatus.PUBLISHED,
            Session.status == SessionStatus.SCHEDULED,
            Session.ends_at > now,
            ~chosen.exists(),
        )
        .group_by(Series.id, Series.title)
        .order_by(Series.title, Series.id)
    ).all()
    label = _l("Coming sessions without an evaluation form of the learning studio")
    return _per_series("forms", label, rows, "evaluation_sessions.series_page")


@todo
def evaluations_not_sent(user, now: datetime) -> Todo | None:
    """Sessions of the last two weeks with people present whom no evaluation mail reached yet."""
    present = select(Attendance.id).where(Attendance.session_id == Session.id, Attendance.status == Presence.PRESENT)
    asked = select(EvaluationRequest.id).where(EvaluationRequest.session_id == Session.id)
    rows = db.session.execute(
        select(Series.id, Series.title, Session.ends_at, Series.evaluation_delay_hours)
        .join(Session, not_by_index(Session.series_id) == Series.id)
        .where(
            not_by_index(Series.id).in_(organised_series_ids(user)),  # start from the index on ends_at
            Series.status == SeriesStatus.PUBLISHED,
            Series.purged_at.is_(None),
            Session.status == SessionStatus.SCHEDULED,
            Session.ends_at <= now,
            Session.ends_at >= now - SEND_WITHIN,
            present.exists(),
            ~asked.exists(),
        )
        .order_by(Series.title, Series.id)
    ).all()
    # The delay differs per series; the mails of a session still within it are not late.
    counted: dict[int, list] = {}
    for sid, title, ends_at, delay in rows:
        if ends_at + timedelta(hours=delay) <= now:
            counted.setdefault(sid, [sid, title, 0])[2] += 1
    return _per_series(
        "evaluations",
        _l("Sessions whose evaluation mails were not sent"),
        [tuple(v) for v in counted.values()],
        "evaluation_sessions.series_page",
    )


@todo
def failed_mails(user, now: datetime) -> Todo | None:  # noqa: ARG001 - every to-do takes (user, now)
    """Mails of a series the mail server refused for good, found from the few failed ones (the
    status index) and counted by the series each names; each part links to that series' mail log,
    where they can be sent again."""
    rows = db.session.execute(
        select(Series.id, Series.title, func.count(OutboxMessage.id))
        .join(OutboxMessage, OutboxMessage.series_id == Series.id)
        .where(OutboxMessage.status == MailStatus.FAILED, Series.id.in_(organised_series_ids(user)))
        .group_by(Series.id, Series.title)
        .order_by(Series.title, Series.id)
    ).all()
    return _per_series("failed", _l("Mails that could not be delivered"), rows, "mail_log.index")
