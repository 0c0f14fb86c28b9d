"""A trekker's home: the latest evaluated series of their learning studios, summarised, with quotes.

Nothing is counted here: the figures come from ``planner.evaluations.summaries.compare`` (the
compare page's counting, with the same rule that a figure resting on fewer than 5 responses is
not shown) and the quotes from ``planner.evaluations.moderation`` (approved answers, placed as
the quotes page places them).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from planner.dashboard.services import trekker_programme_ids
from planner.evaluations.models import EvaluationResponse
from planner.evaluations.moderation import placed, quotes
from planner.evaluations.summaries import Summary, compare
from planner.extensions import db
from planner.series.models import Series, Session

LATEST = 3  # series on the home page; each costs a few queries, so their number is fixed
QUOTES = 3  # per series


@dataclass(frozen=True)
class Quote:
    text: str
    place: str
    starred: bool


@dataclass(frozen=True)
class SeriesDigest:
    series: Series
    summary: Summary
    quotes: list[Quote]


def latest_series(user, limit: int = LATEST) -> list[Series]:
    """The series of the user's studios that have evaluation responses, the most recent session first."""
    latest = (
        select(Session.series_id, func.max(Session.ends_at).label("last"))
        .join(EvaluationResponse, EvaluationResponse.session_id == Session.id)
        .group_by(Session.series_id)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(Series)
            .join(latest, latest.c.series_id == Series.id)
            .where(Series.programme_id.in_(trekker_programme_ids(user)))
            .order_by(latest.c.last.desc(), Series.id)
            .limit(limit)
            .options(selectinload(Series.sessions), selectinload(Series.programme))
        )
    )


def _quotes(series: Series) -> list[Quote]:
    answers = db.session.scalars(quotes(series)).all()
    kept, places = placed(series, answers)
    kept.sort(key=lambda a: not a.starred)  # stable: starred first, then as the quotes page orders them
    return [Quote(a.shown_text, places[a.public_id], a.starred) for a in kept[:QUOTES]]


def trekker_digest(user, language: str) -> list[SeriesDigest]:
    chosen = latest_series(user)
    if not chosen:
        return []
    _questions, compared = compare(chosen, language)
    return [SeriesDigest(s, c.summary, _quotes(s)) for s, c in zip(chosen, compared, strict=True)]
