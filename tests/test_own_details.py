"""Participants correct their own name, phone and language on their personal page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from planner.audit.models import AuditEvent
from planner.errors import DomainError
from planner.invitations.services import remind_unanswered
from planner.mail.models import OutboxMessage
from planner.people.models import Person
from planner.people.services import update_own_details
from tests import factories


@pytest.fixture
def invitation(db, programme, organiser):
    series = factories.make_series(programme, organiser, title="Ontmoeting Gendt")
    return factories.make_invitation(
        series, name="mirjam.nieuw", email="mirjam@example.org", phone="", language="nl", municipality="Lingewaard"
    )


def url(invitation) -> str:
    return f"/i/{invitation.token}"


def post_details(client, invitation, **values):
    data = {f"details-{key}": value for key, value in values.items()}
    return client.post(f"/i/{invitation.token}/details", data=data)


def test_the_page_offers_the_own_details_filled_in(client, invitation):
    page = client.get(url(invitation)).get_data(as_text=True)
    assert "Je gegevens" in page
    assert 'name="details-name"' in page
    assert 'value="mirjam.nieuw"' in page
    assert 'name="details-phone"' in page
    [dutch] = re.findall(r'<input[^>]*id="details-language-0"[^>]*>', page)
    assert 'value="nl"' in dutch
    assert "checked" in dutch


def test_a_participant_corrects_name_phone_and_language_and_it_is_audited_as_their_own(client, db, invitation):
    response = post_details(client, invitation, name="Mirjam", phone="06 1234 5678", language="en")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/i/{invitation.token}#details")
    db.session.expire_all()
    person = db.session.get(Person, invitation.person_id)
    assert (person.name, person.phone, person.language) == ("Mirjam", "06 1234 5678", "en")
    assert person.email == "mirjam@example.org", "the address is not theirs to change here"
    assert person.municipality == "Lingewaard", "the rest of the record stays"
    page = client.get(url(invitation)).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Your details have been saved" in page
    assert "Hello Mirjam." in page
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "person")).all()
    assert (event.actor, event.action, event.object_id) == ("participant", "change", str(person.id))
    assert event.detail == "by the person: name,phone,language"
    assert "Mirjam" not in event.detail


def test_the_next_mail_comes_in_the_language_chosen(client, db, invitation):
    post_details(client, invitation, name="Mirjam", phone="", language="en")
    db.session.expire_all()
    series = db.session.merge(invitation.series)
    remind_unanswered(series)
    db.session.commit()
    reminder = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert reminder.to_address == "mirjam@example.org"
    assert reminder.language == "en"
    assert "Mirjam" in reminder.body_text
    assert reminder.to_name == "Mirjam"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"name": "   ", "phone": "", "language": "nl"}, "Enter your name."),
        ({"name": "x" * 121, "phone": "", "language": "nl"}, "Field cannot be longer than 120 characters."),
        ({"name": "Mirjam", "phone": "1" * 41, "language": "nl"}, "Field cannot be longer than 40 characters."),
        ({"name": "Mirjam", "phone": "", "language": "fr"}, "Unknown language"),
    ],
)
def test_refused_details_say_why_and_change_nothing(client, db, invitation, values, message):
    client.post(f"/i/{invitation.token}/language", data={"lang": "en"})
    db.session.expire_all()
    recorded = len(db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "person")).all())
    response = post_details(client, invitation, **values)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    person = db.session.get(Person, invitation.person_id)
    assert (person.name, person.phone) == ("mirjam.nieuw", "")
    assert len(db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "person")).all()) == recorded


def test_the_service_checks_as_the_person_form_does(db, invitation):
    person = invitation.person
    with pytest.raises(DomainError) as refused:
        update_own_details(person, name="", phone="", language="nl")
    assert refused.value.code == "name_required"
    with pytest.raises(DomainError) as refused:
        update_own_details(person, name="Mirjam", phone="", language="de")
    assert refused.value.code == "unknown_language"
    assert update_own_details(person, name="Mirjam", phone="", language="nl") == ["name"]
    assert update_own_details(person, name="Mirjam", phone="", language="nl") == []


def test_someone_else_link_or_a_wrong_token_changes_nobody(client, db, invitation):
    response = client.post("/i/not-a-token/details", data={"details-name": "X", "details-language": "nl"})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Person, invitation.person_id).name == "mirjam.nieuw"


def test_the_header_language_switch_on_the_page_is_their_own_change_too(client, db, invitation):
    client.post(f"/i/{invitation.token}/language", data={"lang": "en"})
    client.post(f"/i/{invitation.token}/language", data={"lang": "en"})  # unchanged: nothing recorded
    db.session.expire_all()
    assert db.session.get(Person, invitation.person_id).language == "en"
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "person")).all()
    assert [(e.actor, e.detail) for e in events] == [("participant", "by the person: language")]
