"""Participants answer: personal link, screen link, validation, anonymity, double submits."""

from datetime import timedelta

from sqlalchemy import select

from planner.evaluations.catalogue import RESIDENTS, ensure_builtin_forms
from planner.evaluations.models import (
    EvaluationAnswer,
    EvaluationRequest,
    EvaluationResponse,
    SessionEvaluation,
)
from planner.evaluations.sending import send_due
from planner.evaluations.services import choose_forms, evaluation_of
from planner.timekeeping import utcnow
from tests import evaluation_factories as ef


def _asked(db, programme, organiser, *, form_key=None, last_days_ago=1, **person):
    series = ef.past_series(programme, organiser, last_days_ago=last_days_ago)
    session = series.sessions[-1]
    if form_key:
        choose_forms(series, {session.id: ensure_builtin_forms()[form_key].id}, series.evaluation_delay_hours)
        db.session.commit()
    someone = ef.present(session, **person)
    send_due(now=utcnow())
    db.session.commit()
    request = db.session.scalar(select(EvaluationRequest).where(EvaluationRequest.person_id == someone.id))
    return series, session, someone, request


def _answers(db, session):
    form = evaluation_of(session).form
    return form, {f"q{q.id}": q for q in form.questions}


def test_a_named_answer_is_saved_with_person_role_and_time(db, client, programme, organiser):
    _series, session, person, request = _asked(db, programme, organiser, role="professional")
    form, _fields = _answers(db, session)
    by_key = {q.key: f"q{q.id}" for q in form.questions}
    page = client.get(f"/e/{request.token}")
    body = page.get_data(as_text=True)
    assert "7 vragen, ongeveer 2 minuten" in body
    assert body.count('type="radio"') == 5 + 3 * 6 + 11
    response = client.post(
        f"/e/{request.token}",
        data={
            by_key["overall"]: "4",
            by_key["learned"]: "na",
            by_key["mark"]: "8",
            by_key["good"]: "  De casus  ",
        },
    )
    assert response.status_code == 303
    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200
    assert "Bedankt" in thanks.get_data(as_text=True)
    saved = db.session.scalar(select(EvaluationResponse))
    assert (saved.person_id, saved.role, saved.anonymous, saved.channel) == (person.id, "professional", False, "mail")
    assert saved.submitted_at is not None
    answers = {a.question.key: a for a in saved.answers}
    assert answers["overall"].value == 4
    assert answers["overall"].option.label_nl == "Goed"
    assert answers["learned"].not_applicable
    assert answers["mark"].value == 8
    assert answers["good"].text == "De casus"
    assert "better" not in answers
    db.session.refresh(request)
    assert request.answered
    again = client.get(f"/e/{request.token}")
    assert again.status_code == 200
    assert "al ingevuld" in again.get_data(as_text=True)


def test_invalid_answers_come_back_with_422_kept_and_nothing_saved(db, client, programme, organiser):
    _series, session, _person, request = _asked(db, programme, organiser)
    form, _ = _answers(db, session)
    by_key = {q.key: f"q{q.id}" for q in form.questions}
    response = client.post(
        f"/e/{request.token}",
        data={
            by_key["mark"]: "11",
            by_key["good"]: "Goede sfeer",  # overall is required and missing
        },
    )
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "Geef antwoord op deze vraag" in body
    assert "Goede sfeer" in body
    assert db.session.query(EvaluationResponse).count() == 0
    db.session.refresh(request)
    assert not request.answered


def test_an_anonymous_answer_has_no_person_role_or_time_and_a_second_submit_makes_none(
    db, client, programme, organiser
):
    _series, session, _person, request = _asked(db, programme, organiser, form_key=RESIDENTS)
    form, _ = _answers(db, session)
    assert form.anonymous
    first = form.questions[0]
    data = {f"q{first.id}": "3"}
    assert client.post(f"/e/{request.token}", data=data).status_code == 303
    second = client.post(f"/e/{request.token}", data=data)
    assert second.status_code == 200
    assert "al ingevuld" in second.get_data(as_text=True)
    responses = db.session.scalars(select(EvaluationResponse)).all()
    assert len(responses) == 1
    saved = responses[0]
    assert saved.anonymous
    assert saved.person_id is None
    assert saved.role is None
    assert saved.submitted_at is None
    assert len(saved.id) == 32
    assert not saved.id.isdigit()
    db.session.refresh(request)
    assert request.answered, "the request only says that they answered"
    assert request.token, "the request only says that they answered"
    assert db.session.scalar(select(EvaluationAnswer.value)) == 3


def test_unknown_withdrawn_and_expired_links_are_a_friendly_404(app, db, client, programme, organiser):
    _series, _session, person, request = _asked(db, programme, organiser)
    assert client.get("/e/" + "x" * 43).status_code == 404
    assert client.get("/e/abc").status_code == 404
    person.mail_withdrawn_at = utcnow()
    db.session.commit()
    page = client.get(f"/e/{request.token}")
    assert page.status_code == 404
    assert "Deze link werkt niet" in page.get_data(as_text=True)

    person.mail_withdrawn_at = None
    session = request.session
    days = app.config["EVALUATION_LINK_DAYS"]
    # Measured from now, not from the session's date, so the test holds at any hour of the day.
    length = session.ends_at - session.starts_at
    session.ends_at = utcnow() - timedelta(days=days, hours=1)
    session.starts_at = session.ends_at - length
    db.session.commit()
    assert client.get(f"/e/{request.token}").status_code == 404, "too old"
    session.ends_at = utcnow() - timedelta(days=days - 1)
    session.starts_at = session.ends_at - length
    db.session.commit()
    assert client.get(f"/e/{request.token}").status_code == 200, "still open a day before"
    request.token = None  # withdrawn, e.g. after the retention period
    db.session.commit()
    assert client.get("/e/" + "A" * 32).status_code == 404


def test_a_link_before_the_session_ended_says_when_it_opens(db, client, programme, organiser):
    series = ef.past_series(programme, organiser, last_days_ago=1)
    session = series.sessions[-1]
    person = ef.present(session)
    session.ends_at = utcnow() + timedelta(hours=1)
    session.starts_at = utcnow() - timedelta(hours=1)
    db.session.add(EvaluationRequest(session_id=session.id, person_id=person.id, token="t" * 43))
    db.session.commit()
    page = client.get("/e/" + "t" * 43)
    assert page.status_code == 200
    assert "nog niet open" in page.get_data(as_text=True)
    assert client.post("/e/" + "t" * 43, data={}).status_code == 200
    assert db.session.query(EvaluationResponse).count() == 0

    code = evaluation_of(session).short_code
    db.session.commit()
    screen = client.get(f"/e/{code}")
    assert screen.status_code == 200, "the screen link opens from the start"
    assert "Hoe vond je de bijeenkomst?" in screen.get_data(as_text=True), "the screen link opens from the start"


def test_the_screen_link_takes_answers_until_the_organiser_closes_it(db, client, programme, organiser):
    series = ef.past_series(programme, organiser, last_days_ago=0)  # the screen link closes a day after the session
    session = series.sessions[-1]
    evaluation = evaluation_of(session)
    db.session.commit()
    code = evaluation.short_code
    assert len(code) == 8
    assert not set(code) & set("01ilo")
    form, _ = _answers(db, session)
    response = client.post(f"/e/{code}", data={f"q{form.questions[0].id}": "5"})
    assert response.status_code == 303
    assert client.get(response.headers["Location"]).status_code == 200
    saved = db.session.scalar(select(EvaluationResponse))
    assert saved.channel == "screen"
    assert saved.person_id is None

    login_client = client.application.test_client()
    from tests.conftest import login

    login(login_client, organiser.email)
    closed = login_client.post(f"/series/{series.id}/sessions/{session.id}/evaluation/screen", data={"open": "0"})
    assert closed.status_code == 302
    db.session.expire_all()
    assert not db.session.get(SessionEvaluation, evaluation.id).screen_open
    assert client.get(f"/e/{code}").status_code == 404


def test_the_short_link_speaks_the_browsers_chosen_language(db, client, programme, organiser):
    series = ef.past_series(programme, organiser, last_days_ago=0)
    code = evaluation_of(series.sessions[-1]).short_code
    db.session.commit()
    assert "Hoe vond je de bijeenkomst?" in client.get(f"/e/{code}").get_data(as_text=True)
    client.post("/language", data={"lang": "en", "next": f"/e/{code}"})
    assert "How did you like the meeting?" in client.get(f"/e/{code}").get_data(as_text=True)


def test_the_language_switch_on_a_personal_link_changes_the_persons_language(db, client, programme, organiser):
    _series, _session, person, request = _asked(db, programme, organiser, language="nl")
    assert "Hoe vond je de bijeenkomst?" in client.get(f"/e/{request.token}").get_data(as_text=True)
    switched = client.post(f"/e/{request.token}/language", data={"lang": "en"})
    assert switched.status_code == 302
    assert "How did you like the meeting?" in client.get(f"/e/{request.token}").get_data(as_text=True)
    db.session.refresh(person)
    assert person.language == "en"
