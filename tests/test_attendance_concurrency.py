"""Several devices at the door tap the same person at the same moment: one check-in, no error.

On PostgreSQL the threads truly race and all but one insert hit the unique constraint,
which the service turns into "already there"; on SQLite writers queue on the database lock.
"""

import threading

from sqlalchemy import func, select

from planner.attendance.models import Attendance, AttendanceChange
from planner.attendance.services import mark
from planner.auth.models import StaffUser
from planner.extensions import db as _db
from planner.invitations.services import answer
from planner.series.models import Session
from tests import factories

DEVICES = 8


def test_devices_tapping_the_same_person_at_once_make_one_check_in(db, second_app, programme, organiser):
    series = factories.make_series(programme, organiser)
    session = series.sessions[0]
    invitation = factories.make_invitation(series)
    answer(invitation, session, "yes")
    db.session.commit()
    session_id, person_id, organiser_id = session.id, invitation.person_id, organiser.id
    barrier = threading.Barrier(DEVICES, timeout=60)
    errors = []

    def tap():
        try:
            with second_app.app_context():
                mine = _db.session.get(Session, session_id)
                actor = _db.session.get(StaffUser, organiser_id)
                _db.session.connection()
                barrier.wait()
                mark(mine, person_id, "present", actor=actor)
                _db.session.commit()
        except Exception as error:
            errors.append(repr(error))

    threads = [threading.Thread(target=tap) for _ in range(DEVICES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1
    assert db.session.scalar(select(func.count()).select_from(AttendanceChange)) == 1
