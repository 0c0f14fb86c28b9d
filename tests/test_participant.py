"""A participant opens their personal link and answers per session, without an account."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from planner.invitations.models import Answer, Rsvp
from planner.invitations.services import answer, revoke_invitation
from planner.timekeeping import utcnow
from tests import factories


@pytest.fixture
def series(programme, organiser):
    return factories.make_series(programme, organiser, count=4)


def url(invitation):
    return f"/i/{invitation.token}"


def field(session):
    return f"session_{session.id}"


def test_the_page_speaks_the_persons_language_and_keeps_the_link_private(client, series):
    dutch = factories.make_invitation(series, name="Dirk", language="nl")
    english_speaker = factories.make_invitation(series, name="Emma", language="en")
    page = client.get(url(dutch))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert '<html lang="nl">' in text
    assert "Ontmoeting Gendt" in text
    assert '<meta name="robots" content="noindex' in text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "Emma" not in text
    assert english_speaker.person.email not in text
    page = client.get(url(english_speaker))
    text = page.get_data(as_text=True)
    assert '<html lang="en">' in text
    assert "Will you come on" in text
    assert "Save my answers" in text
    assert "Dirk" not in text


def test_answering_and_changing_answers(client, db, series):
    invitation = factories.make_invitation(series, language="en")
    one, two = series.sessions[0], series.sessions[1]
    response = client.post(url(invitation), data={field(one): "yes", field(two): "no"})
    assert response.status_code == 302
    page = client.get(url(invitation)).get_data(as_text=True)
    assert "Your answers have been saved" in page
    assert "You are registered" in page
    assert "You said: I cannot come." in page
    response = client.post(url(invitation), data={field(one): "maybe", field(two): "yes"})
    assert response.status_code == 302
    db.session.expire_all()
    answers = {r.session_id: (r.answer, r.seat) for r in db.session.scalars(select(Rsvp))}
    assert answers[one.id] == ("maybe", None)
    assert answers[two.id] == ("yes", "confirmed")
    assert answers[series.sessions[2].id] == ("pending", None)


def test_the_waiting_list_place_is_shown(client, db, series):
    session = series.sessions[0]
    session.capacity = 1
    db.session.commit()
    first, second = factories.make_invitation(series), factories.make_invitation(series, language="en")
    answer(first, session, "yes")
    db.session.commit()
    client.post(url(second), data={field(session): "yes"})
    page = client.get(url(second)).get_data(as_text=True)
    assert "You are on the waiting list: number 1." in page


def test_learning_question_and_needs_are_saved(client, db, programme, organiser):
    arena = factories.make_series(programme, organiser, template_key="arena", count=1, title="ARENA")
    invitation = factories.make_invitation(arena, language="en")
    page = client.get(url(invitation)).get_data(as_text=True)
    assert "Your learning question" in page
    client.post(
        url(invitation),
        data={
            "learning_question": "Hoe herken ik jonge mantelzorgers?",
            "needs_interpreter": "y",
            "needs_other": "Rolstoelplek",
        },
    )
    db.session.expire_all()
    db.session.refresh(invitation)
    assert invitation.learning_question == "Hoe herken ik jonge mantelzorgers?"
    assert (invitation.needs_interpreter, invitation.needs_access, invitation.needs_other) == (
        True,
        False,
        "Rolstoelplek",
    )


def test_no_learning_question_for_an_ontmoetingenreeks_and_an_existing_one_is_kept(client, db, series):
    invitation = factories.make_invitation(series, language="en")
    invitation.learning_question = "Eerder ingestuurd"
    db.session.commit()
    assert "Your learning question" not in client.get(url(invitation)).get_data(as_text=True)
    client.post(url(invitation), data={"needs_childcare": "y"})
    db.session.expire_all()
    db.session.refresh(invitation)
    assert invitation.learning_question == "Eerder ingestuurd"
    assert invitation.needs_childcare


def test_answers_after_the_start_are_refused_with_a_message_and_nothing_is_saved(client, db, series):
    invitation = factories.make_invitation(series, language="en")
    started, later = series.sessions[0], series.sessions[1]
    # The first session began a minute ago.
    started.starts_at = started.starts_at.replace(year=2020)
    started.ends_at = started.starts_at + timedelta(hours=2)
    db.session.commit()
    page = client.get(url(invitation)).get_data(as_text=True)
    assert "This meeting has started" in page
    assert f"{url(invitation)}/check-in/{started.id}" in page, "a started session offers self check-in"
    response = client.post(url(invitation), data={field(started): "yes", field(later): "yes"})
    assert response.status_code == 422
    assert "has already started" in response.get_data(as_text=True)
    db.session.expire_all()
    assert all(r.answer == Answer.PENDING for r in db.session.scalars(select(Rsvp)))


def test_an_unknown_answer_is_a_clear_4xx(client, db, series):
    invitation = factories.make_invitation(series, language="en")
    response = client.post(url(invitation), data={field(series.sessions[0]): "hack"})
    assert response.status_code == 422
    assert "Choose yes, no or maybe." in response.get_data(as_text=True)


def test_cancelled_sessions_are_marked(client, db, series):
    from planner.series.services import cancel_session

    invitation = factories.make_invitation(series, language="en")
    cancel_session(series.sessions[1], "Zaal dicht")
    db.session.commit()
    page = client.get(url(invitation)).get_data(as_text=True)
    assert "Cancelled" in page
    assert "Zaal dicht" in page
    assert f'name="{field(series.sessions[1])}"' not in page


@pytest.mark.parametrize("token", ["nonsense", "x" * 43, "a" * 200, "%00%27;--", "abc.def"])
def test_wrong_or_malformed_tokens_give_a_friendly_404(client, series, token):
    factories.make_invitation(series)
    response = client.get(f"/i/{token}")
    assert response.status_code == 404
    assert "link" in response.get_data(as_text=True).lower()


def test_a_revoked_link_stops_working(client, db, series):
    invitation = factories.make_invitation(series)
    assert client.get(url(invitation)).status_code == 200
    revoke_invitation(invitation)
    db.session.commit()
    assert client.get(url(invitation)).status_code == 404
    assert client.post(url(invitation), data={field(series.sessions[0]): "yes"}).status_code == 404


def test_a_link_expires_some_time_after_the_series(app, client, db, series):
    invitation = factories.make_invitation(series)
    grace = timedelta(days=app.config["INVITATION_LINK_DAYS_AFTER_SERIES"])
    shift = max(s.ends_at for s in series.sessions) - utcnow() + grace
    for session in series.sessions:  # the series ended just within the grace period ...
        session.starts_at -= shift - timedelta(hours=1)
        session.ends_at -= shift - timedelta(hours=1)
    db.session.commit()
    assert client.get(url(invitation)).status_code == 200
    for session in series.sessions:  # ... and now just beyond it
        session.starts_at -= timedelta(hours=2)
        session.ends_at -= timedelta(hours=2)
    db.session.commit()
    response = client.get(url(invitation))
    assert response.status_code == 404
    assert "link" in response.get_data(as_text=True).lower()


def test_the_language_switch_changes_the_persons_language(client, db, series):
    invitation = factories.make_invitation(series, language="nl")
    page = client.get(url(invitation)).get_data(as_text=True)
    assert f'action="{url(invitation)}/language"' in page
    response = client.post(f"{url(invitation)}/language", data={"lang": "en"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(invitation.person), invitation.person_id).language == "en"
    assert '<html lang="en">' in client.get(url(invitation)).get_data(as_text=True)
    assert client.post("/i/nonsense-token-123456789/language", data={"lang": "en"}).status_code == 404


def test_answers_need_the_csrf_token(client, db, series):
    invitation = factories.make_invitation(series)
    response = client.post(url(invitation), data={field(series.sessions[0]): "yes"}, csrf=False)
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.scalars(select(Rsvp)).first().answer == Answer.PENDING


def test_a_participants_text_is_escaped(client, db, programme, organiser):
    arena = factories.make_series(programme, organiser, template_key="arena", count=1, title="ARENA")
    invitation = factories.make_invitation(arena)
    client.post(url(invitation), data={"learning_question": "<script>alert(1)</script>"})
    page = client.get(url(invitation)).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
