"""Invitations travel the whole way: queued with the change, sent over real SMTP, read back."""

import re
from urllib.parse import urlsplit

from planner.invitations.services import invite_people
from tests import factories

LINK = re.compile(r"https?://[^\s\"<>]+/i/[A-Za-z0-9_\-]+")


def everything_in(message) -> str:
    return message.as_string() + "".join(
        part.get_content() for part in message.walk() if part.get_content_maintype() == "text"
    )


def test_invitations_arrive_in_each_persons_language_with_a_working_link_and_nobody_else(
    app, db, client, smtp_server, programme, organiser
):
    series = factories.make_series(programme, organiser, title="Ontmoeting Gendt")
    factories.make_invitation(series, name="Zeynep Yilmaz", email="zeynep@example.org", language="nl")
    series = db.session.merge(series)
    people = [
        factories.make_person(name="Sam Taylor", email="sam@example.org", language="en"),
        factories.make_person(name="Fenna de Boer", email="fenna@example.org", language="nl"),
        factories.make_person(name="Kees zonder mail", email=None),
    ]
    invite_people(series, people, actor=organiser)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    received = {m["To"].addresses[0].addr_spec: m for m in smtp_server.messages}
    assert set(received) == {"zeynep@example.org", "sam@example.org", "fenna@example.org"}
    assert all(len(rcpts) == 1 for _sender, rcpts in smtp_server.envelopes)

    names = {
        "zeynep@example.org": "Zeynep Yilmaz",
        "sam@example.org": "Sam Taylor",
        "fenna@example.org": "Fenna de Boer",
    }
    theme = series.sessions[0].theme
    for address, message in received.items():
        assert message["Subject"] == "Ontmoeting Gendt", "a neutral subject: the series title only"
        text = everything_in(message)
        assert theme not in message["Subject"]
        others = [n for a, n in names.items() if a != address] + [a for a in names if a != address]
        assert not [o for o in [*others, "Kees zonder mail"] if o in text], "no other invitee in a mail"

    assert received["sam@example.org"]["Content-Language"] == "en"
    assert received["fenna@example.org"]["Content-Language"] == "nl"
    weekday = series.sessions[0].local_start
    assert weekday.strftime("%A") in everything_in(received["sam@example.org"])
    dutch_days = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
    assert dutch_days[weekday.weekday()] in everything_in(received["fenna@example.org"])

    for address, message in received.items():
        link = LINK.search(message.get_body(preferencelist=("plain",)).get_content()).group(0)
        assert link.startswith(app.config["BASE_URL"])
        page = client.get(urlsplit(link).path)
        assert page.status_code == 200, link
        body = page.get_data(as_text=True)
        assert "Ontmoeting Gendt" in body
        assert not [n for a, n in names.items() if a != address and n in body]


def test_a_mail_is_queued_only_with_a_committed_invitation(app, db, smtp_server, programme, organiser):
    series = factories.make_series(programme, organiser)
    from planner.series.services import publish_series

    publish_series(series)
    db.session.commit()
    person = factories.make_person(email="later@example.org")
    invite_people(series, [person], actor=organiser)
    db.session.rollback()
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0
    assert smtp_server.messages == []
