"""Evaluation mails after a session, and one reminder: ``flask evaluations send`` (run from cron).

A session is due once it ended more than the series' delay ago, and for at most
``SEND_WITHIN`` after its end; cancelled sessions and unpublished or purged series are
skipped. Everyone marked present whom we may write to gets one request (unique per session
and person, so a second run, or a second machine, skips them) and one mail, queued in the
same transaction; someone without e-mail (``Person.needs_letter``) gets a letter with the form
on paper instead, with the same link and a short code (``planner.invitations.letters``).
Reminders go once, to those mailed who have not answered, ``EVALUATION_REMINDER_DAYS`` after
the first mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from planner.attendance.models import Attendance, Presence
from planner.evaluations.display import questions_view
from planner.evaluations.errors import EvaluationError
from planner.evaluations.models import EvaluationForm, EvaluationRequest
from planner.evaluations.services import evaluation_of, form_with_questions
from planner.extensions import db
from planner.invitations.codes import new_code
from planner.invitations.letters import record_letter
from planner.invitations.mails import signature_of
from planner.invitations.models import Invitation, LetterKind
from planner.invitations.services import new_token  # 192 random bits, as the invitation links
from planner.links import external_url
from planner.mail.services import queue_mail, queued_together
from planner.people.models import Person
from planner.series.models import Series, SeriesStatus, Session, SessionStatus
from planner.series.presentation import session_when
from planner.timekeeping import utcnow

SEND_WITHIN = timedelta(days=14)


@dataclass
class SendResult:
    sent: int = 0
    reminded: int = 0


def evaluation_link(request: EvaluationRequest) -> str:
    return external_url("evaluation_participant.answer", code=request.token)


def link_valid_until(session: Session) -> datetime:
    return session.ends_at + timedelta(days=current_app.config["EVALUATION_LINK_DAYS"])


def due_sessions(now: datetime) -> list[Session]:
    candidates = db.session.scalars(
        select(Session)
        .join(Session.series)
        .where(
            Session.status == SessionStatus.SCHEDULED,
            Session.ends_at <= now,
            Session.ends_at >= now - SEND_WITHIN,
            Series.status == SeriesStatus.PUBLISHED,
            Series.purged_at.is_(None),
        )
        .options(joinedload(Session.series))
        .order_by(Session.ends_at, Session.id)
    ).all()
    return [s for s in candidates if s.ends_at + timedelta(hours=s.series.evaluation_delay_hours) <= now]


def _people_to_ask(session: Session) -> list[Person]:
    asked = select(EvaluationRequest.id).where(
        EvaluationRequest.session_id == session.id, EvaluationRequest.person_id == Person.id
    )
    return list(
        db.session.scalars(
            select(Person)
            .join(Attendance, Attendance.person_id == Person.id)
            .where(
                Attendance.session_id == session.id,
                Attendance.status == Presence.PRESENT,
                Person.can_be_mailed | Person.needs_letter,
                ~asked.exists(),
            )
            .order_by(Person.id)
        )
    )


def _queue(request: EvaluationRequest, template: str, cache: dict) -> None:
    """The mail, its text and signature looked up once per series and language (``cache``)."""
    person, session = request.person, request.session
    if person.email is None:  # only people we may mail are asked: they have an address
        return
    with force_locale(person.language):
        when = session_when(session)
    queue_mail(
        to_address=person.email,
        to_name=person.name,
        language=person.language,
        template=template,
        context={
            "person": person,
            "series": session.series,
            "session": session,
            "when": when,
            "link": evaluation_link(request),
        },
        reference=request.mail_reference,
        programme_id=session.series.programme_id,
        signature=signature_of(session.series, cache),
        cache=cache,
        series_id=session.series_id,
        person_id=person.id,
    )


def _record_letter(request: EvaluationRequest, form: EvaluationForm | None, now: datetime) -> None:
    """The evaluation on paper for someone without e-mail, to print with the other letters."""
    person, session = request.person, request.session
    if form is None:  # the evaluation's foreign key keeps its form
        return
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.series_id == session.series_id, Invitation.person_id == person.id)
    )
    with force_locale(person.language):
        body = render_template(
            "evaluations/_letter_form.html",
            series=session.series,
            when=session_when(session),
            form=form,
            views=questions_view(form, person.language),
            language=person.language,
        )
    record_letter(
        kind=LetterKind.EVALUATION,
        person=person,
        series=session.series,
        invitation=invitation,
        session=session,
        body_html=body,
        link=evaluation_link(request),
        code=new_code(),
        now=now,
    )


def _ask(session: Session, now: datetime) -> int:
    """One request, and its mail or letter, for everyone present not asked yet; how many."""
    people = _people_to_ask(session)
    if not people:
        return 0
    evaluation = evaluation_of(session)  # sessions without a chosen form get the built-in session form
    paper = form_with_questions(evaluation.form_id) if any(p.needs_letter for p in people) else None
    sent = 0
    cache: dict = {}
    for person in people:
        request = EvaluationRequest(session_id=session.id, person_id=person.id, token=new_token(), sent_at=now)
        try:
            with db.session.begin_nested():  # another run got there first: skip, keep the rest
                db.session.add(request)
        except IntegrityError:
            continue
        request.person, request.session = person, session
        if person.needs_letter:
            _record_letter(request, paper, now)
        else:
            _queue(request, "evaluation", cache)
        sent += 1
    return sent


def send_requests(now: datetime) -> int:
    return sum(_ask(session, now) for session in due_sessions(now))


def may_send_now(session: Session, now: datetime) -> bool:
    """Whether the organiser can send this session's evaluation now, before the series' delay."""
    series = session.series
    return (
        not session.is_cancelled
        and session.ends_at <= now
        and session.ends_at >= now - SEND_WITHIN
        and series.status == SeriesStatus.PUBLISHED
        and series.purged_at is None
    )


def send_now(session: Session, *, now: datetime | None = None) -> int:
    """The evaluation of one finished session, now rather than after the series' delay: the same
    requests, mails and letters the job sends (which then skips everyone asked). How many."""
    now = now or utcnow()
    if not may_send_now(session, now):
        raise EvaluationError("evaluation_not_sendable", title=session.title)
    sent = _ask(session, now)
    if not sent:
        raise EvaluationError("nobody_to_evaluate", title=session.title)
    db.session.flush()
    return sent


def send_reminders(now: datetime) -> int:
    days = current_app.config["EVALUATION_REMINDER_DAYS"]
    if days <= 0:
        return 0
    link_days = timedelta(days=current_app.config["EVALUATION_LINK_DAYS"])
    due = (
        select(EvaluationRequest.id)
        .join(EvaluationRequest.person)
        .join(EvaluationRequest.session)
        .where(
            EvaluationRequest.token.is_not(None),
            EvaluationRequest.sent_at <= now - timedelta(days=days),
            Session.status == SessionStatus.SCHEDULED,
            Session.ends_at >= now - link_days,
            Person.can_be_mailed,
        )
    )
    # One statement claims them all; the conditions on the row itself are checked again by the
    # database for a row another run changed meanwhile (answered, or reminded just now).
    claimed = db.session.scalars(
        update(EvaluationRequest)
        .where(
            EvaluationRequest.id.in_(due),
            EvaluationRequest.reminded_at.is_(None),
            EvaluationRequest.answered.is_(False),
        )
        .values(reminded_at=now)
        .returning(EvaluationRequest.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return 0
    requests = db.session.scalars(
        select(EvaluationRequest)
        .where(EvaluationRequest.id.in_(claimed))
        .options(joinedload(EvaluationRequest.person), joinedload(EvaluationRequest.session).joinedload(Session.series))
        .order_by(EvaluationRequest.id)
    ).all()
    cache: dict = {}
    with queued_together():  # the mails in one INSERT
        for request in requests:
            _queue(request, "evaluation_reminder", cache)
    return len(requests)


def send_due(*, now: datetime | None = None) -> SendResult:
    """Queue every evaluation mail and reminder that is due and not yet queued; the caller commits."""
    now = now or utcnow()
    result = SendResult(sent=send_requests(now), reminded=send_reminders(now))
    db.session.flush()
    return result
