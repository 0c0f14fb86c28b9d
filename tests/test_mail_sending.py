"""See before you send, the note, the typo fix that mails nobody, and the mail log of a series."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from planner.extensions import db as _db
from planner.invitations.letters import count_letters_to_print
from planner.invitations.models import Answer, Invitation
from planner.invitations.seats import answer
from planner.mail.models import MailSending, MailStatus, OutboxMessage
from planner.people.models import Person
from planner.series.models import Session
from tests import factories


def mails() -> list[OutboxMessage]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def fresh(model, id_):
    """The row as it is in the database now (the pages' requests changed it)."""
    _db.session.expire_all()
    return _db.session.get(model, id_)


def count(model) -> int:
    return _db.session.scalar(select(func.count()).select_from(model)) or 0


def coming(series, *people) -> list[Invitation]:
    """Invitations of these people (overrides for make_person) who said yes to the first session."""
    invitations = [factories.make_invitation(series, **person) for person in people]
    for invitation in invitations:
        answer(invitation, series.sessions[0], Answer.YES)
    _db.session.commit()
    return invitations


def test_remind_shows_each_language_first_and_sends_only_when_confirmed(organiser_client, programme, organiser):
    series = factories.make_series(programme, organiser)
    factories.make_invitation(series, name="Anna", email="anna@example.org")
    factories.make_invitation(series, name="Bob", email="bob@example.org", language="en")
    factories.make_invitation(series, name="Carla", email=None)
    queued_before = len(mails())
    url = f"/series/{series.id}/invitations/remind"

    shown = organiser_client.post(url)
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "2 mensen krijgen een mail" in page, "the count of mails"
    assert "1 krijgt een geprinte brief" in page, "the count of letters"
    assert "In het Nederlands" in page, "a sample for the Dutch group"
    assert "In het Engels" in page, "a sample for the English group"
    assert "will you come?" in page, "the English subject is shown as Bob gets it"
    assert len(mails()) == queued_before, "a preview queues nothing"
    assert count(MailSending) == 0

    sent = organiser_client.post(url, data={"send_confirmed": "1", "mail_note": "Koffie staat klaar!"})
    assert sent.status_code == 302
    reminders = [m for m in mails() if m.kind == "reminder"]
    assert sorted(m.to_address for m in reminders) == ["anna@example.org", "bob@example.org"]
    assert all("Koffie staat klaar!" in m.body_text and "Koffie staat klaar!" in m.body_html for m in reminders)
    sending = _db.session.scalars(select(MailSending)).one()
    assert (sending.kind, sending.mail_count, sending.letter_count) == ("reminder", 2, 1)
    assert {m.sending_id for m in reminders} == {sending.id}
    grid = organiser_client.get(f"/series/{series.id}/invitations").get_data(as_text=True)
    assert "Laatste herinnering" in grid, "the remind button says when it was last sent"
    assert "aan 3 mensen" in grid, "and to how many"


def test_a_preview_hides_the_personal_link(organiser_client, programme, organiser):
    series = factories.make_series(programme, organiser)
    invitations = [factories.make_invitation(series, email=f"p{n}@example.org") for n in range(2)]
    page = organiser_client.post(f"/series/{series.id}/invitations/remind").get_data(as_text=True)
    assert "••••••••" in page
    assert all(invitation.token not in page for invitation in invitations)


def test_a_second_remind_within_the_hour_asks_first_even_for_one_person(organiser_client, programme, organiser):
    series = factories.make_series(programme, organiser)
    factories.make_invitation(series, email="anna@example.org")
    url = f"/series/{series.id}/invitations/remind"
    assert organiser_client.post(url).status_code == 302, "one person: sent at once"
    assert len([m for m in mails() if m.kind == "reminder"]) == 1

    again = organiser_client.post(url)
    assert again.status_code == 200
    assert "Deze mail ging al" in again.get_data(as_text=True), "the page says it went out already"
    assert len([m for m in mails() if m.kind == "reminder"]) == 1, "nothing sent by the second click"

    sending = _db.session.scalars(select(MailSending)).one()
    sending.created_at -= timedelta(hours=2)
    _db.session.commit()
    assert organiser_client.post(url).status_code == 302, "hours later it is an ordinary reminder"


def test_inviting_shows_first_and_a_preview_stores_nobody(organiser_client, programme, organiser):
    series = factories.make_series(programme, organiser)
    factories.make_invitation(series, email="first@example.org")
    people, invitations = count(Person), count(Invitation)
    data = {
        "emails": "Nina Nieuw <nina@example.org>\nOtto Oud <otto@example.org>",
        "sessions": [str(s.id) for s in series.sessions],
    }
    shown = organiser_client.post(f"/series/{series.id}/invitations", data=data)
    assert shown.status_code == 200
    assert "2 mensen krijgen een mail" in shown.get_data(as_text=True)
    assert (count(Person), count(Invitation)) == (people, invitations), "nothing stored by the preview"

    organiser_client.post(f"/series/{series.id}/invitations", data=data | {"send_confirmed": "1"})
    assert (count(Person), count(Invitation)) == (people + 2, invitations + 2)
    assert {m.to_address for m in mails() if m.kind == "invitation"} >= {"nina@example.org", "otto@example.org"}


def test_a_typo_in_the_title_changes_calendars_without_a_mail_unless_chosen(organiser_client, programme, organiser):
    series = factories.make_series(programme, organiser)
    coming(series, {"email": "a@example.org"}, {"email": "b@example.org"})
    before, sequence = len(mails()), series.sessions[0].sequence
    data = {"title": "Ontmoeting Gendt (gecorrigeerd)", "venue": "0", "reminder_days": "2"}

    saved = organiser_client.post(f"/series/{series.id}/edit", data=data)
    assert saved.status_code == 302
    assert len(mails()) == before, "a corrected title mails nobody by default"
    assert fresh(Session, series.sessions[0].id).sequence == sequence + 1, "calendars still follow"

    data = data | {"title": "Ontmoeting Gendt, nieuwe naam", "tell_participants": "y"}
    shown = organiser_client.post(f"/series/{series.id}/edit", data=data)
    assert shown.status_code == 200
    assert "2 mensen krijgen een mail" in shown.get_data(as_text=True)
    organiser_client.post(f"/series/{series.id}/edit", data=data | {"send_confirmed": "1"})
    updates = [m for m in mails() if m.kind == "session_changed"]
    assert sorted(m.to_address for m in updates) == ["a@example.org", "b@example.org"]
    assert all("nieuwe naam" in m.body_text for m in updates)


def test_a_move_shows_first_and_puts_letters_on_the_to_do_list(organiser_client, programme, organiser):
    series = factories.make_series(programme, organiser)
    coming(series, {"email": "a@example.org"}, {"name": "Piet Papier", "email": None})
    session = series.sessions[0]
    later = session.local_start.date() + timedelta(days=1)
    url = f"/series/{series.id}/sessions/{session.id}/edit"
    letters = count_letters_to_print([series.id])

    shown = organiser_client.post(url, data=factories.session_form(session, day=later.isoformat()))
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200
    assert "1 persoon krijgt een mail" in page
    assert "1 krijgt een geprinte brief" in page
    assert fresh(Session, session.id).local_start.date() != later, "not moved by the preview"

    organiser_client.post(url, data=factories.session_form(session, day=later.isoformat()) | {"send_confirmed": "1"})
    assert fresh(Session, session.id).local_start.date() == later
    assert count_letters_to_print([series.id]) == letters + 1, "a letter for Piet on the to-do list"
    assert [m.to_address for m in mails() if m.kind == "session_changed"] == ["a@example.org"]
    assert organiser_client.get("/").get_data(as_text=True).count("Brieven om te printen") >= 1


def test_a_cancel_page_refusal_still_shows_on_the_form(organiser_client, programme, organiser):
    series = factories.make_series(programme, organiser)
    coming(series, {"email": "a@example.org"}, {"email": "b@example.org"})
    session = series.sessions[0]
    url = f"/series/{series.id}/sessions/{session.id}/cancel"
    shown = organiser_client.post(url, data={"reason": "Storm"})
    assert "2 mensen krijgen een mail" in shown.get_data(as_text=True)
    organiser_client.post(url, data={"reason": "Storm", "send_confirmed": "1"})
    assert fresh(Session, session.id).is_cancelled
    again = organiser_client.post(url, data={"reason": "Storm", "send_confirmed": "1"})
    assert again.status_code == 422, "cancelling twice is refused on the form, not a server error"


def test_the_mail_log_shows_every_mail_and_sends_failed_ones_again(organiser_client, programme, organiser):
    series = factories.make_series(programme, organiser)
    first = factories.make_invitation(series, name="Anna", email="anna@example.org")
    factories.make_invitation(series, name="Bob", email="bob@example.org")
    other = factories.make_series(programme, organiser, title="Andere reeks")
    factories.make_invitation(other, name="Zed", email="zed@example.org")
    failed = next(m for m in mails() if m.to_address == "anna@example.org")
    failed.status, failed.last_error, failed.attempts = MailStatus.FAILED, "550 5.1.1 mailbox unknown", 3
    _db.session.commit()

    page = organiser_client.get(f"/series/{series.id}/mail")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "anna@example.org" in text
    assert "bob@example.org" in text
    assert "zed@example.org" not in text, "only this series' mails"
    assert "550 5.1.1 mailbox unknown" in text, "the server's answer"
    assert "Uitnodiging" in text, "the kind of mail"
    only_failed = organiser_client.get(f"/series/{series.id}/mail?status=failed").get_data(as_text=True)
    assert "anna@example.org" in only_failed
    assert "bob@example.org" not in only_failed

    organiser_client.post(f"/series/{series.id}/mail/resend", data={"message": str(failed.id)})
    again = fresh(OutboxMessage, failed.id)
    assert (again.status, again.attempts) == (MailStatus.QUEUED, 0), "queued again, same message"
    assert again.message_id == failed.message_id
    assert first.person.email == "anna@example.org"


def test_the_mail_log_refuses_odd_input_and_strangers(client, organiser_client, programme, organiser):
    series = factories.make_series(programme, organiser)
    assert organiser_client.get(f"/series/{series.id}/mail?status=nonsense&page=-4").status_code == 200
    response = organiser_client.post(f"/series/{series.id}/mail/resend", data={"message": "1; drop table"})
    assert response.status_code == 302
    assert organiser_client.get("/series/999999/mail").status_code == 404


def test_the_evaluation_can_be_sent_now_shown_first_and_only_once(organiser_client, programme, organiser):
    from tests import evaluation_factories as ef

    series = ef.past_series(programme, organiser, last_days_ago=0)
    session = series.sessions[-1]
    ef.present(session, name="Kwam", email="kwam@example.org")
    ef.present(session, name="Ook", email="ook@example.org", language="en")
    ef.present(session, name="Papier", email=None)
    page = organiser_client.get(f"/series/{series.id}/evaluation").get_data(as_text=True)
    assert "Evaluatie nu versturen" in page, "a finished session offers to send now"
    url = f"/series/{series.id}/sessions/{session.id}/evaluation/send"

    shown = organiser_client.post(url)
    text = shown.get_data(as_text=True)
    assert "2 mensen krijgen een mail" in text
    assert "1 krijgt een geprinte brief" in text, "the paper form for the one without e-mail"
    assert not [m for m in mails() if m.kind == "evaluation"]

    organiser_client.post(url, data={"send_confirmed": "1"})
    assert sorted(m.to_address for m in mails() if m.kind == "evaluation") == ["kwam@example.org", "ook@example.org"]
    again = organiser_client.post(url, data={"send_confirmed": "1"}, follow_redirects=True)
    assert "Er is niemand meer om te vragen" in again.get_data(as_text=True), "nobody is asked twice"
    assert len([m for m in mails() if m.kind == "evaluation"]) == 2

    coming_session = factories.make_series(programme, organiser, title="Later").sessions[0]
    refused = organiser_client.post(
        f"/series/{coming_session.series_id}/sessions/{coming_session.id}/evaluation/send", follow_redirects=True
    )
    assert "kan worden verstuurd vanaf het einde" in refused.get_data(as_text=True)


def test_a_rollback_takes_back_what_a_released_savepoint_did(db):
    """A preview runs the action (its savepoints released) and rolls back: on SQLite too nothing stays."""
    with db.session.begin_nested():
        db.session.add(
            OutboxMessage(
                message_id="<kept@test>", to_address="a@example.org", subject="s", body_text="t", body_html="h"
            )
        )
    db.session.rollback()
    assert count(OutboxMessage) == 0
