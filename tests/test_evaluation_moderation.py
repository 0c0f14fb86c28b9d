"""Open answers: organisers moderate; trekkers see approved ones only, without names, and star them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from planner.audit.models import AuditEvent
from planner.evaluations.models import EvaluationAnswer, Moderation
from planner.evaluations.moderation import ModerationError, moderate, quotes, star
from planner.extensions import db as _db
from tests import evaluation_data as data, factories
from tests.conftest import login


@pytest.fixture
def answers(db, programme, organiser):
    """Three open answers in a named form: one pending, one approved, one hidden."""
    series = factories.make_series(programme, organiser, count=4)
    form = data.make_form(programme)
    session = series.sessions[0]
    person = factories.make_person(name="Karin Zichtbaar")
    texts = {"pending": "Nog niet gezien", "approved": "Fijne avond met Piet", "hidden": "Geheim verhaal"}
    made = {}
    for status, text in texts.items():
        response = data.respond(
            session, form, {"remark": text}, person=person if status == "approved" else None, moderation=status
        )
        made[status] = response.answers[0]
    db.session.commit()
    return series, made


def _text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_trekkers_see_only_approved_answers_and_no_names(client, trekker, answers):
    series, _made = answers
    login(client, trekker.email)
    html = _text(client, f"/series/{series.id}/evaluation/quotes")
    assert "Fijne avond met Piet" in html
    assert "Nog niet gezien" not in html
    assert "Geheim verhaal" not in html
    assert "Karin" not in html
    report = _text(client, f"/series/{series.id}/evaluation/report")
    assert "Nog niet gezien" not in report
    assert "Geheim verhaal" not in report


def test_an_organiser_redacts_a_name_and_the_trekker_sees_the_redacted_text(app, client, organiser, trekker, answers):
    series, made = answers
    login(client, organiser.email)
    html = _text(client, f"/series/{series.id}/evaluation/moderation?show=all")
    assert "Nog niet gezien" in html
    assert "Karin" not in html
    assert _db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "evaluation_open_answers")) is not None
    response = client.post(
        f"/series/{series.id}/evaluation/answers/{made['approved'].public_id}/moderate",
        data={"action": "redact", "redacted_text": "Fijne avond met [naam]"},
    )
    assert response.status_code == 303
    client.post(
        f"/series/{series.id}/evaluation/answers/{made['pending'].public_id}/moderate", data={"action": "approve"}
    )
    _db.session.expire_all()
    redacted = _db.session.get(EvaluationAnswer, made["approved"].id)
    assert redacted.redacted_text == "Fijne avond met [naam]"
    assert redacted.moderated_by_id == organiser.id
    assert redacted.moderated_at is not None

    login(client, trekker.email)
    html = _text(client, f"/series/{series.id}/evaluation/quotes")
    assert "Fijne avond met [naam]" in html
    assert "Piet" not in html
    assert "Nog niet gezien" in html


def test_an_empty_redaction_is_refused_with_a_message(client, organiser, answers):
    series, made = answers
    login(client, organiser.email)
    response = client.post(
        f"/series/{series.id}/evaluation/answers/{made['pending'].public_id}/moderate",
        data={"action": "redact", "redacted_text": "   "},
    )
    assert response.status_code == 400
    assert "naam" in response.get_data(as_text=True)
    _db.session.expire_all()
    assert _db.session.get(EvaluationAnswer, made["pending"].id).moderation == Moderation.PENDING


def test_a_trekker_stars_and_unstars_a_quote_for_the_report(client, trekker, answers):
    series, made = answers
    login(client, trekker.email)
    url = f"/series/{series.id}/evaluation/answers/{made['approved'].public_id}/star"
    assert client.post(url, data={"starred": "1"}).status_code == 303
    assert "Fijne avond met Piet" in _text(client, f"/series/{series.id}/evaluation/quotes?starred=1")
    assert "Fijne avond met Piet" in _text(client, f"/series/{series.id}/evaluation/report")
    client.post(url, data={"starred": "0"})
    assert "Fijne avond met Piet" not in _text(client, f"/series/{series.id}/evaluation/report")


def test_pending_or_hidden_answers_cannot_be_starred_or_moderated_by_trekkers(client, trekker, answers):
    series, made = answers
    login(client, trekker.email)
    for status in ("pending", "hidden"):
        assert (
            client.post(
                f"/series/{series.id}/evaluation/answers/{made[status].id}/star", data={"starred": "1"}
            ).status_code
            == 404
        )
    response = client.post(
        f"/series/{series.id}/evaluation/answers/{made['hidden'].public_id}/moderate", data={"action": "approve"}
    )
    assert response.status_code == 404
    _db.session.expire_all()
    assert _db.session.get(EvaluationAnswer, made["hidden"].id).moderation == Moderation.HIDDEN


def test_hiding_a_starred_quote_takes_the_star_away(db, organiser, answers):
    series, made = answers
    star(made["approved"], True, actor=organiser)
    moderate(made["approved"], "hide", actor=organiser)
    db.session.commit()
    assert not made["approved"].starred
    assert db.session.scalars(quotes(series)).all() == []
    with pytest.raises(ModerationError) as error:
        star(made["hidden"], True, actor=organiser)
    assert error.value.code == "quote_not_approved"
    with pytest.raises(ModerationError):
        moderate(made["pending"], "publish", actor=organiser)


def test_the_moderation_page_asks_a_fixed_number_of_questions(app, client, organiser, answers, programme):
    from tests.test_query_counts import queries_for

    series, _made = answers
    login(client, organiser.email)
    url = f"/series/{series.id}/evaluation/moderation?show=all"
    few = queries_for(app, client, url)
    form = data.make_form(programme, anonymous=True)
    for session in series.sessions:
        for i in range(5):
            data.respond(session, form, {"remark": f"Antwoord {i}"})
    _db.session.commit()
    assert queries_for(app, client, url) == few
