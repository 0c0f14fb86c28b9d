"""Every standard mail over real SMTP: its words in the person's language, signed by the series'
organiser with Reply-To to them, the HTML styled inline and the plain text saying the same."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from flask_babel import force_locale, gettext as _
from sqlalchemy import select

from planner.evaluations.sending import send_due
from planner.invitations.models import Answer
from planner.invitations.reminders import send_due_reminders
from planner.invitations.seats import answer
from planner.invitations.services import invite_people, remind_unanswered
from planner.mail.models import OutboxMessage
from planner.mail.texts import save_text
from planner.series.services import cancel_session, update_session
from tests import evaluation_factories as ef, factories

SENDER_NAME = "Olga Organiser"
PHONE = "024 123 4567"


class VisibleText(HTMLParser):
    """The text a reader sees in an HTML part (no style, no title)."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "title", "head"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("style", "title", "head"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    reader = VisibleText()
    reader.feed(html)
    return " ".join(" ".join(reader.parts).split())


def parts_of(message) -> tuple[str, str]:
    return (
        message.get_body(preferencelist=("plain",)).get_content(),
        message.get_body(preferencelist=("html",)).get_content(),
    )


def new_mails(db, before: set[str]) -> list[OutboxMessage]:
    return [
        m for m in db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)) if m.message_id not in before
    ]


def ids(db) -> set[str]:
    return set(db.session.scalars(select(OutboxMessage.message_id)))


# The sentence of each mail that shows its kind, as the default text says it.
PHRASES = {
    "invitation": lambda: _("The meetings:"),
    "reminder": lambda: _("Please answer with your personal link:"),
    "session_reminder": lambda: _("Can you not come? Please tell us with your personal link:"),
    "moved_up": lambda: _(
        "Can you not come after all? Please tell us with your personal link, so someone else can take your place:"
    ),
    "session_changed": lambda: _("The meeting now:"),
    "session_cancelled": lambda: _("It is taken out of your calendar with this mail. We are sorry."),
    "evaluation": lambda: _("What did you think of it? Filling in the short form takes about two minutes:"),
    "evaluation_reminder": lambda: _("Do you still have two minutes? Your answers help us a lot:"),
}


@pytest.fixture
def signed(db, organiser):
    organiser.phone = PHONE
    db.session.commit()
    return organiser


def _every_kind(app, db, programme, organiser) -> dict[tuple[str, str], str]:
    """(kind, language) → Message-ID, for a Dutch and an English participant."""
    made: dict[tuple[str, str], str] = {}

    def step(kind: str, action) -> None:
        before = ids(db)
        action()
        db.session.commit()
        for mail in new_mails(db, before):
            if mail.subject and (kind, mail.language) not in made and _is_kind(mail, kind):
                made[(kind, mail.language)] = mail.message_id

    series = factories.make_series(programme, organiser, title="Ontmoeting Gendt")
    from planner.series.services import publish_series

    publish_series(series)
    first = series.sessions[0]
    first.capacity = 2
    db.session.commit()
    people = [
        factories.make_person(name="Fenna de Boer", email="fenna@example.org", language="nl"),
        factories.make_person(name="Sam Taylor", email="sam@example.org", language="en"),
        factories.make_person(name="Kees Wachter", email="kees@example.org", language="nl"),
        factories.make_person(name="Kim Waiter", email="kim@example.org", language="en"),
    ]
    invited = []
    step("invitation", lambda: invited.extend(invite_people(series, people, actor=organiser).invited))
    step("reminder", lambda: remind_unanswered(series))
    invitations = {i.person.email: i for i in invited}
    for email in ("fenna@example.org", "sam@example.org", "kees@example.org", "kim@example.org"):
        answer(invitations[email], first, Answer.YES)
    db.session.commit()

    def give_up_seats():
        answer(invitations["fenna@example.org"], first, Answer.NO)
        answer(invitations["sam@example.org"], first, Answer.NO)

    step("moved_up", give_up_seats)
    step("session_reminder", lambda: send_due_reminders(now=first.starts_at - timedelta(days=1)))
    later = (first.local_start + timedelta(hours=1)).time()
    end = (first.local_end + timedelta(hours=1)).time()
    step("session_changed", lambda: update_session(first, factories.details_of(first, start=later, end=end)))
    step("session_cancelled", lambda: cancel_session(first, "De zaal is niet beschikbaar."))

    past = ef.past_series(programme, organiser, title="Ontmoeting Bemmel")
    session = past.sessions[-1]
    ef.present(session, name="Fenna de Boer", email="fenna.b@example.org", language="nl")
    ef.present(session, name="Sam Taylor", email="sam.t@example.org", language="en")
    asked_at = session.ends_at + timedelta(hours=past.evaluation_delay_hours, minutes=1)
    step("evaluation", lambda: send_due(now=asked_at))
    days = app.config["EVALUATION_REMINDER_DAYS"]
    step("evaluation_reminder", lambda: send_due(now=asked_at + timedelta(days=days, minutes=1)))
    return made


def _is_kind(mail: OutboxMessage, kind: str) -> bool:
    with force_locale(mail.language):
        return PHRASES[kind]() in mail.body_text


def test_every_standard_mail_arrives_signed_styled_and_the_same_in_both_parts(app, db, smtp_server, programme, signed):
    app.config["REPLY_MAILBOX_ADDRESS"] = "antwoord@example.org"
    try:
        made = _every_kind(app, db, programme, signed)
        assert sorted(made) == sorted((kind, language) for kind in PHRASES for language in ("nl", "en"))
        result = app.test_cli_runner().invoke(args=["mail", "deliver"])
        assert result.exit_code == 0, result.output
    finally:
        app.config["REPLY_MAILBOX_ADDRESS"] = ""
    received = {m["Message-ID"]: m for m in smtp_server.messages}

    for (kind, language), message_id in made.items():
        message = received[message_id]
        where = f"{kind} ({language})"
        assert message["Content-Language"] == language, where
        assert message["Reply-To"].addresses[0].addr_spec == "organiser@example.org", where
        text, html = parts_of(message)
        with force_locale(language):
            phrase, regards = PHRASES[kind](), _("Kind regards,")
        assert phrase in text, where
        assert phrase in visible(html), where
        assert regards in text, where
        for detail in (SENDER_NAME, PHONE, "organiser@example.org"):
            assert detail in text, f"{where}: {detail}"
            assert detail in visible(html), f"{where}: {detail}"
        assert "The organisers" not in text, where
        assert "De organisatoren" not in text, where

        # Styled: the rules are inlined into the elements; only the @media rules stay behind.
        assert re.search(r'<td class="content" style="[^"]*padding', html), where
        if kind != "session_cancelled":  # the one mail without a personal link to press
            assert re.search(r'<td class="button-cell" style="[^"]*background-color', html), where
            assert re.search(r'<a class="button" href="[^"]+" style="[^"]*color: #ffffff', html), where
        style = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
        assert style.strip().startswith("@media"), f"{where}: only the phone rules stay in <style>"
        assert '<meta name="viewport"' in html, where
        assert "<img" not in html, where

        # The plain text says what the HTML says: every line of it is in the HTML's visible text.
        body = text.replace("\r\n", "\n").split("\n--\n")[0]
        shown = visible(html)
        for line in body.splitlines():
            words = " ".join(line.strip().removeprefix("- ").split())
            if words:
                assert words in shown, f"{where}: {words!r} is not in the HTML part"

        if kind in ("moved_up", "session_changed", "session_cancelled"):
            calendar = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
            method = "CANCEL" if kind == "session_cancelled" else "REQUEST"
            assert calendar.get_param("method") == method, where
            # Calendars reply to the ORGANIZER (the reply mailbox); people reply to the organiser.
            assert "mailto:antwoord+" in calendar.get_content(), where


def test_the_personal_link_is_a_button_and_written_out(app, db, smtp_server, programme, signed):
    series = factories.make_series(programme, signed, title="Ontmoeting Gendt")
    invitation = factories.make_invitation(series, name="Fenna de Boer", email="fenna@example.org", language="nl")
    assert app.test_cli_runner().invoke(args=["mail", "deliver"]).exit_code == 0
    text, html = parts_of(smtp_server.messages[0])
    link = f"/i/{invitation.token}"
    assert re.search(rf'<a class="button" href="[^"]*{re.escape(link)}"', html)
    with force_locale("nl"):
        assert _("Open your personal page") in html
    assert link in text


def test_an_edited_text_reaches_the_mail_with_values_escaped(app, db, smtp_server, programme, signed):
    save_text(
        programme.id,
        "invitation",
        "nl",
        "Welkom bij {reeks}, {naam}",
        "Beste {naam},\n\nKom je naar {reeks}? Het <b>wordt</b> gezellig.\n\n{bijeenkomsten}\n\n{link}",
        actor_id=signed.id,
    )
    db.session.commit()
    series = factories.make_series(programme, signed, title="Ontmoeting <Gendt> & co")
    factories.make_invitation(series, name="<script>alert(1)</script>", email="x@example.org", language="nl")
    factories.make_invitation(series, name="Sam Taylor", email="sam@example.org", language="en")
    assert app.test_cli_runner().invoke(args=["mail", "deliver"]).exit_code == 0
    received = {m["To"].addresses[0].addr_spec: m for m in smtp_server.messages}

    dutch = received["x@example.org"]
    assert dutch["Subject"] == "Welkom bij Ontmoeting <Gendt> & co, <script>alert(1)</script>"
    text, html = parts_of(dutch)
    assert "Beste <script>alert(1)</script>," in text
    assert "Het <b>wordt</b> gezellig." in text
    assert "<script" not in html
    assert "<b>wordt" not in html
    assert "Beste &lt;script&gt;alert(1)&lt;/script&gt;," in html
    assert "Ontmoeting &lt;Gendt&gt; &amp; co" in html
    assert "Het &lt;b&gt;wordt&lt;/b&gt; gezellig." in html

    english = received["sam@example.org"]
    assert english["Subject"] == "Ontmoeting <Gendt> & co", "the English text is still the default"
    assert "You are invited to" in parts_of(english)[0]
