"""Per session, counted in the database: answers (by seat), people present, evaluation mails sent.

Three grouped queries for any number of sessions. The series page gets these through
``planner.series.numbers`` (registered in ``create_app``), the home page directly.
"""

from __future__ import annotations

from sqlalchemy import String, func, select

from planner.attendance.models import Attendance, Presence
from planner.evaluations.models import EvaluationRequest
from planner.extensions import db
from planner.invitations.models import Invitation, Rsvp
from planner.series.numbers import SessionNumbers


def count_sessions(session_ids: list[int]) -> dict[int, SessionNumbers]:
    if not session_ids:
        return {}
    # Text, not a Seat: a yes without a seat cannot exist, every other row counts under its answer.
    bucket = func.coalesce(Rsvp.seat, Rsvp.answer, type_=String)
    answers: dict[int, dict[str, int]] = {sid: {} for sid in session_ids}
    for session_id, name, number in db.session.execute(
        select(Rsvp.session_id, bucket, func.count(Rsvp.id))
        .join(Invitation, Invitation.id == Rsvp.invitation_id)
        .where(Rsvp.session_id.in_(session_ids), Invitation.revoked_at.is_(None))
        .group_by(Rsvp.session_id, bucket)
    ):
        answers[session_id][name] = number
    present = dict(
        db.session.execute(
            select(Attendance.session_id, func.count(Attendance.id))
            .where(Attendance.session_id.in_(session_ids), Attendance.status == Presence.PRESENT)
            .group_by(Attendance.session_id)
        ).all()
    )
    sent = dict(
        db.session.execute(
            select(EvaluationRequest.session_id, func.count(EvaluationRequest.id))
            .where(EvaluationRequest.session_id.in_(session_ids))
            .group_by(EvaluationRequest.session_id)
        ).all()
    )
    return {
        sid: SessionNumbers(
            confirmed=answers[sid].get("confirmed", 0),
            waiting=answers[sid].get("waiting", 0),
            maybe=answers[sid].get("maybe", 0),
            no=answers[sid].get("no", 0),
            pending=answers[sid].get("pending", 0),
            present=present.get(sid, 0),
            evaluations_sent=sent.get(sid, 0),
        )
        for sid in session_ids
    }
