"""A personal evaluation link's token → its request: no web, so any entry point can use it."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from planner.evaluations.models import EvaluationRequest
from planner.evaluations.sending import link_valid_until
from planner.extensions import db
from planner.series.models import Session
from planner.timekeeping import utcnow

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def session_open(session: Session) -> bool:
    """Its evaluation can be answered: held, published, not purged, and the link still valid."""
    series = session.series
    return (
        not session.is_cancelled
        and series.was_published  # archived too: answering mails nobody
        and series.purged_at is None
        and utcnow() <= link_valid_until(session)
    )


def request_for_link(token: str) -> EvaluationRequest | None:
    """The request of a personal link; None when malformed, unknown, for a person we may no
    longer reach this way, or for a session whose evaluation is closed."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    found = db.session.scalar(
        select(EvaluationRequest)
        .where(EvaluationRequest.token == token)
        .options(
            joinedload(EvaluationRequest.person),
            joinedload(EvaluationRequest.session).joinedload(Session.series),
        )
    )
    if found is None:
        return None
    person = found.person
    if person.mail_withdrawn_at or person.anonymised_at or person.deletion_requested_at:
        return None
    if not session_open(found.session):
        return None
    return found
