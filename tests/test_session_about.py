"""Participants see what a session is about: its theme and programme, wherever it reaches them."""

from __future__ import annotations

import icalendar
from sqlalchemy import select

from planner.invitations.models import Answer
from planner.invitations.services import answer
from planner.mail.models import OutboxMessage
from planner.series.services import update_session
from tests import factories

THEME = "Signalen herkennen"
PROGRAMME = "19.00 Inloop met soep\r\n19.30 Kennismaken\r\n21.00 Afsluiting"


def _series_with_a_programme(db, programme, organiser, **person):
    series = factories.make_series(programme, organiser, title="Ontmoeting Gendt", count=4)
    first = series.sessions[0]
    update_session(first, factories.details_of(first, theme=THEME, agenda=PROGRAMME))
    db.session.commit()
    invitation = factories.make_invitation(series, **person)
    return series, first, invitation


def _outbox(db) -> list[OutboxMessage]:
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_the_personal_page_shows_theme_and_programme_per_session(client, db, programme, organiser):
    series, first, invitation = _series_with_a_programme(db, programme, organiser, language="en")
    page = client.get(f"/i/{invitation.token}").get_data(as_text=True)
    card = page.split(f'id="session-{first.id}"')[1].split("</li>")[0]
    assert THEME in card
    assert "Programme" in card
    assert "19.30 Kennismaken" in card
    assert "21.00 Afsluiting" in card
    other = page.split(f'id="session-{series.sessions[1].id}"')[1].split("</li>")[0]
    assert THEME not in other
    assert "Programme" not in other, "a session without a programme shows none"


def test_every_mail_with_the_session_block_carries_theme_and_programme(db, programme, organiser):
    _series, first, invitation = _series_with_a_programme(db, programme, organiser, language="nl")
    [invite_mail] = _outbox(db)
    for body in (invite_mail.body_text, invite_mail.body_html):
        assert f"Thema: {THEME}" in body
        assert "Programma" in body
        assert "19.30 Kennismaken" in body
    assert THEME not in invite_mail.subject, "subjects stay neutral"
    text_lines = invite_mail.body_text.splitlines()
    assert "    19.30 Kennismaken" in text_lines, "the programme is indented under its session, line by line"

    answer(invitation, first, Answer.YES)  # the calendar invite mail uses the same block
    db.session.commit()
    calendar_mail = _outbox(db)[-1]
    assert calendar_mail.calendar_method == "REQUEST"
    assert f"Thema: {THEME}" in calendar_mail.body_text
    assert f"Thema: {THEME}" in calendar_mail.body_html


def test_the_calendar_invite_describes_theme_and_programme_but_keeps_its_title_neutral(db, programme, organiser):
    _series, first, invitation = _series_with_a_programme(db, programme, organiser, language="en")
    answer(invitation, first, Answer.MAYBE)
    db.session.commit()
    mail = _outbox(db)[-1]
    [event] = icalendar.Calendar.from_ical(mail.calendar_body.encode()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Ontmoeting Gendt"
    description = str(event["DESCRIPTION"])
    assert f"Theme: {THEME}" in description
    assert "Programme:\n19.00 Inloop met soep\n19.30 Kennismaken\n21.00 Afsluiting" in description


def test_the_public_feed_holds_no_theme_or_programme(client, db, programme, organiser):
    from planner.series.services import open_public_feed

    series, _first, _invitation = _series_with_a_programme(db, programme, organiser)
    open_public_feed(series)
    db.session.commit()
    feed = client.get(f"/calendar/{series.public_feed_token}.ics").get_data(as_text=True)
    assert "BEGIN:VEVENT" in feed
    assert THEME not in feed
    assert "Kennismaken" not in feed


def test_the_printed_letter_shows_theme_and_programme(organiser_client, db, programme, organiser):
    series, _first, _invitation = _series_with_a_programme(db, programme, organiser, email=None, language="nl")
    page = organiser_client.get(f"/series/{series.id}/letters").get_data(as_text=True)
    letter = page.split('<article class="letter"')[1]
    assert f"Thema: {THEME}" in letter
    assert "Programma" in letter
    assert "19.30 Kennismaken" in letter
