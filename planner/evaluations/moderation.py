"""Open answers: organisers moderate them (approve, hide, redact); trekkers star approved ones.

Trekkers only ever see approved answers, and never who wrote them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager

from planner.errors import DomainError
from planner.evaluations.kinds import FREE_TEXT_KINDS
from planner.evaluations.models import (
    EvaluationAnswer,
    EvaluationQuestion,
    EvaluationResponse,
    Moderation,
)
from planner.extensions import db
from planner.series.models import Session
from planner.timekeeping import utcnow

ACTIONS = ("approve", "hide", "redact", "pending")
MAX_TEXT = 5000


class ModerationError(DomainError):
    pass


def open_answers(series, *, moderation: str | None = None, starred: bool = False) -> Select:
    """A select of the open answers given in a series' sessions, oldest session first."""
    query = (
        select(EvaluationAnswer)
        .join(EvaluationResponse, EvaluationResponse.id == EvaluationAnswer.response_id)
        .join(Session, Session.id == EvaluationResponse.session_id)
        .join(EvaluationQuestion, EvaluationQuestion.id == EvaluationAnswer.question_id)
        .where(Session.series_id == series.id, EvaluationQuestion.kind.in_(FREE_TEXT_KINDS))
        .where(EvaluationAnswer.text.is_not(None))
        .options(contains_eager(EvaluationAnswer.question), contains_eager(EvaluationAnswer.response))
        .order_by(Session.starts_at, EvaluationQuestion.position, EvaluationAnswer.id)
    )
    if moderation:
        query = query.where(EvaluationAnswer.moderation == moderation)
    if starred:
        query = query.where(EvaluationAnswer.starred.is_(True))
    return query


def quotes(series, *, starred: bool = False) -> Select:
    """What trekkers may read: approved answers only."""
    return open_answers(series, moderation=Moderation.APPROVED, starred=starred)


def answer_in_series(series, answer_id: int) -> EvaluationAnswer | None:
    return db.session.scalar(open_answers(series).where(EvaluationAnswer.id == answer_id))


def moderate(answer: EvaluationAnswer, action: str, *, actor, redacted_text: str | None = None, now: datetime | None = None):
    """Approve, hide, or approve with a redaction (e.g. a name taken out); ``pending`` undoes."""
    if action not in ACTIONS:
        raise ModerationError("unknown_moderation")
    if action == "redact":
        text = (redacted_text or "").strip()
        if not text:
            raise ModerationError("redaction_required")
        if len(text) > MAX_TEXT:
            raise ModerationError("redaction_too_long", maximum=MAX_TEXT)
        answer.redacted_text = text
        answer.moderation = Moderation.APPROVED
    else:
        answer.moderation = {"approve": Moderation.APPROVED, "hide": Moderation.HIDDEN, "pending": Moderation.PENDING}[action]
    if answer.moderation != Moderation.APPROVED:
        answer.starred, answer.starred_by_id = False, None  # a quote that is no longer shown is no quote
    answer.moderated_by_id = actor.id
    answer.moderated_at = now or utcnow()
    db.session.flush()
    return answer


def star(answer: EvaluationAnswer, starred: bool, *, actor) -> EvaluationAnswer:
    if answer.moderation != Moderation.APPROVED:
        raise ModerationError("quote_not_approved")
    answer.starred = starred
    answer.starred_by_id = actor.id if starred else None
    db.session.flush()
    return answer
