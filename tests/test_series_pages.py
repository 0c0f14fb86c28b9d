"""Planning through the web pages: proposals, validation and the overviews."""

from datetime import date, timedelta

import pytest
from babel.dates import format_date

from planner.series.models import Series, Session
from planner.series.scheduling import dutch_holidays
from tests.factories import future_tuesday, make_series, next_kings_day, today_in_amsterdam

TUESDAY, WEDNESDAY = 1, 2
LOGGED_IN_AS_ORGANISER = pytest.mark.usefixtures("organiser_client")


def dutch_day(day: date) -> str:
    return format_date(day, "EEEE d MMMM y", locale="nl")


def series_form(**overrides):
    data = {
        "template": "ontmoetingenreeks",
        "title": "Ontmoeting Gendt",
        "municipality": "Lingewaard",
        "venue": "0",
        "rhythm": "weekly",
        "first_day": future_tuesday(8).isoformat(),
        "start": "19:30",
        "end": "21:30",
        "count": "5",
    }
    data.update(overrides)
    return data


def test_template_choice_lists_all_six(organiser_client):
    page = organiser_client.get("/programmes/armoede/series/new").get_data(as_text=True)
    for name in [
        "Ontmoetingenreeks",
        "Welkome Wijk",
        "ARENA",
        "Themabijeenkomst",
        "Tribunebijeenkomst",
        "Actieleertraject",
    ]:
        assert name in page


def test_template_prefills_the_form(organiser_client):
    page = organiser_client.get("/programmes/armoede/series/new?template=welkome_wijk").get_data(as_text=True)
    assert 'name="count" required type="number" value="7"' in page
    assert 'checked id="rhythm-1" name="rhythm" required type="radio" value="fortnightly"' in page


def test_preview_shows_dates_and_why_one_moved(organiser_client, db):
    kings_day = next_kings_day()
    weekday = TUESDAY if kings_day.weekday() != TUESDAY else WEDNESDAY  # a weekday it does not fall on
    first = kings_day - timedelta(days=7 + (kings_day.weekday() - weekday) % 7)
    response = organiser_client.post(
        "/programmes/armoede/series/new",
        data=series_form(first_day=first.isoformat(), preview="1"),
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert dutch_day(first) in page
    assert f"Niet op {dutch_day(kings_day)}" not in page  # Koningsdag on another weekday moves nothing
    assert db.session.query(Series).count() == 0, "a preview saves nothing"


def test_preview_explains_koningsdag(organiser_client):
    kings_day = next_kings_day()
    instead = kings_day + timedelta(weeks=1)
    while instead in dutch_holidays("nl"):
        instead += timedelta(weeks=1)
    page = organiser_client.post(
        "/programmes/armoede/series/new",
        data=series_form(first_day=(kings_day - timedelta(weeks=1)).isoformat(), preview="1"),
    ).get_data(as_text=True)
    assert dutch_day(kings_day) in page
    assert "Koningsdag" in page
    assert dutch_day(instead) in page


def test_create_series_then_publish(organiser_client, db):
    response = organiser_client.post("/programmes/armoede/series/new", data=series_form(create="1"))
    assert response.status_code == 302
    series = db.session.query(Series).one()
    assert response.location.endswith(f"/series/{series.id}")
    assert len(series.sessions) == 5
    page = organiser_client.get(f"/series/{series.id}").get_data(as_text=True)
    assert "Ontmoeting 1" in page
    assert "Concept" in page
    organiser_client.post(f"/series/{series.id}/publish")
    db.session.expire_all()
    assert db.session.get(Series, series.id).is_published
    assert "Ontmoeting Gendt" in organiser_client.get("/programmes/armoede").get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Vul een titel in."),
        ({"template": "bingo"}, "Kies een van de sjablonen."),
        ({"start": "21:30", "end": "19:30"}, "De eindtijd moet na de begintijd liggen."),
        # Weeks ago, so that holidays moving the first session on a week still leave it in the past.
        ({"first_day": (today_in_amsterdam() - timedelta(weeks=8)).isoformat()}, "is al voorbij"),
        ({"count": "0"}, "Kies tussen 1 en 52 bijeenkomsten."),
        ({"count": "9"}, "tussen 4 en 5 bijeenkomsten"),
        ({"first_day": "31-02-2027"}, "Ongeldige datum"),
        ({"start": "25:99"}, "Ongeldige waarde voor tijd"),
        (
            {"first_day": "2028-03-26", "start": "02:30", "end": "04:00", "count": "4"},
            "bestaat niet op zondag 26 maart 2028",
        ),
        ({"rhythm": "manual", "manual_dates": "2027-06-01\nmorgen"}, "“morgen” is geen datum"),
        ({"rhythm": "yearly"}, "Kies een ritme."),
    ],
)
def test_bad_series_input_gets_a_clear_message_and_saves_nothing(organiser_client, db, overrides, message):
    response = organiser_client.post("/programmes/armoede/series/new", data=series_form(create="1", **overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.query(Series).count() == 0


def test_session_edit_validation(organiser_client, db, programme, organiser):
    series = make_series(programme, organiser)
    session = series.sessions[0]
    url = f"/series/{series.id}/sessions/{session.id}/edit"
    form = {
        "title": "Ontmoeting 1",
        "day": session.local_start.date().isoformat(),
        "start": "19:30",
        "end": "21:30",
        "venue": "0",
        "online_url": "",
        "capacity": "",
        "theme": "",
        "agenda": "",
    }
    assert organiser_client.post(url, data=form | {"capacity": "0"}).status_code == 422
    assert "minstens 1" in organiser_client.post(url, data=form | {"capacity": "0"}).get_data(as_text=True)
    assert organiser_client.post(url, data=form | {"end": "18:00"}).status_code == 422
    assert organiser_client.post(url, data=form | {"online_url": "javascript:alert(1)"}).status_code == 422
    assert organiser_client.post(url, data=form | {"venue": "999"}).status_code == 422
    assert organiser_client.post(url, data=form | {"audiences": "aliens"}).status_code == 422
    response = organiser_client.post(
        url, data=form | {"start": "19:00", "end": "21:00", "capacity": "15", "audiences": ["residents", "experts"]}
    )
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Session, session.id)
    assert (saved.local_start.strftime("%H:%M"), saved.capacity, saved.sequence) == ("19:00", 15, 1)
    assert {a.value for a in saved.audiences} == {"residents", "experts"}


def test_cancel_needs_a_reason_and_is_shown(organiser_client, db, programme, organiser):
    series = make_series(programme, organiser)
    session = series.sessions[1]
    url = f"/series/{series.id}/sessions/{session.id}/cancel"
    assert organiser_client.post(url, data={"reason": ""}).status_code == 422
    assert organiser_client.post(url, data={"reason": "Zaal onder water"}).status_code == 302
    page = organiser_client.get(f"/series/{series.id}").get_data(as_text=True)
    assert "Afgezegd" in page
    assert "Zaal onder water" in page


def test_remove_and_add_session(organiser_client, db, programme, organiser):
    series = make_series(programme, organiser)
    last = series.sessions[-1]
    assert organiser_client.post(f"/series/{series.id}/sessions/{last.id}/remove").status_code == 302
    day = (last.local_start.date() + timedelta(weeks=2)).isoformat()
    response = organiser_client.post(
        f"/series/{series.id}/sessions/new",
        data={"title": "Extra avond", "day": day, "start": "19:30", "end": "21:30", "venue": "0"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    titles = [s.title for s in db.session.get(Series, series.id).sessions]
    assert titles[-1] == "Extra avond"
    assert len(titles) == 5


def test_unknown_series_and_session_are_404(organiser_client, programme, organiser):
    series = make_series(programme, organiser)
    assert organiser_client.get("/series/9999").status_code == 404
    assert organiser_client.get(f"/series/{series.id}/sessions/9999/edit").status_code == 404
    assert organiser_client.get("/sessions/month/2027-13").status_code == 404


def test_overview_and_month_view_show_sessions(organiser_client, programme, organiser):
    series = make_series(programme, organiser)
    first = series.sessions[0].local_start
    overview = organiser_client.get("/sessions").get_data(as_text=True)
    assert overview.count("Ontmoeting Gendt") >= 5
    month = organiser_client.get(f"/sessions/month/{first.year}-{first.month}").get_data(as_text=True)
    assert "19:30 Ontmoeting 1" in month


def test_overviews_can_show_one_learning_studio(organiser_client, db, programme, organiser):
    from tests import factories

    other = factories.make_programme(name="JIP", organisers=[organiser])
    make_series(programme, organiser)
    make_series(other, organiser, title="Themamiddag jonge mantelzorgers")
    everything = organiser_client.get("/sessions").get_data(as_text=True)
    assert "Ontmoeting Gendt" in everything
    assert "Themamiddag jonge mantelzorgers" in everything
    only_jip = organiser_client.get("/sessions?programme=jip").get_data(as_text=True)
    assert "Ontmoeting Gendt" not in only_jip
    assert "Themamiddag jonge mantelzorgers" in only_jip
    assert organiser_client.get("/sessions/month?programme=jip").status_code == 200
    assert organiser_client.get("/sessions?programme=onbekend").status_code == 404


def test_a_year_far_ahead_is_refused_with_a_message(organiser_client, db):
    response = organiser_client.post(
        "/programmes/armoede/series/new", data=series_form(first_day="9999-12-21", preview="1")
    )
    assert response.status_code == 422
    assert "tot 5 jaar vooruit" in response.get_data(as_text=True)
    response = organiser_client.post(
        "/programmes/armoede/series/new",
        data=series_form(
            template="action_learning", rhythm="manual", manual_dates="2027-06-01 9999-12-26", count="2", preview="1"
        ),
    )
    assert response.status_code == 422
