"""Open answers: organisers moderate them (approve, hide, redact); trekkers star approved ones.

Trekkers only ever see approved answers, and never who wrote them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager

from planner.evaluations.counting import count_answers
from planner.evaluations.disclosure import block_too_small, grouped
from planner.evaluations.errors import ModerationError
from planner.evaluations.kinds import FREE_TEXT_KINDS
from planner.evaluations.models import (
    EvaluationAnswer,
    EvaluationQuestion,
    EvaluationResponse,
    Moderation,
)
from planner.evaluations.summaries import sessions_label
from planner.extensions import db
from planner.plain_text import clean_text
from planner.series.models import Session
from planner.timekeeping import utcnow

ACTIONS = ("approve", "hide", "redact", "pending")
MAX_TEXT = 5000


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


def answer_in_series(series, public_id: str) -> EvaluationAnswer | None:
    """An open answer by its public id (random: neighbouring ids say nothing), if it may be seen."""
    found = db.session.scalar(open_answers(series).where(EvaluationAnswer.public_id == public_id))
    if found is None:
        return None
    kept, _places = placed(series, [found])
    return kept[0] if kept else None


def placed(series, answers: Sequence[EvaluationAnswer]) -> tuple[list[EvaluationAnswer], dict[str, str]]:
    """The answers that may be read, and where each session's answers are said to come from.

    An anonymous answer is one of its session's group (see ``disclosure``): it is labelled with
    that group ("Sessions 3–4"), listed in random order within it, and held back while the
    series has too few responses for any group. Named answers keep their session's title.
    """
    sessions = [s for s in series.sessions if not s.is_cancelled]
    ids = [s.id for s in sessions]
    counts, blocks, anonymous_held = grouped(count_answers(ids, []), ids)
    numbers = {s.id: n for n, s in enumerate(sessions, start=1)}
    places, held, order = {}, set(), {}
    for index, block in enumerate(blocks):
        small = anonymous_held or block_too_small(counts, block)
        for s in block:
            places[s], order[s] = sessions_label(block, numbers), index
            if small:
                held.add(s)
    titles = {s.id: s.title for s in series.sessions}
    kept = [
        a
        for a in answers
        if a.response.session_id in order and not (a.response.anonymous and a.response.session_id in held)
    ]
    kept.sort(
        key=lambda a: (order[a.response.session_id], a.response.anonymous, a.public_id if a.response.anonymous else "")
    )
    named_places = {a.public_id: titles[a.response.session_id] for a in kept if not a.response.anonymous}
    anonymous_places = {a.public_id: places[a.response.session_id] for a in kept if a.response.anonymous}
    return kept, {**named_places, **anonymous_places}


def moderate(
    answer: EvaluationAnswer, action: str, *, actor, redacted_text: str | None = None, now: datetime | None = None
):
    """Approve, hide, or approve with a redaction (e.g. a name taken out); ``pending`` undoes."""
    if action not in ACTIONS:
        raise ModerationError("unknown_moderation")
    if action == "redact":
        text = clean_text(redacted_text or "").strip()
        if not text:
            raise ModerationError("redaction_required")
        if len(text) > MAX_TEXT:
            raise ModerationError("redaction_too_long", maximum=MAX_TEXT)
        answer.redacted_text = text
        answer.moderation = Moderation.APPROVED
    else:
        answer.moderation = {"approve": Moderation.APPROVED, "hide": Moderation.HIDDEN, "pending": Moderation.PENDING}[
            action
        ]
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
