"""The person × session grid of a series: who is invited, their answer and attendance per session.

Built as plain data in a fixed number of queries, however many people are invited: the page
(count and rows, each with the status of the last mail about the invitation, worked out in the
database), their answers, their attendance, the waiting-list places, and the choices of the
filters. The export uses the same query without paging.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, String, and_, cast, func, literal, or_, select

from planner.extensions import db
from planner.invitations.models import Answer, AnsweredVia, Invitation, Rsvp, Seat
from planner.mail.models import MailStatus, OutboxMessage
from planner.pagination import Page, paginate
from planner.people.models import Organisation, Person, people_matching
from planner.series.models import Series, Session

PER_PAGE = 50
PRESENCE_KEY = "reeks.grid_presence"

# (session ids, person ids) → rows of (person id, session id, presence with a ``label``). The
# attendance area sits above this one in the flow, so it hands its rows in: ``provide_presence``
# in ``_connect_areas`` of create_app.
PresenceSource = Callable[[Any, Any], Iterable[tuple[int, int, Any]]]


def provide_presence(app: Flask, source: PresenceSource) -> None:
    app.extensions[PRESENCE_KEY] = source


def _presence(session_ids, person_ids) -> Iterable[tuple[int, int, Any]]:
    source = current_app.extensions.get(PRESENCE_KEY)
    return source(session_ids, person_ids) if source is not None else []


# What a cell can say, by the answer filter's values; "confirmed" is a yes with a seat.
CELL_LABELS = {
    "confirmed": _l("Yes"),
    "waiting": _l("Waiting list"),
    "maybe": _l("Maybe"),
    "no": _l("No"),
    "pending": _l("No answer"),
}
NEED_LABELS = {
    "access": _l("Step-free access"),
    "interpreter": _l("Interpreter"),
    "childcare": _l("Childcare"),
    "other": _l("Something else"),
}
MAIL_LABELS = {
    "sent": _l("Mail sent"),
    "waiting": _l("Mail waiting to be sent"),
    "failed": _l("Mail failed"),
    "none": _l("No mail yet"),
    "letter": _l("No e-mail: print a letter"),
}


@dataclass(frozen=True)
class GridFilters:
    """What the organiser narrowed the grid to; empty values mean "everyone"."""

    search: str = ""
    answer: str = ""  # a key of CELL_LABELS
    session_id: int = 0  # the answer in this session; 0: in any session
    role: str = ""
    organisation_id: int = 0
    municipality: str = ""
    need: str = ""  # a key of NEED_LABELS, "any" or "none"
    mail: str = ""  # a key of MAIL_LABELS

    def as_args(self) -> dict[str, str | int]:
        """The filters as URL parameters, leaving out the empty ones."""
        return {name: value for name, value in self.__dict__.items() if value}


@dataclass
class Cell:
    state: str  # a key of CELL_LABELS
    place: int | None = None  # on the waiting list
    answered_in_calendar: datetime | None = None  # when they answered from their calendar program
    presence: Any = None  # attendance's Presence, when marked

    @property
    def label(self) -> str:
        return str(CELL_LABELS[self.state])


@dataclass
class GridRow:
    invitation: Invitation
    person: Person
    mail: str  # a key of MAIL_LABELS
    mail_error: str
    cells: dict[int, Cell] = field(default_factory=dict)  # session id → cell; none: not invited to it

    @property
    def needs(self) -> list[str]:
        return needs_of(self.invitation)


@dataclass
class Grid:
    sessions: list[Session]
    rows: list[GridRow]
    page: Page | None  # None for the export: every row

    @property
    def shown_people(self) -> list[int]:
        return [row.person.id for row in self.rows]

    @property
    def people_with_needs(self) -> list[int]:
        return [row.person.id for row in self.rows if row.needs]


def needs_of(invitation: Invitation) -> list[str]:
    """What this person told us they need to take part, in words."""
    needs = [
        str(NEED_LABELS[name])
        for name, wanted in (
            ("access", invitation.needs_access),
            ("interpreter", invitation.needs_interpreter),
            ("childcare", invitation.needs_childcare),
        )
        if wanted
    ]
    return needs + ([invitation.needs_other] if invitation.needs_other else [])


def _latest_mail(column) -> ColumnElement:
    """A column of the last outbox message about the row's invitation (``invitation:<id>``)."""
    reference = literal("invitation:", String) + cast(Invitation.id, String)
    return (
        select(column)
        .where(OutboxMessage.reference == reference)
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(1)
        .correlate(Invitation)
        .scalar_subquery()
    )


def _answer_condition(answer: str, session_id: int) -> ColumnElement[bool]:
    conditions = {
        "confirmed": Rsvp.seat == Seat.CONFIRMED,
        "waiting": Rsvp.seat == Seat.WAITING,
        "maybe": Rsvp.answer == Answer.MAYBE,
        "no": Rsvp.answer == Answer.NO,
        "pending": Rsvp.answer == Answer.PENDING,
    }
    condition = conditions[answer]
    return Invitation.rsvps.any(and_(condition, Rsvp.session_id == session_id) if session_id else condition)


def _need_condition(need: str) -> ColumnElement[bool]:
    other = Invitation.needs_other != ""
    any_need = or_(Invitation.needs_access, Invitation.needs_interpreter, Invitation.needs_childcare, other)
    return {
        "any": any_need,
        "none": ~any_need,
        "access": Invitation.needs_access.is_(True),
        "interpreter": Invitation.needs_interpreter.is_(True),
        "childcare": Invitation.needs_childcare.is_(True),
        "other": other,
    }[need]


def _mail_condition(mail: str, status: ColumnElement) -> ColumnElement[bool]:
    has_email = and_(Person.email.is_not(None), Person.email != "")
    return {
        "sent": status == MailStatus.SENT,
        "failed": status == MailStatus.FAILED,
        "waiting": status.in_([MailStatus.QUEUED, MailStatus.SENDING]),
        "none": and_(has_email, status.is_(None)),
        "letter": ~has_email,
    }[mail]


def grid_query(series: Series, filters: GridFilters) -> Select:
    """Rows of (person, invitation, last mail status, last mail error) for the active invitations
    the filters let through, by name (the people search orders them)."""
    status, error = _latest_mail(OutboxMessage.status), _latest_mail(OutboxMessage.last_error)
    query = (
        people_matching(filters.search)
        .join(Invitation, Invitation.person_id == Person.id)
        .add_columns(Invitation, status, error)
        .where(Invitation.series_id == series.id, Invitation.revoked_at.is_(None))
    )
    if filters.answer:
        query = query.where(_answer_condition(filters.answer, filters.session_id))
    if filters.role:
        query = query.where(Person.role == filters.role)
    if filters.organisation_id:
        query = query.where(Person.organisation_id == filters.organisation_id)
    if filters.municipality:
        query = query.where(Person.municipality == filters.municipality)
    if filters.need:
        query = query.where(_need_condition(filters.need))
    if filters.mail:
        query = query.where(_mail_condition(filters.mail, status))
    return query


def _mail_state(status: str | None, person: Person) -> str:
    if not person.email:
        return "letter"
    if status is None:
        return "none"
    if status == MailStatus.SENT:
        return "sent"
    return "failed" if status == MailStatus.FAILED else "waiting"


def _rows(records) -> list[GridRow]:
    return [
        GridRow(invitation=invitation, person=person, mail=_mail_state(status, person), mail_error=error or "")
        for person, invitation, status, error in records
    ]


def _cell_state(answer: Answer, seat: Seat | None) -> str:
    """A key of CELL_LABELS: the seat a yes holds, else the answer (a yes that lost its seat, as
    in a cancelled session, counts as no answer)."""
    if seat is not None:
        return str(seat)
    return "pending" if answer in (Answer.PENDING, Answer.YES) else str(answer)


def _fill_cells(series: Series, rows: list[GridRow], invitation_ids, person_ids) -> None:
    """Answers, waiting-list places and attendance of these rows: three queries."""
    by_invitation = {row.invitation.id: row for row in rows}
    by_person = {row.person.id: row for row in rows}
    answers = select(
        Rsvp.invitation_id, Rsvp.session_id, Rsvp.answer, Rsvp.seat, Rsvp.answered_at, Rsvp.answered_via
    ).where(Rsvp.invitation_id.in_(invitation_ids))
    for invitation_id, session_id, given, seat, answered_at, via in db.session.execute(answers):
        state = _cell_state(given, seat)
        in_calendar = answered_at if via == AnsweredVia.CALENDAR else None
        by_invitation[invitation_id].cells[session_id] = Cell(state, answered_in_calendar=in_calendar)
    place = func.rank().over(partition_by=Rsvp.session_id, order_by=Rsvp.waitlist_position)
    waiting = (
        select(Rsvp.invitation_id, Rsvp.session_id, place.label("place"))
        .join(Invitation, Invitation.id == Rsvp.invitation_id)
        .where(Invitation.series_id == series.id, Invitation.revoked_at.is_(None), Rsvp.seat == Seat.WAITING)
        .subquery()
    )
    for invitation_id, session_id, number in db.session.execute(
        select(waiting).where(waiting.c.invitation_id.in_(invitation_ids))
    ):
        by_invitation[invitation_id].cells[session_id].place = number
    session_ids = [s.id for s in series.sessions]
    for person_id, session_id, status in _presence(session_ids, person_ids):
        cell = by_person[person_id].cells.setdefault(session_id, Cell("pending"))
        cell.presence = status


def grid_page(series: Series, filters: GridFilters, number: int | None, per_page: int = PER_PAGE) -> Grid:
    """One page of the grid."""
    page = paginate(grid_query(series, filters), number, per_page, rows=True)
    rows = _rows(page.items)
    _fill_cells(series, rows, [r.invitation.id for r in rows], [r.person.id for r in rows])
    return Grid(sessions=list(series.sessions), rows=rows, page=page)


def whole_grid(series: Series, filters: GridFilters) -> Grid:
    """Every row the filters let through (for the export); the ids are sub-queries, not lists."""
    query = grid_query(series, filters)
    rows = _rows(db.session.execute(query))
    chosen = query.with_only_columns(Invitation.id).order_by(None)
    people = query.with_only_columns(Person.id).order_by(None)
    _fill_cells(series, rows, chosen, people)
    return Grid(sessions=list(series.sessions), rows=rows, page=None)


@dataclass
class FilterChoices:
    organisations: list[Organisation]
    municipalities: list[str]


def filter_choices(series: Series) -> FilterChoices:
    """The organisations and municipalities of the people invited to the series: two queries."""
    invited = select(Invitation.person_id).where(Invitation.series_id == series.id)
    organisations = db.session.scalars(
        select(Organisation)
        .where(Organisation.id.in_(select(Person.organisation_id).where(Person.id.in_(invited))))
        .order_by(Organisation.name, Organisation.municipality)
    ).all()
    municipalities = db.session.scalars(
        select(Person.municipality)
        .where(Person.id.in_(invited), Person.municipality != "")
        .distinct()
        .order_by(Person.municipality)
    ).all()
    return FilterChoices(list(organisations), list(municipalities))
