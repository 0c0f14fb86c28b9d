"""Inviting people, answering, and the waiting list, through the services."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from planner.errors import DomainError
from planner.invitations.models import Answer, Invitation, Letter, LetterKind, Rsvp, Seat
from planner.invitations.services import (
    add_person_by_hand,
    answer,
    invite_people,
    move_to_session,
    people_from_addresses,
    people_of_organisation,
    people_with_role,
    place_by_hand,
    remind_unanswered,
    resend_invitation,
    revoke_invitation,
    waiting_places,
)
from planner.mail.models import OutboxMessage
from planner.people.models import Organisation, Person
from planner.series.services import publish_series
from tests import factories


@pytest.fixture
def series(db, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    publish_series(series)
    db.session.commit()
    return series


def mails(db, reference=None):
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if reference:
        query = query.where(OutboxMessage.reference == reference)
    return db.session.scalars(query).all()


def with_capacity(db, session, capacity):
    session.capacity = capacity
    db.session.commit()
    return session


def test_invite_picked_people_to_the_whole_series_queues_one_mail_each(db, series, organiser):
    ann, bob = factories.make_person(name="Ann"), factories.make_person(name="Bob")
    result = invite_people(series, [ann, bob, ann], actor=organiser)
    db.session.commit()
    assert len(result.invited) == 2
    for invitation in result.invited:
        assert len(invitation.rsvps) == 4
        assert all(r.answer == Answer.PENDING and r.seat is None for r in invitation.rsvps)
        assert len(invitation.token) >= 22  # at least 128 bits, url-safe
    assert [m.to_address for m in mails(db)] == [ann.email, bob.email]
    assert result.invited[0].token != result.invited[1].token


def test_invite_an_organisation_a_role_and_pasted_addresses(db, series):
    org = Organisation(name="Buurtteam Gendt", municipality="Lingewaard")
    db.session.add(org)
    db.session.commit()
    member = factories.make_person(name="Mia", organisation_id=org.id)
    factories.make_person(name="Other")
    volunteer = factories.make_person(name="Vera", role="volunteer")
    assert people_of_organisation(org) == [member]
    assert people_with_role("volunteer") == [volunteer]
    pasted = people_from_addresses(
        "Kees <kees@example.org>, NEW@example.org;\nmia2@example.org kees@example.org",
        {"new@example.org": "Nel", "mia2@example.org": "Mia Twee"},
    )
    assert [p.email for p in pasted] == ["kees@example.org", "new@example.org", "mia2@example.org"]
    assert [p.name for p in pasted] == ["Kees", "Nel", "Mia Twee"]
    result = invite_people(series, [member, volunteer, *pasted])
    db.session.commit()
    assert len(result.invited) == 5
    assert db.session.scalar(select(func.count(Person.id))) == 6


def test_bad_pasted_addresses_invite_nobody(db, series):
    with pytest.raises(DomainError) as error:
        people_from_addresses("good@example.org, not-an-address")
    assert error.value.code == "invalid_emails"
    assert "not-an-address" in error.value.params["emails"]


def test_drafts_cannot_be_invited_to(db, programme, organiser):
    draft = factories.make_series(programme, organiser)
    with pytest.raises(DomainError) as error:
        invite_people(draft, [factories.make_person()])
    assert error.value.code == "series_not_published"


def test_unknown_role_is_refused(db):
    with pytest.raises(DomainError) as error:
        people_with_role("wizard")
    assert error.value.code == "unknown_role"


def test_inviting_again_adds_missing_sessions_without_duplicates(db, series):
    first, *_rest = series.sessions
    invitation = factories.make_invitation(series, sessions=[first])
    assert len(invitation.rsvps) == 1
    result = invite_people(series, [invitation.person])
    db.session.commit()
    assert result.extended == [invitation]
    assert not result.invited
    assert sorted(r.session_id for r in invitation.rsvps) == sorted(s.id for s in series.sessions)
    again = invite_people(series, [invitation.person])
    db.session.commit()
    assert again.unchanged == [invitation]
    assert db.session.scalar(select(func.count(Invitation.id))) == 1
    assert db.session.scalar(select(func.count(Rsvp.id))) == 4
    assert len(mails(db)) == 1, "only the first invitation sends a mail"


def test_cancelled_or_past_sessions_cannot_be_chosen(db, series):
    from planner.series.services import cancel_session

    cancel_session(series.sessions[0], "Zaal niet beschikbaar")
    db.session.commit()
    person = factories.make_person()
    with pytest.raises(DomainError) as error:
        invite_people(series, [person], [series.sessions[0]])
    assert error.value.code == "session_not_open"
    result = invite_people(series, [person])
    assert len(result.invited[0].rsvps) == 3


def test_the_invitation_mail_is_neutral_personal_and_mentions_nobody_else(db, app, series):
    series.sessions[0].theme = "Signalen herkennen"  # shown to the invitee, never in the subject
    series.sessions[0].online_url = "https://meet.example.org/gendt"
    db.session.commit()
    ann = factories.make_person(name="Ann Annema", email="ann@example.org")
    bob = factories.make_person(name="Bob Bobbema", email="bob@example.org", language="en")
    result = invite_people(series, [ann, bob])
    db.session.commit()
    by_address = {m.to_address: m for m in mails(db)}
    for invitation in result.invited:
        mail = by_address[invitation.person.email]
        other = bob if invitation.person is ann else ann
        assert mail.subject == "Ontmoeting Gendt"
        assert mail.reference == f"invitation:{invitation.id}"
        link = f"{app.config['BASE_URL']}/i/{invitation.token}"
        for body in (mail.body_text, mail.body_html):
            assert link in body
            assert "https://meet.example.org/gendt" in body
            assert other.name not in body
            assert other.email not in body
            assert "Armoede" not in body, "the learning studio's name stays out of the mail"
            assert "Signalen herkennen" in body
    assert "Hello Bob Bobbema" in by_address["bob@example.org"].body_text


def test_rolling_back_leaves_no_mail(db, series):
    person = factories.make_person()
    invite_people(series, [person])
    db.session.rollback()
    assert mails(db) == []
    assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_people_without_email_get_a_letter_not_a_mail(db, series):
    person = factories.make_person(name="Zonder Mail", email=None)
    result = invite_people(series, [person])
    db.session.commit()
    assert result.letters == result.invited
    assert mails(db) == []
    with pytest.raises(DomainError) as error:
        resend_invitation(result.invited[0])
    assert error.value.code == "no_email"


def test_a_round_writes_the_same_few_statements_for_thirty_people_as_for_three(app, db, series, organiser):
    from tests.test_query_counts import counted_queries

    def invite(count):
        people = [
            factories.make_person(email=None if n % 3 == 0 else f"round{count}-{n}@example.org") for n in range(count)
        ]
        other = factories.make_series(series.programme, organiser, count=4, title=f"Ontmoeting {count}")
        publish_series(other)
        db.session.commit()
        ids = [p.id for p in people]
        with counted_queries(app) as statements:  # from the people chosen on the form to the commit
            people = db.session.scalars(select(Person).where(Person.id.in_(ids))).all()
            result = invite_people(other, people, actor=organiser)
            db.session.commit()
        assert len(result.invited) == count
        assert len(result.letters) == count // 3 + (count % 3 > 0)
        queued = db.session.scalars(select(OutboxMessage).where(OutboxMessage.series_id == other.id)).all()
        assert sorted(m.to_address for m in queued) == sorted(p.email for p in people if p.email)
        assert all(m.body_text and m.subject for m in queued)
        letters = db.session.scalar(select(func.count(Letter.id)).where(Letter.series_id == other.id))
        assert letters == len(result.letters)
        assert all(len(i.rsvps) == 4 for i in result.invited)
        return len(statements)

    assert invite(30) == invite(3)


def test_answers_can_change_until_the_session_starts(db, series):
    invitation = factories.make_invitation(series)
    session = series.sessions[0]
    assert answer(invitation, session, "yes").seat == Seat.CONFIRMED
    assert answer(invitation, session, "maybe").seat is None
    rsvp = answer(invitation, session, "no")
    db.session.commit()
    assert (rsvp.answer, rsvp.seat) == (Answer.NO, None)
    with pytest.raises(DomainError) as error:
        answer(invitation, session, "yes", now=session.starts_at + timedelta(minutes=1))
    assert error.value.code == "session_started"
    with pytest.raises(DomainError) as error:
        answer(invitation, session, "perhaps")
    assert error.value.code == "unknown_answer"


def test_a_full_session_puts_yes_on_the_waiting_list_and_moves_up_with_a_mail(db, series):
    session = with_capacity(db, series.sessions[0], 2)
    people = [factories.make_invitation(series, name=f"P{n}") for n in range(5)]
    for invitation in people:
        answer(invitation, session, "yes")
    db.session.commit()
    seats = [(i.rsvps[0].seat, i.rsvps[0].waitlist_position) for i in people]
    assert seats == [("confirmed", None), ("confirmed", None), ("waiting", 1), ("waiting", 2), ("waiting", 3)]
    assert waiting_places(people[4]) == {session.id: 3}

    answer(people[0], session, "no")
    db.session.commit()
    assert people[2].rsvps[0].seat == Seat.CONFIRMED
    assert waiting_places(people[4]) == {session.id: 2}
    moved = mails(db, people[2].mail_reference)
    assert moved[-1].subject.startswith("Ontmoeting Gendt")
    assert people[2].token in moved[-1].body_text

    # A waiting person who says maybe leaves the list; nobody moves up.
    answer(people[3], session, "maybe")
    assert people[3].rsvps[0].seat is None
    assert people[4].rsvps[0].seat == Seat.WAITING
    assert waiting_places(people[4]) == {session.id: 1}


def test_revoking_frees_the_seat_and_stops_the_link(db, series):
    session = with_capacity(db, series.sessions[0], 1)
    first, second = factories.make_invitation(series), factories.make_invitation(series)
    answer(first, session, "yes")
    answer(second, session, "yes")
    revoke_invitation(first)
    db.session.commit()
    assert second.rsvps[0].seat == Seat.CONFIRMED
    assert first.rsvps[0].seat is None
    with pytest.raises(DomainError) as error:
        answer(first, session, "yes")
    assert error.value.code == "invitation_revoked"
    # Invited again: a new link, the old one stays dead.
    old_token = first.token
    invite_people(series, [first.person])
    db.session.commit()
    assert first.revoked_at is None
    assert first.token != old_token
    assert all(r.answer == Answer.PENDING and r.seat is None for r in first.rsvps)
    assert answer(first, session, "yes").seat == Seat.WAITING


def test_organiser_places_and_moves_by_hand(db, series, organiser):
    one, two = series.sessions[0], series.sessions[1]
    with_capacity(db, one, 1)
    with_capacity(db, two, 1)
    a, b = factories.make_invitation(series), factories.make_invitation(series)
    answer(a, one, "yes")
    answer(b, one, "yes")
    assert b.rsvps[0].seat == Seat.WAITING
    place_by_hand(b, one)
    db.session.commit()
    assert b.rsvps[0].seat == Seat.CONFIRMED  # over capacity, by choice

    move_to_session(a, one, two)
    db.session.commit()
    rsvps = {r.session_id: r for r in a.rsvps}
    assert rsvps[one.id].seat is None
    assert rsvps[two.id].seat == Seat.CONFIRMED

    newcomer = factories.make_person(name="Walk In")
    rsvp = add_person_by_hand(series, newcomer, two, actor=organiser)
    db.session.commit()
    assert rsvp.seat == Seat.CONFIRMED
    assert len(rsvp.invitation.rsvps) == 1


def test_reminders_go_to_those_who_have_not_answered(db, series):
    answered = factories.make_invitation(series, sessions=[series.sessions[0]])
    silent = factories.make_invitation(series)
    no_mail = factories.make_invitation(series, email=None)
    answer(answered, series.sessions[0], "yes")
    revoked = factories.make_invitation(series)
    revoke_invitation(revoked)
    db.session.commit()
    before = len(mails(db))
    assert remind_unanswered(series) == 2, "one mail and one letter"
    db.session.commit()
    reminder = mails(db)[-1]
    assert len(mails(db)) == before + 1
    assert reminder.to_address == silent.person.email
    assert silent.token in reminder.body_text
    [letter] = db.session.scalars(select(Letter).where(Letter.kind == LetterKind.REMINDER)).all()
    assert letter.invitation_id == no_mail.id, "the one without e-mail gets the reminder on paper"


def test_the_database_refuses_a_second_invitation_or_a_seat_without_yes(db, series):
    from sqlalchemy.exc import IntegrityError

    invitation = factories.make_invitation(series)
    db.session.add(Invitation(series=series, person=invitation.person, token="x" * 32))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    rsvp = invitation.rsvps[0]
    rsvp.seat = "confirmed"
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_demo_invitations_are_loaded_once_with_a_full_session(app, db):
    from planner.demo import load_demo
    from planner.invitations.demo import FIRST_SESSION_CAPACITY, load_demo_invitations

    assert load_demo()
    db.session.commit()
    assert not load_demo_invitations()
    result = app.test_cli_runner().invoke(args=["demo"])
    assert "already there" in result.output
    assert "invitations added" not in result.output
    seats = db.session.execute(
        select(Rsvp.seat, func.count(Rsvp.id)).group_by(Rsvp.seat).where(Rsvp.seat.is_not(None))
    ).all()
    counts = dict(seats)
    assert counts["waiting"] == 2
    assert counts["confirmed"] >= FIRST_SESSION_CAPACITY
    assert db.session.scalar(select(func.count(Invitation.id))) == 14
