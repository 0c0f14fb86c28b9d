"""Anonymise personal data once a series' retention period has passed, or when a person asks.

What stays is what the figures need: each person remains as an anonymous shell (role,
organisation, municipality), so attendance and answer counts per role do not change.
What goes: names, addresses, phone numbers, consents, free text, personal links and the
mails that carried them. Anonymous evaluation answers were never linked and stay as they are.

Every step is a set-based UPDATE or DELETE that only touches rows that still hold something
to remove, so running it twice changes nothing the second time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import cast as cast_type

from sqlalchemy import (
    CompoundSelect,
    String,
    Table,
    and_,
    case,
    cast,
    delete,
    func,
    literal,
    or_,
    select,
    union,
    update,
)

from planner.attendance.models import Attendance, DoorCheckIn
from planner.audit.models import AuditAction
from planner.audit.services import record_event
from planner.evaluations.models import EvaluationAnswer, EvaluationRequest, EvaluationResponse, Moderation
from planner.extensions import db
from planner.invitations.models import Answer, CalendarFeed, Invitation, Rsvp
from planner.invitations.services import SQLITE_BUSY_TIMEOUT_MS, answer as give_answer
from planner.mail.models import OutboxMessage
from planner.people.models import Consent, Person
from planner.programmes.models import Programme
from planner.series.models import Series, Session
from planner.series.retention import purge_due_at
from planner.timekeeping import as_utc, utcnow

# What an anonymised person is called from then on (stored, so in the default language).
PLACEHOLDER_NAME = "Geanonimiseerd"


@dataclass
class PurgedSeries:
    id: int
    title: str
    due_at: datetime
    persons_anonymised: int
    persons_kept: int


@dataclass
class PurgeReport:
    """What a run did, or in a dry run would do: per table the number of rows cleared or deleted."""

    dry_run: bool
    series: list[PurgedSeries] = field(default_factory=list)
    persons_anonymised: int = 0
    counts: Counter = field(default_factory=Counter)

    @property
    def changed_anything(self) -> bool:
        return bool(self.series) or any(self.counts.values())


# Which series are due.


def series_due_dates() -> dict[int, datetime | None]:
    """Series not purged yet → when they fall due (None: no sessions), from one aggregate query.

    Purged series are left out by the database, so ten years of them cost nothing here."""
    rows = db.session.execute(
        select(Series.id, func.max(Session.ends_at), Programme.retention_months)
        .join(Programme, Programme.id == Series.programme_id)
        .outerjoin(Session, Session.series_id == Series.id)
        .where(Series.purged_at.is_(None))
        .group_by(Series.id, Programme.retention_months)
    ).all()
    return {series_id: purge_due_at(as_utc(last_end), months) for series_id, last_end, months in rows}


def _participants(series_ids) -> CompoundSelect:
    """(series id, person id) of everyone with an invitation, a presence, an evaluation request or
    a named answer in these series (a list of ids or a select of them)."""
    in_series = Session.series_id.in_(series_ids)
    return union(
        select(Invitation.series_id, Invitation.person_id).where(Invitation.series_id.in_(series_ids)),
        select(Session.series_id, Attendance.person_id)
        .join(Session, Session.id == Attendance.session_id)
        .where(in_series),
        select(Session.series_id, EvaluationRequest.person_id)
        .join(Session, Session.id == EvaluationRequest.session_id)
        .where(in_series),
        select(Session.series_id, EvaluationResponse.person_id)
        .join(Session, Session.id == EvaluationResponse.session_id)
        .where(in_series, EvaluationResponse.person_id.is_not(None)),
    )


def _people_by_series(due: list[int]) -> tuple[dict[int, set[int]], set[int]]:
    """Per due series the people not anonymised yet, and which of them take part in a series that
    is still live (neither purged nor due): two queries, whatever the years of purged series."""
    pairs = _participants(due).subquery()
    pending = (
        select(pairs.c.series_id, pairs.c.person_id)
        .join(Person, Person.id == pairs.c.person_id)
        .where(Person.anonymised_at.is_(None))
    )
    people: dict[int, set[int]] = {series_id: set() for series_id in due}
    for series_id, person_id in db.session.execute(pending):
        people[series_id].add(person_id)
    live = select(Series.id).where(Series.purged_at.is_(None), Series.id.not_in(due))
    elsewhere = _participants(live).subquery()
    still_active = set(
        db.session.scalars(
            select(elsewhere.c.person_id).where(elsewhere.c.person_id.in_(pending.with_only_columns(pairs.c.person_id)))
        )
    )
    return people, still_active


# The steps. Each counts the rows that still hold something, then (unless dry) clears them.


def _run(report: PurgeReport, table: str, model, where, values: dict | None) -> None:
    count = db.session.scalar(select(func.count()).select_from(model).where(where)) or 0
    report.counts[table] += count
    if count and not report.dry_run:
        statement = delete(model) if values is None else update(model).values(**values)
        db.session.execute(statement.where(where), execution_options={"synchronize_session": False})


def _scrub(report: PurgeReport, invitations, requests, named_responses):
    """Clear free text, personal links and mails of these invitations / requests / named responses.

    Each argument is a SQL condition on its own table. Returns the condition on the mails it
    removed, so a dry run does not count them twice.
    """
    mails = OutboxMessage.reference.in_(
        select(literal("invitation:", String) + cast(Invitation.id, String))
        .where(invitations)
        .union(select(literal("evaluation:", String) + cast(EvaluationRequest.id, String)).where(requests))
    )
    _run(report, "outbox_message", OutboxMessage, mails, None)
    # The token goes: the link is dead for good. revoked_at stays as it was, because the
    # attendance figures count the answers of invitations that were never revoked.
    _run(
        report,
        "invitation",
        Invitation,
        and_(
            invitations,
            or_(
                Invitation.token.is_not(None),
                Invitation.learning_question != "",
                Invitation.needs_other != "",
                Invitation.needs_access,
                Invitation.needs_interpreter,
                Invitation.needs_childcare,
                Invitation.reply_token.is_not(None),
            ),
        ),
        {
            "token": None,
            "learning_question": "",
            "needs_other": "",
            "needs_access": False,
            "needs_interpreter": False,
            "needs_childcare": False,
            "reply_token": None,
        },
    )
    # Times proposed from a calendar, with the person's own comment.
    _run(
        report,
        "rsvp",
        Rsvp,
        and_(Rsvp.invitation_id.in_(select(Invitation.id).where(invitations)), Rsvp.proposed_at.is_not(None)),
        {"proposed_starts_at": None, "proposed_ends_at": None, "proposed_at": None, "proposal_comment": ""},
    )
    _run(
        report,
        "evaluation_request",
        EvaluationRequest,
        and_(requests, EvaluationRequest.token.is_not(None)),
        {"token": None},
    )
    responses = select(EvaluationResponse.id).where(named_responses, EvaluationResponse.anonymous.is_(False))
    # Open answers an organiser approved for sharing stay; the rest of the free text goes.
    # '' rather than NULL, so every answer keeps counting for its question.
    _run(
        report,
        "evaluation_answer",
        EvaluationAnswer,
        and_(
            EvaluationAnswer.response_id.in_(responses),
            EvaluationAnswer.moderation != Moderation.APPROVED,
            or_(EvaluationAnswer.text != "", EvaluationAnswer.redacted_text.is_not(None)),
        ),
        {"text": case((EvaluationAnswer.text.is_(None), None), else_=""), "redacted_text": None},
    )
    # An approved answer with a name taken out keeps only the edited text: the original goes.
    _run(
        report,
        "evaluation_answer",
        EvaluationAnswer,
        and_(
            EvaluationAnswer.response_id.in_(responses),
            EvaluationAnswer.moderation == Moderation.APPROVED,
            EvaluationAnswer.redacted_text.is_not(None),
        ),
        {"text": EvaluationAnswer.redacted_text, "redacted_text": None},
    )
    _run(
        report,
        "evaluation_response",
        EvaluationResponse,
        and_(
            EvaluationResponse.id.in_(responses),
            or_(EvaluationResponse.person_id.is_not(None), EvaluationResponse.submitted_at.is_not(None)),
        ),
        {"person_id": None, "submitted_at": None},
    )
    return mails


def _anonymise_people(report: PurgeReport, person_ids: set[int], now: datetime, mails_done) -> None:
    if not person_ids:
        return
    people = Person.id.in_(person_ids)
    addresses = select(Person.email).where(people, Person.email.is_not(None))
    _run(report, "outbox_message", OutboxMessage, and_(OutboxMessage.to_address.in_(addresses), ~mails_done), None)
    _run(report, "consent", Consent, Consent.person_id.in_(person_ids), None)
    _run(report, "calendar_feed", CalendarFeed, CalendarFeed.person_id.in_(person_ids), None)
    _run(report, "door_check_in", DoorCheckIn, DoorCheckIn.person_id.in_(person_ids), None)
    _run(
        report,
        "person",
        Person,
        and_(people, Person.anonymised_at.is_(None)),
        {
            "name": PLACEHOLDER_NAME,
            "email": None,
            "phone": "",
            "guardian_consent_on": None,
            "guardian_consent_by": "",
            "anonymised_at": now,
        },
    )


# The two ways in.


def _wait_for_other_writers() -> None:
    """SQLite has no row locks: take its write lock before reading, so a second run waits for
    the first (up to the busy timeout) and then sees its work, instead of failing half-way.
    PostgreSQL needs nothing here: the due series are locked row by row below."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        table = cast_type("Table", Series.__table__)
        db.session.execute(update(table).where(table.c.id == -1).values(id=table.c.id))


def purge_due_series(now: datetime | None = None, *, dry_run: bool = False) -> PurgeReport:
    """Anonymise every series whose retention period has passed; the caller commits.

    People who take part in nothing newer are anonymised everywhere; people still in a live
    series keep their name, but lose their free text and links of the purged series.
    """
    now = now or utcnow()
    report = PurgeReport(dry_run=dry_run)
    if not dry_run:
        _wait_for_other_writers()
    due_at = {series_id: at for series_id, at in series_due_dates().items() if at is not None and at <= now}
    if not due_at:
        return report
    db.session.flush()
    query = select(Series).where(Series.id.in_(due_at)).order_by(Series.id)
    if not dry_run:
        # Two runs at once: the second waits here, then finds these series purged and skips them.
        query = query.with_for_update().execution_options(populate_existing=True)
    due_series = [s for s in db.session.scalars(query) if s.purged_at is None]
    due = [s.id for s in due_series]
    if not due:
        return report
    people_of, still_active = _people_by_series(due)
    anonymise: set[int] = set()
    for series in due_series:
        people = people_of[series.id]
        leaving = people - still_active
        report.series.append(
            PurgedSeries(series.id, series.title, due_at[series.id], len(leaving - anonymise), len(people - leaving))
        )
        anonymise |= leaving
        if not dry_run:
            series.purged_at = now
            record_event(
                actor="system",
                action=AuditAction.DELETE,
                object_type="series",
                object_id=series.id,
                detail="retention period passed: personal data anonymised",
            )
    report.persons_anonymised = len(anonymise)
    sessions = select(Session.id).where(Session.series_id.in_(due))
    mails_done = _scrub(
        report,
        Invitation.series_id.in_(due),
        EvaluationRequest.session_id.in_(sessions),
        EvaluationResponse.session_id.in_(sessions),
    )
    # A name typed at the door that nobody confirmed: nothing to keep once the series is purged.
    _run(report, "door_check_in", DoorCheckIn, DoorCheckIn.session_id.in_(sessions), None)
    _anonymise_people(report, anonymise, now, mails_done)
    if not dry_run:
        for person_id in sorted(anonymise):
            record_event(
                actor="system",
                action=AuditAction.DELETE,
                object_type="person",
                object_id=person_id,
                detail="retention period passed: anonymised",
            )
        db.session.flush()
        db.session.expire_all()
    return report


def erase_person(person: Person, *, actor, now: datetime | None = None) -> PurgeReport:
    """Carry out a deletion at once, in every series: the same anonymisation as the purge.

    Seats the person held in coming sessions are given up first, so the waiting list moves up.
    A person already anonymised is left as is (nothing changes, nothing is recorded).
    """
    now = now or utcnow()
    report = PurgeReport(dry_run=False)
    if person.anonymised_at is not None:
        return report
    person.mail_withdrawn_at = person.mail_withdrawn_at or now  # no mail about giving up the seats
    invitations = db.session.scalars(
        select(Invitation).where(Invitation.person_id == person.id, Invitation.revoked_at.is_(None))
    ).all()
    for invitation in invitations:
        for rsvp in sorted(invitation.rsvps, key=lambda r: r.session_id):
            session = rsvp.session
            if rsvp.answer != Answer.NO and not session.is_cancelled and session.starts_at > now:
                give_answer(invitation, session, Answer.NO, now=now)
    db.session.flush()
    mails_done = _scrub(
        report,
        Invitation.person_id == person.id,
        EvaluationRequest.person_id == person.id,
        EvaluationResponse.person_id == person.id,
    )
    _anonymise_people(report, {person.id}, now, mails_done)
    report.persons_anonymised = 1
    record_event(
        actor=actor,
        action=AuditAction.DELETE,
        object_type="person",
        object_id=person.id,
        detail="deletion carried out: anonymised in every series",
    )
    db.session.flush()
    db.session.expire_all()
    return report


def open_deletion_requests():
    """Persons who asked to be deleted and are not anonymised yet, oldest request first."""
    return (
        select(Person)
        .where(Person.deletion_requested_at.is_not(None), Person.anonymised_at.is_(None))
        .order_by(Person.deletion_requested_at, Person.id)
    )
