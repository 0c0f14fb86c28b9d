"""Reminders a few days (per series) before each session, to those who said yes or maybe.

Due times are worked out from the session as it is now, so a reminder follows a move;
cancelled sessions, a no, the waiting list, withdrawn invitations and people we may not
write to get none; people without e-mail get a letter (``Person.needs_letter``). Each answer
gets at most one reminder: the unique ``sent_reminder.rsvp_id`` makes a second run, or a
second machine running at the same moment, skip what another already queued.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Integer, cast, func, literal, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import contains_eager, selectinload

from planner.extensions import db
from planner.invitations.mails import queue_about
from planner.invitations.models import Answer, Invitation, Rsvp, Seat, SentReminder
from planner.mail.services import queued_together
from planner.people.models import Person
from planner.series.models import Series, Session, SessionStatus
from planner.timekeeping import UTCDateTime, utcnow

CLAIM_BATCH = 1000  # answers per INSERT: well under SQLite's limit of bound values


def _seconds(moment) -> ColumnElement[int]:
    return cast(func.strftime("%s", moment), Integer)


def _reminder_due(now: datetime) -> ColumnElement[bool]:
    """The session starts at most its series' ``reminder_days`` after ``now``, worked out by the
    database, so the job reads only the answers it will remind (never every future answer)."""
    if db.session.get_bind().dialect.name == "sqlite":  # no interval type: whole seconds since 1970
        return _seconds(Session.starts_at) - Series.reminder_days * 86400 <= _seconds(literal(now, UTCDateTime()))
    return Session.starts_at <= literal(now, UTCDateTime()) + Series.reminder_days * text("interval '1 day'")


def due_reminders(now: datetime) -> list[Rsvp]:
    """The answers whose reminder is due now and not yet queued: yes with a seat, or maybe."""
    return list(
        db.session.scalars(
            select(Rsvp)
            .join(Rsvp.invitation)
            .join(Invitation.person)
            .join(Rsvp.session)
            .join(Session.series)
            .where(
                Invitation.revoked_at.is_(None),
                Person.can_be_mailed | Person.needs_letter,
                (Rsvp.answer == Answer.MAYBE) | ((Rsvp.answer == Answer.YES) & (Rsvp.seat == Seat.CONFIRMED)),
                Session.status == SessionStatus.SCHEDULED,
                Session.starts_at > now,
                Series.reminder_days > 0,
                _reminder_due(now),
                ~select(SentReminder.id).where(SentReminder.rsvp_id == Rsvp.id).exists(),
            )
            .options(
                contains_eager(Rsvp.invitation).contains_eager(Invitation.person),
                contains_eager(Rsvp.session).options(contains_eager(Session.series), selectinload(Session.venue)),
            )
            .order_by(Session.starts_at, Rsvp.id)
        ).unique()
    )


def _claim(rsvps: list[Rsvp], now: datetime) -> set[int]:
    """Record a reminder for each answer in one statement per thousand; the ids recorded now.

    An answer another run (or machine) recorded first is skipped by the unique rsvp_id."""
    dialect = db.session.get_bind().dialect.name
    insert = sqlite_insert if dialect == "sqlite" else postgresql_insert
    claimed: set[int] = set()
    for start in range(0, len(rsvps), CLAIM_BATCH):
        rows = [
            {"rsvp_id": rsvp.id, "session_sequence": rsvp.session.sequence, "sent_at": now}
            for rsvp in rsvps[start : start + CLAIM_BATCH]
        ]
        statement = insert(SentReminder).values(rows).on_conflict_do_nothing().returning(SentReminder.rsvp_id)
        claimed.update(db.session.scalars(statement))
    return claimed


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Queue every reminder that is due and not yet queued; the caller commits."""
    now = now or utcnow()
    due = due_reminders(now)
    claimed = _claim(due, now) if due else set()
    cache: dict = {}  # each series' signature and text, each session's lines: once
    with queued_together():  # the mails and letters in one INSERT each
        for rsvp in due:
            if rsvp.id in claimed:
                queue_about(rsvp.invitation, "session_reminder", [rsvp.session], cache)
    db.session.flush()
    return len(claimed)
