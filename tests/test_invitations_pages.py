"""The organiser's invitation pages: inviting, the lists per session, actions and access."""

import re

import pytest
from sqlalchemy import func, select

from planner.invitations.models import Invitation, Rsvp, Seat
from planner.invitations.services import answer
from planner.mail.models import OutboxMessage
from planner.people.models import Organisation, Person
from planner.series.services import publish_series
from tests import factories
from tests.conftest import login
from tests.test_query_counts import queries_for


@pytest.fixture
def series(db, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    publish_series(series)
    db.session.commit()
    return series


def page_of(series):
    return f"/series/{series.id}/invitations"


def english(client):
    client.post("/language", data={"lang": "en"})


def count(db, model):
    return db.session.scalar(select(func.count(model.id)))


def test_the_series_page_links_to_the_invitations(organiser_client, series):
    assert page_of(series) in organiser_client.get(f"/series/{series.id}").get_data(as_text=True)


def test_invite_pasted_addresses_to_chosen_sessions(organiser_client, db, series):
    english(organiser_client)
    first, second = series.sessions[0], series.sessions[1]
    response = organiser_client.post(
        page_of(series),
        data={
            "emails": "Ann <ann@example.org>\nBob <bob@example.org>",
            "sessions": [first.id, second.id],
            "send_confirmed": "1",  # past the preview
        },
    )
    assert response.status_code == 302
    page = organiser_client.get(page_of(series)).get_data(as_text=True)
    assert "2 invited" in page
    assert "Ann" in page
    assert "Bob" in page
    assert count(db, Invitation) == 2
    assert count(db, Rsvp) == 4
    assert count(db, OutboxMessage) == 2
    assert "Mail waiting to be sent" in page


def test_invite_picked_people_an_organisation_and_a_role(organiser_client, db, series):
    org = Organisation(name="Rijnstad", municipality="Arnhem")
    db.session.add(org)
    db.session.commit()
    picked = factories.make_person(name="Piet Gekozen")
    factories.make_person(name="Olaf Org", organisation_id=org.id)
    factories.make_person(name="Vera Vrijwilliger", role="volunteer")
    factories.make_person(name="Niet Uitgenodigd")
    page = organiser_client.get(page_of(series) + "?q=gekozen").get_data(as_text=True)
    assert "Piet Gekozen" in page
    assert "Niet Uitgenodigd" not in page
    response = organiser_client.post(
        page_of(series),
        data={
            "people": [picked.id],
            "organisation": org.id,
            "role": "volunteer",
            "sessions": [s.id for s in series.sessions],
            "send_confirmed": "1",
        },
    )
    assert response.status_code == 302
    invited = set(db.session.scalars(select(Person.name).join(Invitation, Invitation.person_id == Person.id)))
    assert invited == {"Piet Gekozen", "Olaf Org", "Vera Vrijwilliger"}
    # The same again invites nobody twice.
    organiser_client.post(page_of(series), data={"people": [picked.id], "sessions": [s.id for s in series.sessions]})
    assert count(db, Invitation) == 3
    assert count(db, OutboxMessage) == 3


def test_bad_input_is_a_message_not_a_server_error_and_nothing_is_saved(organiser_client, db, series):
    english(organiser_client)
    cases = [
        {"emails": "good@example.org, not-an-address", "sessions": [series.sessions[0].id]},
        {"emails": "good@example.org", "sessions": []},
        {"sessions": [series.sessions[0].id]},
        {"people": [999999], "sessions": [series.sessions[0].id]},
        {"role": "wizard", "sessions": [series.sessions[0].id]},
        {"organisation": "abc", "sessions": [series.sessions[0].id]},
    ]
    for data in cases:
        response = organiser_client.post(page_of(series), data=data)
        assert 400 <= response.status_code < 500, data
    assert (
        organiser_client.post(page_of(series), data={"emails": "x@example.org", "sessions": [999999]}).status_code
        == 404
    )
    page = organiser_client.post(page_of(series), data=cases[0]).get_data(as_text=True)
    assert "not-an-address" in page
    assert "Nobody was invited" in page
    assert count(db, Person) == 0
    assert count(db, Invitation) == 0
    assert count(db, OutboxMessage) == 0


def test_lists_per_session_with_waiting_list_in_order(organiser_client, db, series):
    english(organiser_client)
    session = series.sessions[0]
    session.capacity = 1
    db.session.commit()
    names = ["Anna", "Bram", "Cor", "Dina", "Eva"]
    invitations = [factories.make_invitation(series, name=name) for name in names]
    for invitation in invitations[:3]:
        answer(invitation, session, "yes")
    answer(invitations[3], session, "no")
    db.session.commit()
    page = organiser_client.get(page_of(series)).get_data(as_text=True)
    assert "1 of 1 places taken" in page
    counts = page.split("places taken")[1].split("</tr>")[0]
    assert re.findall(r": </span>(\d+)</td>", counts) == ["2", "0", "1", "1"]  # waiting, maybe, no, not answered
    assert re.search(r'grid-name">Bram<.*?>Waiting list 1</span>', page, re.S)
    assert re.search(r'grid-name">Cor<.*?>Waiting list 2</span>', page, re.S)


def test_revoke_resend_remind_and_place_by_hand(organiser_client, db, series):
    english(organiser_client)
    session = series.sessions[0]
    session.capacity = 1
    db.session.commit()
    first, second = factories.make_invitation(series, name="Eerste"), factories.make_invitation(series, name="Tweede")
    answer(first, session, "yes")
    answer(second, session, "yes")
    db.session.commit()
    mails_before = count(db, OutboxMessage)

    assert organiser_client.post(f"{page_of(series)}/{first.id}/revoke").status_code == 302
    db.session.expire_all()
    assert db.session.get(Rsvp, second.rsvps[0].id).seat == Seat.CONFIRMED
    assert organiser_client.get(f"/i/{first.token}").status_code == 404

    assert organiser_client.post(f"{page_of(series)}/{second.id}/resend").status_code == 302
    assert organiser_client.post(f"{page_of(series)}/remind").status_code == 302
    page = organiser_client.get(page_of(series)).get_data(as_text=True)
    assert "Reminder queued for 1 person" in page
    # calendar cancel for the withdrawn person + moved-up mail (with its invite) + resent invitation + reminder
    assert count(db, OutboxMessage) == mails_before + 4

    third = factories.make_invitation(series, name="Derde")
    response = organiser_client.post(
        f"{page_of(series)}/bulk",
        data={
            "chosen": third.id,
            "action": "place",
            "session": session.id,
            "over_capacity": "y",
            "send_confirmed": "1",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (
        db.session.scalar(select(func.count(Rsvp.id)).where(Rsvp.session_id == session.id, Rsvp.seat == "confirmed"))
        == 2
    )

    # Move Derde to the second session.
    response = organiser_client.post(
        f"{page_of(series)}/bulk",
        data={
            "chosen": third.id,
            "action": "move",
            "session": series.sessions[1].id,
            "from_session": session.id,
            "send_confirmed": "1",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    seats = {r.session_id: r.seat for r in db.session.get(Invitation, third.id).rsvps}
    assert seats[session.id] is None
    assert seats[series.sessions[1].id] == "confirmed"


def test_mail_status_and_error_are_shown(organiser_client, db, series):
    english(organiser_client)
    invitation = factories.make_invitation(series, name="Fout Adres")
    message = db.session.scalar(select(OutboxMessage))
    message.status, message.last_error = "failed", "550 5.1.1 mailbox unavailable"
    db.session.commit()
    page = organiser_client.get(page_of(series)).get_data(as_text=True)
    assert "Mail failed" in page
    assert "550 5.1.1 mailbox unavailable" in page
    assert invitation.person.name in page


def test_letters_with_a_qr_code_for_people_without_email(organiser_client, db, series, app):
    english(organiser_client)
    without = factories.make_invitation(series, name="Zonder Mail", email=None)
    factories.make_invitation(series, name="Met Mail")
    page = organiser_client.get(f"/series/{series.id}/letters")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Zonder Mail" in text
    assert "Met Mail" not in text
    assert f"{app.config['BASE_URL']}/i/{without.token}" in text
    assert 'src="data:image/svg+xml' in text
    assert "invitations.css" in text
    single = organiser_client.get(f"{page_of(series)}/{without.id}/letter")
    assert single.status_code == 200
    assert without.token in single.get_data(as_text=True)


def test_letter_in_the_persons_language(organiser_client, db, series):
    invitation = factories.make_invitation(series, name="Emma", email=None, language="en")
    text = organiser_client.get(f"{page_of(series)}/{invitation.id}/letter").get_data(as_text=True)
    assert "Hello Emma," in text
    assert "Scan the code" in text


def test_other_programmes_organisers_get_404(client, db, series, programme):
    other = factories.make_programme(name="JIP")
    stranger = factories.make_user(email="stranger@example.org")
    factories.add_member(other, stranger, "organiser")
    trekker = factories.make_user(email="trekker@example.org")
    factories.add_member(programme, trekker, "trekker")
    db.session.commit()
    invitation = factories.make_invitation(series, email=None)
    urls = [
        page_of(series),
        f"/series/{series.id}/letters",
        f"{page_of(series)}/{invitation.id}/letter",
        f"{page_of(series)}/export.csv",
        f"{page_of(series)}/export.xlsx",
    ]
    posts = [
        page_of(series),
        f"{page_of(series)}/{invitation.id}/revoke",
        f"{page_of(series)}/{invitation.id}/resend",
        f"{page_of(series)}/remind",
        f"{page_of(series)}/bulk",
    ]
    for user in (stranger, trekker):
        login(client, user.email)
        for url in urls:
            assert client.get(url).status_code == 404, (user.email, url)
        for url in posts:
            data = {"emails": "a@example.org", "chosen": invitation.id, "action": "withdraw", "confirmed": "y"}
            assert client.post(url, data=data).status_code == 404, (user.email, url)
        client.post("/logout")
    assert db.session.get(Invitation, invitation.id).revoked_at is None
    assert client.get(page_of(series)).status_code == 302  # anonymous: to the login page


def test_an_invitation_of_another_series_is_404(organiser_client, db, series, programme, organiser):
    other = factories.make_series(programme, organiser, title="Andere reeks")
    invitation = factories.make_invitation(other)
    assert organiser_client.post(f"{page_of(series)}/{invitation.id}/revoke").status_code == 404
    assert organiser_client.get(f"{page_of(series)}/{invitation.id}/letter").status_code == 404


def test_the_invitations_page_asks_a_fixed_number_of_queries(app, organiser_client, db, series):
    factories.make_invitation(series)
    few = queries_for(app, organiser_client, page_of(series))
    org = Organisation(name="Bindkracht10", municipality="Nijmegen")
    db.session.add(org)
    db.session.commit()
    session = series.sessions[0]
    session.capacity = 2
    db.session.commit()
    for n in range(12):
        invitation = factories.make_invitation(
            series, name=f"Deelnemer {n}", organisation_id=org.id, email=None if n % 4 == 0 else f"d{n}@example.org"
        )
        answer(invitation, session, ["yes", "no", "maybe"][n % 3])
    db.session.commit()
    many = queries_for(app, organiser_client, page_of(series))
    assert many == few, f"{few} queries with one invitation, {many} with thirteen"


def test_raised_capacity_gives_free_places_to_the_waiting_list(organiser_client, db, series):
    english(organiser_client)
    session = series.sessions[0]
    session.capacity = 1
    db.session.commit()
    invitations = [factories.make_invitation(series, name=f"Wachter {n}") for n in range(4)]
    for invitation in invitations:
        answer(invitation, session, "yes")
    session.capacity = 3
    db.session.commit()
    last_mail = db.session.scalar(select(func.max(OutboxMessage.id)))
    page = organiser_client.get(page_of(series)).get_data(as_text=True)
    assert "Give the free places to the waiting list" in page
    shown = organiser_client.post(f"{page_of(series)}/sessions/{session.id}/fill")
    assert "2 people get a mail" in shown.get_data(as_text=True), "two places: shown before it goes"
    response = organiser_client.post(f"{page_of(series)}/sessions/{session.id}/fill", data={"send_confirmed": "1"})
    assert response.status_code == 302
    page = organiser_client.get(page_of(series)).get_data(as_text=True)
    assert "2 people moved up" in page
    assert "3 of 3 places taken" in page
    assert "Give the free places to the waiting list" not in page
    moved = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id > last_mail)).all()
    assert {m.to_address for m in moved} == {invitations[1].person.email, invitations[2].person.email}
