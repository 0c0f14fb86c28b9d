"""The next round through the pages: copying a series with its review step, planning a cancelled
session again, archiving; and the "plan anyway" step for holidays and blocked dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import func, select

from planner.extensions import db as _db
from planner.series.models import Series, SeriesStatus, Session
from planner.series.services import cancel_session
from tests import factories
from tests.evaluation_factories import past_series
from tests.factories import future_tuesday, next_kings_day, today_in_amsterdam


def dutch_day(day: date) -> str:
    return format_date(day, "EEEE d MMMM y", locale="nl")


def series_count() -> int:
    return _db.session.scalar(select(func.count(Series.id)))


def copy_form(source, **overrides) -> dict:
    data = {
        "title": "Ontmoeting Gendt, ronde 2",
        "municipality": "Lingewaard",
        "venue": "0",
        "rhythm": "weekly",
        "first_day": future_tuesday(12).isoformat(),
    }
    data.update(overrides)
    return data


def days_of(days) -> dict:
    return {f"day_{n}": day.isoformat() for n, day in enumerate(days, start=1)}


@pytest.fixture
def source(db, programme, organiser):
    return factories.make_series(programme, organiser, count=4)


def test_the_copy_page_proposes_the_next_round(organiser_client, source):
    page = organiser_client.get(f"/series/{source.id}/duplicate")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'value="Ontmoeting Gendt"' in text
    assert 'value="weekly"' in text
    assert "checked" in text
    assert "Controleer de data" not in text, "no review before dates are proposed"


def test_propose_then_review_then_save(organiser_client, source):
    first = future_tuesday(12)
    before = series_count()
    review = organiser_client.post(f"/series/{source.id}/duplicate", data={**copy_form(source), "propose": "1"})
    assert review.status_code == 200
    text = review.get_data(as_text=True)
    assert "Controleer de data" in text
    proposed = [first + timedelta(weeks=n) for n in range(4)]
    for n, day in enumerate(proposed, start=1):
        assert f'name="day_{n}"' in text
        assert f'value="{day.isoformat()}"' in text
    assert series_count() == before, "the review step saves nothing"

    changed = [proposed[0], proposed[1], proposed[2] + timedelta(days=2), proposed[3]]
    saved = organiser_client.post(
        f"/series/{source.id}/duplicate", data={**copy_form(source), **days_of(changed), "create": "1"}
    )
    assert saved.status_code == 302
    copy = _db.session.scalar(select(Series).order_by(Series.id.desc()))
    assert saved.headers["Location"].endswith(f"/series/{copy.id}")
    assert copy.status == SeriesStatus.DRAFT
    assert copy.title == "Ontmoeting Gendt, ronde 2"
    assert [s.local_start.date() for s in copy.sessions] == changed
    assert [s.theme for s in copy.sessions] == [s.theme for s in source.sessions]
    page = organiser_client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "nog niemand is uitgenodigd" in page


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (["2027-02-31", None, None, None], "Ongeldige datum"),
        (["", None, None, None], "Geef voor elke bijeenkomst een datum"),
        (["2020-01-07", None, None, None], "is al voorbij"),
        (["2207-01-07", None, None, None], "tot 5 jaar vooruit"),
    ],
)
def test_bad_dates_get_a_422_with_a_message_and_save_nothing(organiser_client, source, days, message):
    good = [future_tuesday(12) + timedelta(weeks=n) for n in range(4)]
    data = {f"day_{n}": (value if value is not None else good[n - 1].isoformat()) for n, value in enumerate(days, 1)}
    before = series_count()
    response = organiser_client.post(
        f"/series/{source.id}/duplicate", data={**copy_form(source), **data, "create": "1"}
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert series_count() == before


def test_a_copied_date_on_koningsdag_asks_to_plan_anyway(organiser_client, source):
    kings_day = next_kings_day()
    days = [kings_day + timedelta(weeks=n) for n in range(4)]
    data = {**copy_form(source, first_day=(kings_day - timedelta(weeks=1)).isoformat()), **days_of(days)}
    before = series_count()
    warned = organiser_client.post(f"/series/{source.id}/duplicate", data={**data, "create": "1"})
    assert warned.status_code == 422
    text = warned.get_data(as_text=True)
    assert "Koningsdag" in text
    assert 'name="plan_anyway"' in text
    assert series_count() == before
    confirmed = organiser_client.post(f"/series/{source.id}/duplicate", data={**data, "plan_anyway": "1"})
    assert confirmed.status_code == 302
    copy = _db.session.scalar(select(Series).order_by(Series.id.desc()))
    assert copy.sessions[0].local_start.date() == kings_day


def test_another_organisers_series_cannot_be_copied(client, db, source):
    stranger = factories.make_user(email="stranger@example.org")
    client.post("/login", data={"email": stranger.email, "password": factories.PASSWORD})
    assert client.get(f"/series/{source.id}/duplicate").status_code in (403, 404)


# --- Plan anyway on a single session.


def christmas() -> date:
    return date(today_in_amsterdam().year + 1, 12, 25)


def test_moving_a_session_onto_christmas_warns_and_saves_only_when_confirmed(organiser_client, source):
    session = source.sessions[0]
    url = f"/series/{source.id}/sessions/{session.id}/edit"
    warned = organiser_client.post(url, data=factories.session_form(session, day=christmas().isoformat()))
    assert warned.status_code == 422
    text = warned.get_data(as_text=True)
    assert "Eerste kerstdag" in text
    assert "Toch op deze dag plannen" in text
    _db.session.expire_all()
    assert _db.session.get(Session, session.id).local_start.date() != christmas()
    confirmed = organiser_client.post(
        url, data={**factories.session_form(session, day=christmas().isoformat()), "plan_anyway": "1"}
    )
    assert confirmed.status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Session, session.id).local_start.date() == christmas()


def test_adding_a_session_on_a_blocked_date_warns(organiser_client, source, programme):
    blocked = factories.make_blocked_date(programme, future_tuesday(20), "Studiedag")
    session = source.sessions[-1]
    url = f"/series/{source.id}/sessions/new"
    data = factories.session_form(session, title="Extra", day=blocked.day.isoformat())
    count = len(source.sessions)
    warned = organiser_client.post(url, data=data)
    assert warned.status_code == 422
    assert "Studiedag" in warned.get_data(as_text=True)
    _db.session.expire_all()
    assert len(_db.session.get(Series, source.id).sessions) == count
    assert organiser_client.post(url, data={**data, "plan_anyway": "1"}).status_code == 302


def test_hand_picked_dates_on_a_holiday_are_shown_not_moved(organiser_client, db):
    kings_day = next_kings_day()
    data = {
        "template": "action_learning",
        "title": "Leertraject",
        "venue": "0",
        "rhythm": "manual",
        "manual_dates": f"{kings_day.isoformat()}\n{(kings_day + timedelta(weeks=2)).isoformat()}\n"
        f"{(kings_day + timedelta(weeks=4)).isoformat()}",
        "start": "10:00",
        "end": "12:00",
        "count": "3",
    }
    preview = organiser_client.post("/programmes/armoede/series/new", data={**data, "preview": "1"})
    text = preview.get_data(as_text=True)
    assert "maar het is een feestdag (Koningsdag)" in text
    before = series_count()
    refused = organiser_client.post("/programmes/armoede/series/new", data={**data, "create": "1"})
    assert refused.status_code == 422
    assert 'name="plan_anyway"' in refused.get_data(as_text=True)
    assert series_count() == before
    made = organiser_client.post("/programmes/armoede/series/new", data={**data, "plan_anyway": "1"})
    assert made.status_code == 302
    series = _db.session.scalar(select(Series).order_by(Series.id.desc()))
    assert series.sessions[0].local_start.date() == kings_day


# --- Reinstate and archive.


def test_a_cancelled_session_is_planned_again_from_the_series_page(organiser_client, source):
    session = source.sessions[1]
    factories.make_invitation(source)
    cancel_session(session, "Storm")
    _db.session.commit()
    page = organiser_client.get(f"/series/{source.id}").get_data(as_text=True)
    action = f"/series/{source.id}/sessions/{session.id}/reinstate"
    assert action in page
    assert organiser_client.post(action).status_code == 302
    _db.session.expire_all()
    assert not _db.session.get(Session, session.id).is_cancelled
    again = organiser_client.post(action, follow_redirects=True).get_data(as_text=True)
    assert "niet geannuleerd" in again


def test_archiving_hides_the_series_until_asked_and_refuses_changes(organiser_client, db, programme, organiser):
    done = past_series(programme, organiser, title="Ontmoeting Bemmel")
    page = organiser_client.get(f"/series/{done.id}").get_data(as_text=True)
    assert f"/series/{done.id}/archive" in page
    assert organiser_client.post(f"/series/{done.id}/archive").status_code == 302
    assert "Ontmoeting Bemmel" not in organiser_client.get("/programmes/armoede").get_data(as_text=True)
    assert "Ontmoeting Bemmel" in organiser_client.get("/programmes/armoede?archived=1").get_data(as_text=True)
    month = done.sessions[0].local_start
    url = f"/sessions/month/{month.year}-{month.month:02d}"
    assert f'/series/{done.id}"' not in organiser_client.get(url).get_data(as_text=True)
    assert f'/series/{done.id}"' in organiser_client.get(url + "?archived=1").get_data(as_text=True)

    session = done.sessions[0]
    edit = organiser_client.post(
        f"/series/{done.id}/sessions/{session.id}/edit", data=factories.session_form(session, title="Anders")
    )
    assert edit.status_code == 422
    assert "gearchiveerd" in edit.get_data(as_text=True)
    assert organiser_client.post(f"/series/{done.id}/restore").status_code == 302
    _db.session.expire_all()
    assert _db.session.get(Series, done.id).status == SeriesStatus.PUBLISHED


def test_a_coming_series_offers_no_archive(organiser_client, source):
    assert f"/series/{source.id}/archive" not in organiser_client.get(f"/series/{source.id}").get_data(as_text=True)
    response = organiser_client.post(f"/series/{source.id}/archive", follow_redirects=True)
    assert "alle bijeenkomsten voorbij" in response.get_data(as_text=True)
