"""Evaluation mails after a session: to those who came, once, with one reminder."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from planner.evaluations.models import EvaluationRequest, EvaluationResponse
from planner.evaluations.sending import send_due
from planner.invitations.models import Letter, LetterKind
from planner.mail.models import OutboxMessage
from planner.timekeeping import utcnow
from tests import evaluation_factories as ef, factories

LINK = re.compile(r"https?://[^\s\"<>]+/e/[A-Za-z0-9_\-]+")


def _outbox(db):
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def test_only_present_people_who_can_be_mailed_get_one_request_and_mail(db, programme, organiser):
    series = ef.past_series(programme, organiser)
    session = series.sessions[-1]
    came = ef.present(session, name="Kwam", email="kwam@example.org")
    ef.mark(session, factories.make_person(name="Afwezig", email="afwezig@example.org"), "absent")
    factories.make_person(name="Niet gemarkeerd", email="niet@example.org")
    paper = ef.present(session, name="Zonder mail", email=None)
    withdrawn = ef.present(session, name="Ingetrokken", email="weg@example.org")
    withdrawn.mail_withdrawn_at = utcnow()
    anonymised = ef.present(session, name="Geanonimiseerd", email="anon@example.org")
    anonymised.anonymised_at = utcnow()
    db.session.commit()

    now = session.ends_at + timedelta(hours=series.evaluation_delay_hours, minutes=1)
    result = send_due(now=now)
    db.session.commit()
    requests = db.session.scalars(
        select(EvaluationRequest).where(EvaluationRequest.session_id == session.id).order_by(EvaluationRequest.id)
    ).all()
    assert [r.person_id for r in requests] == [came.id, paper.id], "the one without e-mail is asked on paper"
    [letter] = db.session.scalars(select(Letter)).all()
    assert (letter.person_id, letter.kind, letter.session_id) == (paper.id, LetterKind.EVALUATION, session.id)
    assert letter.link.endswith(f"/e/{requests[1].token}")
    assert len(requests[0].token) >= 32
    mails = [m for m in _outbox(db) if m.reference == requests[0].mail_reference]
    assert len(mails) == 1
    assert mails[0].to_address == "kwam@example.org"
    assert mails[0].subject == series.title, "a neutral subject: the series title"
    assert f"/e/{requests[0].token}" in mails[0].body_text
    assert result.sent == 2, "a mail and a letter"

    again = send_due(now=now + timedelta(minutes=5))
    db.session.commit()
    assert again.sent == 0, "a second run sends nothing twice"
    assert again.reminded == 0, "a second run sends nothing twice"
    assert len(_outbox(db)) == 1


def test_nothing_before_the_delay_nor_long_after_nor_for_cancelled_sessions(db, programme, organiser):
    series = ef.past_series(programme, organiser, last_days_ago=1)
    series.evaluation_delay_hours = 5
    db.session.commit()
    session = series.sessions[-1]
    ef.present(session)
    assert send_due(now=session.ends_at + timedelta(hours=4, minutes=59)).sent == 0
    assert send_due(now=session.ends_at + timedelta(days=15)).sent == 0, "too long ago"
    session.status, session.cancel_reason = "cancelled", "Ziek"
    db.session.commit()
    assert send_due(now=session.ends_at + timedelta(hours=6)).sent == 0
    assert db.session.query(EvaluationRequest).count() == 0


def test_one_reminder_only_to_those_who_have_not_answered(app, db, programme, organiser):
    series = ef.past_series(programme, organiser, last_days_ago=5)
    session = series.sessions[-1]
    quiet = ef.present(session, name="Stil", email="stil@example.org")
    talker = ef.present(session, name="Prater", email="prater@example.org")
    first = session.ends_at + timedelta(hours=3)
    send_due(now=first)
    db.session.commit()
    answered = db.session.scalar(select(EvaluationRequest).where(EvaluationRequest.person_id == talker.id))
    answered.answered = True
    db.session.commit()

    days = app.config["EVALUATION_REMINDER_DAYS"]
    assert send_due(now=first + timedelta(days=days) - timedelta(minutes=1)).reminded == 0
    result = send_due(now=first + timedelta(days=days, minutes=1))
    db.session.commit()
    assert result.reminded == 1
    assert send_due(now=first + timedelta(days=days + 1)).reminded == 0, "one reminder, not more"
    db.session.commit()
    to = [m.to_address for m in _outbox(db)]
    assert to.count(quiet.email) == 2
    assert to.count(talker.email) == 1


def test_evaluation_mail_arrives_over_smtp_and_its_link_opens_the_form(
    app, db, client, smtp_server, programme, organiser
):
    series = ef.past_series(programme, organiser, last_days_ago=1)
    session = series.sessions[-1]
    ef.present(session, name="Sam Taylor", email="sam@example.org", language="en")
    ef.present(session, name="Fenna de Boer", email="fenna@example.org", language="nl")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["evaluations", "send"])
    assert result.exit_code == 0, result.output
    assert "Queued 2 evaluation mail(s)" in result.output
    assert "Queued 0 evaluation mail(s)" in runner.invoke(args=["evaluations", "send"]).output

    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    received = {m["To"].addresses[0].addr_spec: m for m in smtp_server.messages}
    assert set(received) == {"sam@example.org", "fenna@example.org"}
    assert received["sam@example.org"]["Subject"] == "Ontmoeting Gendt"
    english = received["sam@example.org"].get_body(preferencelist=("plain",)).get_content()
    dutch = received["fenna@example.org"].get_body(preferencelist=("plain",)).get_content()
    assert "Thank you for coming" in english
    assert "Bedankt" in dutch
    assert "Fenna" not in english, "no other participant in a mail"

    link = LINK.search(dutch).group(0)
    page = client.get(urlsplit(link).path)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Hoe vond je de bijeenkomst?" in body
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in page.headers["X-Robots-Tag"]
    assert db.session.query(EvaluationResponse).count() == 0


def test_cli_refuses_a_time_without_offset(app):
    result = app.test_cli_runner().invoke(args=["evaluations", "send", "--now", "2027-03-01T09:00"])
    assert result.exit_code != 0
