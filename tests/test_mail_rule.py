"""One rule for "may we mail this person?" (``Person.can_be_mailed``), kept by every kind of mail.

Nobody who asked for their data to be deleted, was anonymised, withdrew from our mails or has
no address gets any mail; the one exception is the mail that confirms a deletion request.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from planner.evaluations.models import EvaluationRequest
from planner.evaluations.sending import send_due
from planner.invitations.models import Answer, Invitation
from planner.invitations.reminders import send_due_reminders
from planner.invitations.services import (
    InvitationError,
    answer,
    invite_people,
    remind_unanswered,
    resend_invitation,
)
from planner.mail.models import OutboxMessage
from planner.people.models import Person
from planner.privacy.own_data import cancel_deletion_request, request_deletion
from planner.series.services import cancel_session, publish_series, update_session
from planner.timekeeping import utcnow
from tests import evaluation_factories as ef, factories
from tests.factories import details_of

STATES = ["deletion_requested", "anonymised", "mail_withdrawn", "no_address"]


def put_in(person: Person, state: str) -> None:
    """Only the one fact changes: the address stays, so the rule (not a missing address) must hold."""
    if state == "deletion_requested":
        person.deletion_requested_at = utcnow()
    elif state == "anonymised":
        person.anonymised_at = utcnow()
    elif state == "mail_withdrawn":
        person.mail_withdrawn_at = utcnow()
    else:
        person.email = None


def mails_to(db, name: str) -> list[OutboxMessage]:
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_name == name).order_by(OutboxMessage.id)
    ).all()


def kinds(mails: list[OutboxMessage]) -> list[str]:
    """Which mail each one is, by its subject (Dutch, as both people here read Dutch)."""
    return [m.subject.split(": ", 1)[1] if ": " in m.subject else "(series title)" for m in mails]


@pytest.mark.parametrize("state", STATES)
def test_no_mail_of_the_invite_step_reaches_someone_we_may_not_mail(db, programme, organiser, state):
    series = factories.make_series(programme, organiser, count=4)
    first, second, third, fourth = series.sessions
    update_session(fourth, details_of(fourth, capacity=1))
    publish_series(series)
    quinn = factories.make_person(name="Quinn", email="quinn@example.org")
    ruth = factories.make_person(name="Ruth", email="ruth@example.org")
    sam = factories.make_person(name="Sam", email="sam@example.org")
    put_in(quinn, state)
    db.session.commit()
    assert not quinn.can_be_mailed
    assert ruth.can_be_mailed
    mailable = db.session.scalars(select(Person.name).where(Person.can_be_mailed).order_by(Person.name)).all()
    assert mailable == ["Ruth", "Sam"], "the same rule in SQL"

    invited = {i.person.name: i for i in invite_people(series, [quinn, ruth, sam]).invited}  # invitation
    on_paper = int(state == "no_address")  # Quinn without an address gets a letter instead
    assert remind_unanswered(series) == 2 + on_paper  # reminder to those who have not answered (Ruth, Sam)
    with pytest.raises(InvitationError) as refused:  # sending the invitation again
        resend_invitation(invited["Quinn"])
    resend_invitation(invited["Ruth"])
    for name in ("Quinn", "Ruth"):
        answer(invited[name], first, Answer.YES)  # calendar invite
        answer(invited[name], second, Answer.MAYBE)
        answer(invited[name], third, Answer.YES)
    answer(invited["Ruth"], third, Answer.NO)  # out of the calendar
    answer(invited["Quinn"], third, Answer.NO)
    update_session(first, details_of(first, day=first.local_start.date() + timedelta(days=1)))  # an update
    cancel_session(second, "Sneeuw")  # cancellation
    answer(invited["Sam"], fourth, Answer.YES)
    answer(invited["Quinn"], fourth, Answer.YES)  # both wait
    answer(invited["Ruth"], fourth, Answer.YES)
    update_session(fourth, details_of(fourth, capacity=3))  # both move up
    db.session.commit()
    assert send_due_reminders(now=first.starts_at - timedelta(hours=1)) == 1 + on_paper  # the session reminder
    db.session.commit()

    assert mails_to(db, "Quinn") == [], kinds(mails_to(db, "Quinn"))
    assert kinds(mails_to(db, "Ruth")) == [
        "(series title)",
        "kom je?",
        "(series title)",
        "in je agenda",
        "in je agenda",
        "in je agenda",
        "uit je agenda",
        "een bijeenkomst is veranderd",
        "een bijeenkomst gaat niet door",
        "je hebt een plek",
        "tot snel",
    ], "Ruth, whom we may mail, gets every kind"
    reasons = {
        "deletion_requested": "deletion_requested",
        "mail_withdrawn": "mail_withdrawn",
        "anonymised": "anonymised_not_mailed",
        "no_address": "no_email",
    }
    assert refused.value.code == reasons[state]
    if state == "anonymised":  # the mail refusal, not the one about changing a deleted person's record
        assert "geen mails meer" in refused.value.message, refused.value.message
    assert "Quinn" in refused.value.message or state == "anonymised", refused.value.message


@pytest.mark.parametrize("state", STATES)
def test_no_evaluation_mail_nor_reminder_reaches_someone_we_may_not_mail(app, db, programme, organiser, state):
    series = ef.past_series(programme, organiser, last_days_ago=5)
    earlier, last = series.sessions[-2], series.sessions[-1]  # a week apart
    quinn = ef.present(earlier, name="Quinn", email="quinn@example.org")
    ruth = ef.present(earlier, name="Ruth", email="ruth@example.org")
    ef.mark(last, quinn)
    ef.mark(last, ruth)
    asked = earlier.ends_at + timedelta(hours=3)
    assert send_due(now=asked).sent == 2, "both are asked about the earlier session while we may mail them"
    db.session.query(OutboxMessage).delete()
    put_in(quinn, state)
    db.session.commit()

    reminders = send_due(now=asked + timedelta(days=app.config["EVALUATION_REMINDER_DAYS"], minutes=1))
    requests = send_due(now=last.ends_at + timedelta(hours=3))
    db.session.commit()
    on_paper = int(state == "no_address")  # Quinn without an address gets the form on paper instead
    assert (reminders.reminded, requests.sent) == (1, 1 + on_paper), "one reminder and one evaluation mail to Ruth"
    assert mails_to(db, "Quinn") == []
    ruths = db.session.scalars(select(EvaluationRequest).where(EvaluationRequest.person_id == ruth.id)).all()
    assert sorted(m.reference for m in mails_to(db, "Ruth")) == sorted(r.mail_reference for r in ruths)


def _invitation_of(db, name: str) -> Invitation:
    return db.session.scalar(select(Invitation).join(Invitation.person).where(Person.name == name))


def test_a_deletion_request_is_confirmed_by_one_last_mail_and_drops_waiting_ones(db, programme, organiser):
    series = factories.make_series(programme, organiser)
    factories.make_invitation(series, name="Quinn", email="quinn@example.org", language="en")
    invitation = _invitation_of(db, "Quinn")
    assert [m.status for m in mails_to(db, "Quinn")] == ["queued"], "the invitation still waits to go out"

    assert request_deletion(invitation) is True
    db.session.commit()
    [confirmation] = mails_to(db, "Quinn")
    assert confirmation.subject == "Your request to delete your data", "in the person's language"
    assert "no more mails" in confirmation.body_text
    assert f"/i/{invitation.token}/my-data" in confirmation.body_text, "where the request can be taken back"

    assert request_deletion(invitation) is False, "asked twice: nothing new, no second mail"
    answer(invitation, series.sessions[0], Answer.YES)
    db.session.commit()
    assert mails_to(db, "Quinn") == [confirmation]

    assert cancel_deletion_request(invitation.person) is True
    answer(invitation, series.sessions[0], Answer.NO)
    db.session.commit()
    assert kinds(mails_to(db, "Quinn"))[-1] == "out of your calendar", "taken back: mail goes again"


def test_no_confirmation_to_someone_who_withdrew_from_our_mails(db, programme, organiser):
    series = factories.make_series(programme, organiser)
    factories.make_invitation(series, name="Quinn", email="quinn@example.org")
    invitation = _invitation_of(db, "Quinn")
    invitation.person.mail_withdrawn_at = utcnow()
    db.session.query(OutboxMessage).delete()
    db.session.commit()
    assert request_deletion(invitation) is True
    db.session.commit()
    assert mails_to(db, "Quinn") == []


def test_asking_for_deletion_on_the_own_page_queues_the_confirmation(client, db, programme, organiser):
    series = factories.make_series(programme, organiser)
    factories.make_invitation(series, name="Quinn", email="quinn@example.org")
    token = _invitation_of(db, "Quinn").token
    response = client.post(f"/i/{token}/my-data/delete")
    assert response.status_code == 302
    db.session.expire_all()
    subjects = [m.subject for m in mails_to(db, "Quinn")]
    assert subjects == ["Je vraag om je gegevens te verwijderen"], subjects
