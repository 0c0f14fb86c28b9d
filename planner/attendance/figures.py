"""Attendance figures per session and per series, counted by the database (SQL aggregates).

Plain data out; the routes show it on screen or write it as CSV / XLSX.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, select

from planner.attendance.models import Attendance, Presence
from planner.extensions import db
from planner.invitations.models import Answer, Invitation, Rsvp, Seat
from planner.people.models import Organisation, Person, PersonRole
from planner.series.models import Series, Session


@dataclass
class SessionFigures:
    session: Session
    present: int
    said_yes: int
    yes_but_absent: int
    by_role: list[tuple[PersonRole, int]]
    by_organisation: list[tuple[str, int]]
    by_municipality: list[tuple[str, int]]

    @property
    def yes_but_absent_rate(self) -> float | None:
        return self.yes_but_absent / self.said_yes if self.said_yes else None


def _present(session: Session):
    return and_(Attendance.session_id == session.id, Attendance.status == Presence.PRESENT)


def _breakdown(session: Session, column) -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(column, func.count(Attendance.id))
        .select_from(Attendance)
        .join(Person, Person.id == Attendance.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(_present(session))
        .group_by(column)
        .order_by(func.count(Attendance.id).desc(), column)
    ).all()
    return [(value or "", count) for value, count in rows]


def session_figures(session: Session) -> SessionFigures:
    present = db.session.scalar(select(func.count(Attendance.id)).where(_present(session))) or 0
    yes = (
        select(
            func.count(Rsvp.id),
            func.count(case((Attendance.status == Presence.PRESENT, 1))),
        )
        .select_from(Rsvp)
        .join(Invitation, Invitation.id == Rsvp.invitation_id)
        .outerjoin(Attendance, and_(Attendance.session_id == Rsvp.session_id, Attendance.person_id == Invitation.person_id))
        .where(
            Rsvp.session_id == session.id, Invitation.revoked_at.is_(None),
            Rsvp.answer == Answer.YES, Rsvp.seat == Seat.CONFIRMED,
        )
    )
    said_yes, yes_and_present = db.session.execute(yes).one()
    return SessionFigures(
        session=session,
        present=present,
        said_yes=said_yes,
        yes_but_absent=said_yes - yes_and_present,
        by_role=_breakdown(session, Person.role),
        by_organisation=_breakdown(session, Organisation.name),
        by_municipality=_breakdown(session, Person.municipality),
    )


def sessions_attended(series: Series) -> list[tuple[int, int]]:
    """How many people came to 1, 2, 3 ... of the series' sessions: (sessions, people), ascending."""
    per_person = (
        select(Attendance.person_id, func.count(Attendance.id).label("sessions"))
        .join(Session, Session.id == Attendance.session_id)
        .where(Session.series_id == series.id, Attendance.status == Presence.PRESENT)
        .group_by(Attendance.person_id)
        .subquery()
    )
    rows = db.session.execute(
        select(per_person.c.sessions, func.count()).group_by(per_person.c.sessions).order_by(per_person.c.sessions)
    ).all()
    return [(sessions, people) for sessions, people in rows]


def figure_rows(figures: list[SessionFigures], attended: list[tuple[int, int]], labels: dict) -> list[list]:
    """One table for the CSV / XLSX download: what, session, value, count."""
    rows = []
    for f in figures:
        when = f.session.local_start.strftime("%Y-%m-%d %H:%M")
        rows.append([labels["present"], when, "", f.present])
        rows.append([labels["said_yes"], when, "", f.said_yes])
        rows.append([labels["yes_but_absent"], when, "", f.yes_but_absent])
        for key, breakdown in (("role", f.by_role), ("organisation", f.by_organisation), ("municipality", f.by_municipality)):
            for value, count in breakdown:
                rows.append([labels[key], when, str(value.label) if key == "role" else value, count])
    for sessions, people in attended:
        rows.append([labels["came_to"], "", sessions, people])
    return rows
