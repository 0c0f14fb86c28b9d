"""The evaluation area's part in a session change (registered in create_app, see series/hooks.py).

Every session has its evaluation row (its form and short code) from the moment it exists, so
no page has to make one while it is being read: a new session gets the built-in session form,
a removed draft session takes its row with it, and a copied session (the next round of a
series) gets the newest version of the form its original had. Rows of sessions made before this existed come
from migration 0013.
"""

from __future__ import annotations

from sqlalchemy import delete

from planner.evaluations.models import SessionEvaluation
from planner.evaluations.services import evaluation_of, newest_version
from planner.extensions import db
from planner.series.hooks import SessionChange


def keep_session_evaluation(change: SessionChange) -> None:
    if change.removed:
        db.session.execute(delete(SessionEvaluation).where(SessionEvaluation.session_id == change.session.id))
    elif change.before is None:
        copied = evaluation_of(change.copied_from, create=False) if change.copied_from is not None else None
        evaluation_of(change.session, default_form=newest_version(copied.form) if copied else None)
