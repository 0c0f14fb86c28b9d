"""Who came, for the person × session grid of the invitation area (registered in create_app)."""

from __future__ import annotations

from sqlalchemy import select

from planner.attendance.models import Attendance
from planner.extensions import db


def presence_rows(session_ids, person_ids):
    """(person id, session id, presence) of these people at these sessions, in one query;
    the ids may be lists or sub-queries."""
    return db.session.execute(
        select(Attendance.person_id, Attendance.session_id, Attendance.status).where(
            Attendance.person_id.in_(person_ids), Attendance.session_id.in_(session_ids)
        )
    ).all()
