"""Paper for every change: whoever has no e-mail gets a letter wherever the others get a mail.

The mail side travels the whole way (outbox, ``flask mail deliver``, the aiosmtpd server); the
paper side is the letter recorded in the same transaction, and the page that prints it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from planner.evaluations.sending import send_due
from planner.invitations.letters import count_letters_to_print, letters_to_print_per_series
from planner.invitations.models import Answer, Letter, LetterKind
from planner.invitations.reminders import send_due_reminders
from planner.invitations.services import answer, fill_free_seats, invite_people, remind_unanswered
from planner.series.loaders import organised_series_ids
from planner.series.services import cancel_session, publish_series, update_session
from tests import evaluation_factories as ef, factories
from tests.factories import details_of


def letters(db, kind=None) -> list[Letter]:
    query = select(Letter).order_by(Letter.id)
    if kind is not None:
        query = query.where(Letter.kind == kind)
    return list(db.session.scalars(query))


def delivered(app, smtp_server) -> dict[str, object]:
    """Send the outbox over SMTP; address → the last message it received."""
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    return {message["To"].addresses[0].addr_spec: message for message in smtp_server.messages}


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def series(db, programme, organiser):
    series = factories.make_series(programme, organiser, count=4, title="Ontmoeting Gendt")
    publish_series(series)
    db.session.commit()
    return series


@pytest.fixture
def pair(db, series):
    """Mira (e-mail) and Piet (no e-mail), both invited to every session."""
    mira = factories.make_invitation(series, name="Mira", email="mira@example.org")
    piet = factories.make_invitation(series, name="Piet Papier", email=None)
    return mira, piet


def both_say_yes(db, series, pair, session=None):
    for invitation in pair:
        answer(invitation, session or series.sessions[0], Answer.YES)
    db.session.commit()


def test_an_invitation_is_a_mail_for_one_and_a_letter_for_the_other(app, db, smtp_server, series, pair):
    mira, piet = pair
    received = delivered(app, smtp_server)
    assert set(received) == {"mira@example.org"}
    [letter] = letters(db)
    assert (letter.kind, letter.invitation_id, letter.series_id) == (LetterKind.INVITATION, piet.id, series.id)
    assert "Ontmoeting Gendt" in letter.body_html
    assert letter.printed_at is None
    assert piet.short_code
    assert mira.short_code != piet.short_code


def test_a_moved_session_is_an_update_mail_and_a_letter_saying_what_changed(app, db, smtp_server, series, pair):
    both_say_yes(db, series, pair)
    session = series.sessions[0]
    delivered(app, smtp_server)
    smtp_server.messages.clear()
    update_session(session, details_of(session, day=session.local_start.date() + timedelta(days=1)))
    db.session.commit()

    received = delivered(app, smtp_server)
    assert set(received) == {"mira@example.org"}
    assert "Dit is er veranderd" in text_of(received["mira@example.org"])
    [letter] = letters(db, LetterKind.SESSION_CHANGED)
    assert (letter.invitation_id, letter.session_id) == (pair[1].id, session.id)
    assert "Datum en tijd" in letter.body_html, "what changed, in Dutch"
    assert "→" in letter.body_html, "old → new"


def test_a_cancelled_session_is_a_mail_and_a_letter_with_the_reason(app, db, smtp_server, series, pair):
    both_say_yes(db, series, pair)
    delivered(app, smtp_server)
    smtp_server.messages.clear()
    cancel_session(series.sessions[0], "De zaal is onder water gelopen")
    db.session.commit()

    received = delivered(app, smtp_server)
    assert set(received) == {"mira@example.org"}
    assert "onder water" in text_of(received["mira@example.org"])
    [letter] = letters(db, LetterKind.SESSION_CANCELLED)
    assert letter.session_id == series.sessions[0].id
    assert "onder water" in letter.body_html


def test_a_reminder_to_answer_is_a_mail_and_a_letter(app, db, smtp_server, series, pair):
    delivered(app, smtp_server)
    smtp_server.messages.clear()
    assert remind_unanswered(series) == 2
    db.session.commit()

    assert set(delivered(app, smtp_server)) == {"mira@example.org"}
    [letter] = letters(db, LetterKind.REMINDER)
    assert letter.invitation_id == pair[1].id


def test_a_reminder_before_the_session_is_a_mail_and_a_letter_once(app, db, smtp_server, series, pair):
    both_say_yes(db, series, pair)
    delivered(app, smtp_server)
    smtp_server.messages.clear()
    session = series.sessions[0]
    soon = session.starts_at - timedelta(days=series.reminder_days) + timedelta(minutes=1)
    assert send_due_reminders(now=soon) == 2
    db.session.commit()
    assert send_due_reminders(now=soon + timedelta(minutes=5)) == 0, "once only, on paper too"
    db.session.commit()

    assert set(delivered(app, smtp_server)) == {"mira@example.org"}
    [letter] = letters(db, LetterKind.SESSION_REMINDER)
    assert (letter.invitation_id, letter.session_id) == (pair[1].id, session.id)


def test_moving_up_from_the_waiting_list_is_a_mail_and_a_letter(app, db, smtp_server, series, pair):
    session = series.sessions[1]
    session.capacity = 1
    db.session.commit()
    first = factories.make_invitation(series, name="Eerste", email="eerste@example.org")
    answer(first, session, Answer.YES)
    both_say_yes(db, series, pair, session)  # both wait
    delivered(app, smtp_server)
    smtp_server.messages.clear()
    session.capacity = 3
    assert len(fill_free_seats(session)) == 2
    db.session.commit()

    received = delivered(app, smtp_server)
    assert set(received) == {"mira@example.org"}
    [letter] = letters(db, LetterKind.MOVED_UP)
    assert (letter.invitation_id, letter.session_id) == (pair[1].id, session.id)


def test_the_evaluation_is_a_mail_and_a_paper_form_with_its_own_code(app, db, smtp_server, programme, organiser):
    past = ef.past_series(programme, organiser)
    session = past.sessions[-1]
    ef.present(session, name="Mira", email="mira@example.org")
    paper = ef.present(session, name="Piet Papier", email=None)
    now = session.ends_at + timedelta(hours=past.evaluation_delay_hours, minutes=1)
    assert send_due(now=now).sent == 2
    db.session.commit()

    assert set(delivered(app, smtp_server)) == {"mira@example.org"}
    [letter] = letters(db, LetterKind.EVALUATION)
    assert (letter.person_id, letter.session_id) == (paper.id, session.id)
    assert "paper-options" in letter.body_html, "the questions with boxes to tick"
    assert letter.code
    assert "/e/" in letter.link


def test_a_move_with_people_without_email_puts_letters_on_the_to_do_count(db, organiser, series, pair):
    other = factories.make_invitation(series, name="Zonder Mail", email=None)
    for invitation in (*pair, other):
        answer(invitation, series.sessions[0], Answer.YES)
    db.session.commit()
    mine = organised_series_ids(organiser)
    before = count_letters_to_print(mine)
    assert before == 2, "the two invitation letters"

    session = series.sessions[0]
    update_session(session, details_of(session, day=session.local_start.date() + timedelta(days=2)))
    db.session.commit()

    assert count_letters_to_print(mine) == before + 2
    assert letters_to_print_per_series(mine) == [(series.id, "Ontmoeting Gendt", 4)]
    stranger = factories.make_user(email="elders@example.org")
    assert count_letters_to_print(organised_series_ids(stranger)) == 0, "not on another organiser's list"


def test_invited_again_after_a_withdrawal_gets_a_new_code_and_a_new_letter(db, series, pair):
    from planner.invitations.services import revoke_invitation

    piet = pair[1]
    old = piet.short_code
    revoke_invitation(piet)
    db.session.commit()
    invite_people(series, [piet.person])
    db.session.commit()
    assert piet.short_code != old
    assert len(letters(db, LetterKind.INVITATION)) == 2
