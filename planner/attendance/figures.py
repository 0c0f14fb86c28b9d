"""Attendance figures per session and per series, counted by the database (SQL aggregates).

Plain data out; the routes show it on screen or write it as CSV / XLSX. Organisers, who took
the attendance and know the names, see every group; trekkers (and their downloads) see the
groups of people under the rule of the evaluation summaries: a group of fewer than 5 people
(a role, an organisation, a municipality, "came to 2 of 4") is never shown alone but put
together with others (``merged_groups``, ``merged_ranges``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

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
    by_role: list[tuple[str, int]]  # role values
    by_organisation: list[tuple[str, int]]
    by_municipality: list[tuple[str, int]]

    @property
    def yes_but_absent_rate(self) -> float | None:
        return self.yes_but_absent / self.said_yes if self.said_yes else None


def _present(sessions: list[Session]):
    return and_(Attendance.session_id.in_([s.id for s in sessions]), Attendance.status == Presence.PRESENT)


def _breakdowns(sessions: list[Session], column) -> dict[int, list[tuple[str, int]]]:
    """Per session, the people present by one column, largest group first: one query for all."""
    rows = db.session.execute(
        select(Attendance.session_id, column, func.count(Attendance.id))
        .select_from(Attendance)
        .join(Person, Person.id == Attendance.person_id)
        .outerjoin(Organisation, Organisation.id == Person.organisation_id)
        .where(_present(sessions))
        .group_by(Attendance.session_id, column)
        .order_by(Attendance.session_id, func.count(Attendance.id).desc(), column)
    ).all()
    per_session: dict[int, list[tuple[str, int]]] = {}
    for session_id, value, count in rows:
        per_session.setdefault(session_id, []).append((value or "", count))
    return per_session


def figures_of_sessions(sessions: list[Session]) -> list[SessionFigures]:
    """The figures of each session, in the order given; the same five queries for any number."""
    if not sessions:
        return []
    present: dict[int, int] = dict(
        db.session.execute(
            select(Attendance.session_id, func.count(Attendance.id))
            .where(_present(sessions))
            .group_by(Attendance.session_id)
        ).all()
    )
    yes = {
        session_id: (said, came)
        for session_id, said, came in db.session.execute(
            select(
                Rsvp.session_id,
                func.count(Rsvp.id),
                func.count(case((Attendance.status == Presence.PRESENT, 1))),
            )
            .select_from(Rsvp)
            .join(Invitation, Invitation.id == Rsvp.invitation_id)
            .outerjoin(
                Attendance, and_(Attendance.session_id == Rsvp.session_id, Attendance.person_id == Invitation.person_id)
            )
            .where(
                Rsvp.session_id.in_([s.id for s in sessions]),
                Invitation.revoked_at.is_(None),
                Rsvp.answer == Answer.YES,
                Rsvp.seat == Seat.CONFIRMED,
            )
            .group_by(Rsvp.session_id)
        )
    }
    roles = _breakdowns(sessions, Person.role)
    organisations = _breakdowns(sessions, Organisation.name)
    municipalities = _breakdowns(sessions, Person.municipality)
    figures = []
    for session in sessions:
        said_yes, yes_and_present = yes.get(session.id, (0, 0))
        figures.append(
            SessionFigures(
                session=session,
                present=present.get(session.id, 0),
                said_yes=said_yes,
                yes_but_absent=said_yes - yes_and_present,
                by_role=roles.get(session.id, []),
                by_organisation=organisations.get(session.id, []),
                by_municipality=municipalities.get(session.id, []),
            )
        )
    return figures


def session_figures(session: Session) -> SessionFigures:
    [figures] = figures_of_sessions([session])
    return figures


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


THRESHOLD = 5  # people: the same rule as the evaluation summaries (planner/evaluations/disclosure.py)
OTHER = "__other__"  # the group of the groups too small to show alone


def merged_groups(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Groups of fewer than 5 go together as OTHER; when that is still too small, the smallest shown
    group joins it; when everyone would be in OTHER, nothing is broken down."""
    shown = [(value, n) for value, n in rows if n >= THRESHOLD]
    other = sum(n for _value, n in rows if 0 < n < THRESHOLD)
    while 0 < other < THRESHOLD and shown:
        smallest = min(shown, key=lambda row: row[1])
        shown.remove(smallest)
        other += smallest[1]
    merged = shown + ([(OTHER, other)] if other else [])
    return merged if len(merged) > 1 or (merged and merged[0][0] != OTHER) else []


def merged_ranges(attended: list[tuple[int, int]]) -> list[tuple[tuple[int, int], int]]:
    """How many came to 1, 2, … sessions, with neighbouring counts joined until each has 5 people:
    ((first, last), people); one row ((1, last), people) when there are fewer than 5 in all."""
    rows, current, people = [], None, 0
    for sessions, n in attended:
        current = (current[0], sessions) if current else (sessions, sessions)
        people += n
        if people >= THRESHOLD:
            rows.append((current, people))
            current, people = None, 0
    if current:
        if rows:
            (first, _last), n = rows.pop()
            rows.append(((first, current[1]), n + people))
        else:
            rows.append((current, people))
    return rows


def as_seen(figures: list[SessionFigures], *, in_full: bool) -> list[SessionFigures]:
    if in_full:
        return figures
    return [
        replace(
            f,
            by_role=merged_groups(f.by_role),
            by_organisation=merged_groups(f.by_organisation),
            by_municipality=merged_groups(f.by_municipality),
        )
        for f in figures
    ]


def series_reach(series: Series) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """The people who came to at least one session, by role and by municipality (distinct people)."""

    def breakdown(column):
        return [
            (value or "", n)
            for value, n in db.session.execute(
                select(column, func.count(func.distinct(Attendance.person_id)))
                .select_from(Attendance)
                .join(Person, Person.id == Attendance.person_id)
                .join(Session, Session.id == Attendance.session_id)
                .where(Session.series_id == series.id, Attendance.status == Presence.PRESENT)
                .group_by(column)
                .order_by(func.count(func.distinct(Attendance.person_id)).desc(), column)
            )
        ]

    return breakdown(Person.role), breakdown(Person.municipality)


def figure_rows(figures: list[SessionFigures], attended: list[tuple[tuple[int, int], int]], labels: dict) -> list[list]:
    """One table for the CSV / XLSX download: what, session, value, count."""
    rows = []
    for f in figures:
        when = f.session.local_start.strftime("%Y-%m-%d %H:%M")
        rows.append([labels["present"], when, "", f.present])
        rows.append([labels["said_yes"], when, "", f.said_yes])
        rows.append([labels["yes_but_absent"], when, "", f.yes_but_absent])
        for key, breakdown in (
            ("role", f.by_role),
            ("organisation", f.by_organisation),
            ("municipality", f.by_municipality),
        ):
            for value, count in breakdown:
                shown = (
                    labels["other"] if value == OTHER else (str(PersonRole(value).label) if key == "role" else value)
                )
                rows.append([labels[key], when, shown, count])
    for (first, last), people in attended:
        rows.append([labels["came_to"], "", first if first == last else f"{first}–{last}", people])
    return rows
