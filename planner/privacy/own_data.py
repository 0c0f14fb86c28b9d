"""A person's own data, as they may see and download it, and what they may ask of us.

Only what is linked to the person is shown. Anonymous evaluation answers are not linked to
anyone, so they cannot be found here (nor anywhere else).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from planner.attendance.models import Attendance, DoorCheckIn
from planner.evaluations.kinds import kind_of
from planner.evaluations.models import EvaluationAnswer, EvaluationQuestion, EvaluationResponse
from planner.extensions import db
from planner.invitations.models import Invitation, Rsvp
from planner.links import external_url
from planner.mail.models import MailStatus, OutboxMessage
from planner.mail.services import queue_mail
from planner.people.models import Person
from planner.series.models import Session
from planner.timekeeping import utcnow


def collect_own_data(person: Person) -> dict:
    """Everything stored about this person, as plain data (datetimes stay datetimes)."""
    language = person.language
    invitations = db.session.scalars(
        select(Invitation)
        .where(Invitation.person_id == person.id)
        .order_by(Invitation.created_at, Invitation.id)
        .options(selectinload(Invitation.series), selectinload(Invitation.rsvps).selectinload(Rsvp.session))
    ).all()
    attendance = db.session.scalars(
        select(Attendance)
        .join(Attendance.session)
        .where(Attendance.person_id == person.id)
        .order_by(Session.starts_at, Session.id)
        .options(selectinload(Attendance.session).selectinload(Session.series))
    ).all()
    door_check_ins = db.session.scalars(
        select(DoorCheckIn)
        .join(Session, Session.id == DoorCheckIn.session_id)
        .where(DoorCheckIn.person_id == person.id)
        .order_by(Session.starts_at, Session.id)
        .options(selectinload(DoorCheckIn.session).selectinload(Session.series))
    ).all()
    responses = db.session.scalars(
        select(EvaluationResponse)
        .join(EvaluationResponse.session)
        .where(EvaluationResponse.person_id == person.id, EvaluationResponse.anonymous.is_(False))
        .order_by(Session.starts_at, Session.id)
        .options(
            selectinload(EvaluationResponse.session),
            selectinload(EvaluationResponse.form),
            selectinload(EvaluationResponse.answers)
            .selectinload(EvaluationAnswer.question)
            .selectinload(EvaluationQuestion.options),
            selectinload(EvaluationResponse.answers).selectinload(EvaluationAnswer.option),
        )
    ).all()
    return {
        "person": {
            "name": person.name,
            "email": person.email or "",
            "phone": person.phone,
            "role": str(person.role.label),
            "organisation": str(person.organisation) if person.organisation else "",
            "municipality": person.municipality,
            "language": person.language,
            "under_16": person.under_16,
            "guardian_consent_on": person.guardian_consent_on,
            "guardian_consent_by": person.guardian_consent_by,
            "created_at": person.created_at,
            "mail_withdrawn_at": person.mail_withdrawn_at,
            "deletion_requested_at": person.deletion_requested_at,
        },
        "consents": [
            {"purpose": str(c.purpose.label), "given": c.given, "recorded_at": c.recorded_at} for c in person.consents
        ],
        "invitations": [_invitation(invitation) for invitation in invitations],
        "attendance": [
            {
                "series": row.session.series.title,
                "session": row.session.title,
                "starts_at": row.session.starts_at,
                "status": str(row.status.label),
            }
            for row in attendance
        ],
        # A name typed on the door link that the organiser has not confirmed or undone yet.
        "door_check_ins": [
            {
                "series": row.session.series.title,
                "session": row.session.title,
                "starts_at": row.session.starts_at,
                "asked_at": row.asked_at,
            }
            for row in door_check_ins
        ],
        "evaluations": [_response(response, language) for response in responses],
    }


def _invitation(invitation: Invitation) -> dict:
    rsvps = sorted(invitation.rsvps, key=lambda r: (r.session.starts_at, r.session_id))
    return {
        "series": invitation.series.title,
        "invited_at": invitation.created_at,
        "link_withdrawn": invitation.is_revoked or invitation.token is None,
        "learning_question": invitation.learning_question,
        "needs": {
            "access": invitation.needs_access,
            "interpreter": invitation.needs_interpreter,
            "childcare": invitation.needs_childcare,
            "other": invitation.needs_other,
        },
        "sessions": [
            {
                "session": rsvp.session.title,
                "starts_at": rsvp.session.starts_at,
                "answer": str(rsvp.answer.label),
                "answered_at": rsvp.answered_at,
                "seat": str(rsvp.seat.label) if rsvp.seat else "",
                "answered_via": str(rsvp.answered_via.label) if rsvp.answered_via else "",
                "proposal": _proposal(rsvp),
            }
            for rsvp in rsvps
        ],
    }


def _proposal(rsvp: Rsvp) -> dict | None:
    """Another time the person proposed from their calendar, as we keep it for the organiser."""
    if rsvp.proposed_at is None:
        return None
    return {
        "starts_at": rsvp.proposed_starts_at,
        "ends_at": rsvp.proposed_ends_at,
        "proposed_at": rsvp.proposed_at,
        "comment": rsvp.proposal_comment,
    }


def _response(response: EvaluationResponse, language: str) -> dict:
    by_question: dict[int, dict] = {}
    for answer in sorted(response.answers, key=lambda a: (a.question.position, a.id)):
        question = answer.question
        entry = by_question.setdefault(question.id, {"question": question.text(language), "answers": []})
        shown = kind_of(question).answer_text(answer, question, language)
        if shown:
            entry["answers"].append(shown)
    return {
        "session": response.session.title,
        "starts_at": response.session.starts_at,
        "form": response.form.title(language),
        "submitted_at": response.submitted_at,
        "answers": list(by_question.values()),
    }


def as_json_ready(value):
    """Dates as ISO 8601 text, so the download reads the same everywhere."""
    if isinstance(value, dict):
        return {key: as_json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json_ready(item) for item in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


# What the person may ask. Each returns whether anything changed; the route records it.


def _drop_waiting_mail(person: Person) -> None:
    """Mails already waiting in the outbox do not go out either."""
    if person.email:
        db.session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.to_address == person.email, OutboxMessage.status == MailStatus.QUEUED
            )
        )


def withdraw_from_mail(person: Person, *, now: datetime | None = None) -> bool:
    """No more invitation mails, reminders, calendar updates or evaluation mails."""
    if person.mail_withdrawn_at is not None:
        return False
    person.mail_withdrawn_at = now or utcnow()
    _drop_waiting_mail(person)
    return True


def resume_mail(person: Person) -> bool:
    if person.mail_withdrawn_at is None:
        return False
    person.mail_withdrawn_at = None
    return True


def request_deletion(invitation: Invitation, *, now: datetime | None = None) -> bool:
    """Asks an organiser to delete the data of this invitation's person; an organiser carries it out.

    From now on the person gets no mail of any kind (``Person.can_be_mailed``) and mails still
    waiting are dropped, except one: a short mail, in their language, that confirms the request
    and links to the page where they can take it back. It goes only to someone we could mail
    until now (not to someone who withdrew from our mails).
    """
    person = invitation.person
    if person.deletion_requested_at is not None:
        return False
    confirm = person.can_be_mailed
    person.deletion_requested_at = now or utcnow()
    _drop_waiting_mail(person)
    if confirm and person.email is not None:  # can_be_mailed says it has one
        queue_mail(
            to_address=person.email,
            to_name=person.name,
            language=person.language,
            template="deletion_requested",
            context={"person": person, "link": external_url("privacy.my_data", token=invitation.token)},
            reference=f"person:{person.id}",
            series_id=invitation.series_id,
            person_id=person.id,
        )
    return True


def cancel_deletion_request(person: Person) -> bool:
    if person.deletion_requested_at is None or person.anonymised_at is not None:
        return False
    person.deletion_requested_at = None
    return True
