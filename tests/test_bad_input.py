"""Input no database can hold, or no spreadsheet can show, is refused or cleaned: never a 500."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select
from werkzeug.routing import IntegerConverter

from planner.attendance.models import Attendance, BreakoutDrawing
from planner.invitations.models import Invitation
from tests import factories

PAST_64_BITS = "99999999999999999999"


@pytest.fixture
def series(db, programme, organiser):
    organiser.locale = "en"  # these tests read the English texts
    return factories.make_series(programme, organiser)


@pytest.fixture
def session(series):
    return series.sessions[0]


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- Ids past 64 bits.


def test_a_public_link_with_an_id_past_64_bits_is_not_found(client, series):
    """No login needed for these: the id reaches no database."""
    assert client.get(f"/check-in/{PAST_64_BITS}/abcdefghijkl").status_code == 404
    assert client.post(f"/check-in/{2**63}/abcdefghijkl", data={"name": "Anna"}).status_code == 404
    assert client.get(f"/series/{PAST_64_BITS}/calendar.ics").status_code == 404
    assert client.get(f"/series/{2**63}/calendar.ics").status_code == 404
    assert client.get("/series/0/calendar.ics").status_code == 404


def test_an_id_past_what_postgresql_holds_is_not_found(organiser_client, series, session):
    """The id columns are INTEGER: past 2**31 - 1 PostgreSQL refuses the parameter outright."""
    summary = f"/series/{series.id}/sessions/{2**31}/evaluation/summary"
    assert organiser_client.get(summary).status_code == 404
    assert organiser_client.get(f"/series/{2**31}").status_code == 404
    assert organiser_client.get(f"/series/{2**31 - 1}").status_code == 404  # the largest id: no such series


def test_every_id_in_a_url_is_bounded(app, organiser_client, series, session):
    """Each rule with an id, that id past 64 bits: a 404 (405 where the path is another rule's),
    never a server error."""
    tried = 0
    for rule in app.url_map.iter_rules():
        converters = rule._converters  # werkzeug keeps them per variable
        if not any(isinstance(c, IntegerConverter) for c in converters.values()):
            continue
        values = {name: PAST_64_BITS if isinstance(c, IntegerConverter) else "x" for name, c in converters.items()}
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m, values=values: values[m.group(1)], rule.rule)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = organiser_client.open(
                path, method=method, data={"csrf_token": organiser_client.csrf_token()} if method == "POST" else None
            )
            assert response.status_code in (404, 405), (method, path, response.status_code)
            tried += 1
    assert tried > 50


def test_a_person_id_past_64_bits_at_the_door_saves_nothing(db, organiser_client, series, session):
    base = f"/series/{series.id}/sessions/{session.id}/check-in/mark"
    for person_id in (PAST_64_BITS, str(2**63), "-1", "0", "1e3", "١٢"):
        response = organiser_client.post(base, data={"person_id": person_id, "status": "present"})
        assert response.status_code == 400, person_id
    assert count(db, Attendance) == 0


def test_a_person_id_or_group_past_64_bits_in_the_groups_saves_nothing(db, organiser_client, series, session):
    invitation = factories.make_invitation(series, sessions=[session])
    page = f"/series/{series.id}/sessions/{session.id}/groups"
    change = page + "/change"
    assert organiser_client.post(change, data={"person_id": PAST_64_BITS, "action": "facilitator"}).status_code == 400
    assert (
        organiser_client.post(change, data={"person_id": invitation.person_id, "group": PAST_64_BITS}).status_code
        == 400
    )
    response = organiser_client.post(page, data={"how": "count", "number": PAST_64_BITS})
    assert response.status_code == 422
    assert "between 1 and 100" in response.get_data(as_text=True)
    assert count(db, BreakoutDrawing) == 0


def test_people_past_64_bits_are_not_invited(db, organiser_client, series):
    from planner.series.services import publish_series

    publish_series(series)
    db.session.commit()
    response = organiser_client.post(
        f"/series/{series.id}/invitations", data={"people": PAST_64_BITS, "sessions": str(series.sessions[0].id)}
    )
    assert response.status_code in (400, 422)
    response = organiser_client.post(f"/series/{series.id}/invitations", data={"organisation": PAST_64_BITS})
    assert response.status_code in (400, 422)
    assert count(db, Invitation) == 0


# --- Dates out of range.

OUT_OF_RANGE = "Vul een datum in tussen 1900 en 2200."
FAR_AHEAD = "tot 5 jaar vooruit"  # planning dates: the planning rule's own message
OUT_OF_RANGE_EN = "Enter a date between 1900 and 2200."  # to the organiser of ``series``, who reads English


def test_an_audit_filter_past_the_year_2200_is_refused_with_a_message(admin_client):
    for query in ("until=9999-12-31", "since=9999-12-31", "since=0001-01-01", "until=1899-12-31"):
        page = admin_client.get(f"/admin/audit?{query}")
        assert page.status_code == 400, query
        assert OUT_OF_RANGE in page.get_data(as_text=True)
        export = admin_client.get(f"/admin/audit.xlsx?{query}")
        assert export.status_code == 400
        assert OUT_OF_RANGE in export.get_data(as_text=True)
    assert admin_client.get("/admin/audit?until=2200-12-31").status_code == 200


def test_a_series_in_the_year_9999_is_refused_and_not_saved(db, organiser_client, programme):
    from planner.series.models import Series
    from tests.test_series_pages import series_form

    url = f"/programmes/{programme.slug}/series/new"
    for data, message in (
        (series_form(first_day="9999-12-31", create="1"), FAR_AHEAD),
        (series_form(first_day="0001-01-01", preview="1"), OUT_OF_RANGE),
        (series_form(first_day="1899-12-31", create="1"), OUT_OF_RANGE),
        (series_form(rhythm="manual", first_day="", manual_dates="2027-03-02\n31-12-9999", create="1"), FAR_AHEAD),
        (series_form(rhythm="manual", first_day="", manual_dates="2027-03-02\n01-01-0001", create="1"), OUT_OF_RANGE),
    ):
        response = organiser_client.post(url, data=data)
        assert response.status_code == 422
        assert message in response.get_data(as_text=True)
    assert count(db, Series) == 0


def test_a_session_or_blocked_date_in_the_year_9999_is_refused(db, organiser_client, programme, series, session):
    from planner.programmes.models import BlockedDate

    form = {"title": "Ontmoeting 1", "day": "9999-12-31", "start": "19:30", "end": "21:30", "venue": "0"}
    edit = f"/series/{series.id}/sessions/{session.id}/edit"
    response = organiser_client.post(edit, data=form)
    assert response.status_code == 422
    assert "up to 5 years ahead" in response.get_data(as_text=True)
    response = organiser_client.post(edit, data=form | {"day": "0001-01-01"})
    assert response.status_code == 422
    assert OUT_OF_RANGE_EN in response.get_data(as_text=True)
    db.session.expire_all()
    assert session.local_start.year < 2200
    response = organiser_client.post(f"/programmes/{programme.slug}/blocked-dates", data={"day": "9999-12-31"})
    assert response.status_code == 422
    assert OUT_OF_RANGE_EN in response.get_data(as_text=True)
    assert count(db, BlockedDate) == 0


def test_every_form_cleans_text_and_bounds_dates(app):
    """Each form derives from the one base that strips control characters and bounds dates."""
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm

    import planner
    from planner.forms import Form

    for module in pkgutil.walk_packages(planner.__path__, "planner."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [cls for cls in subclasses(FlaskForm) if cls.__module__.startswith("planner.")]
    assert len(ours) > 20
    assert [cls.__qualname__ for cls in ours if not issubclass(cls, Form)] == []


# --- Control characters.


def xlsx_texts(response) -> list[str]:
    import io

    from openpyxl import load_workbook

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    return [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]


def test_a_walk_ins_organisation_with_a_control_character_is_stored_clean(db, organiser_client, series, session):
    from planner.people.models import Organisation, Person

    url = f"/series/{series.id}/sessions/{session.id}/check-in/walk-in"
    for n in range(5):  # five from one organisation: the figures show it by name
        response = organiser_client.post(
            url,
            data={"name": f"Gast\x02\x00 {n}", "role": "resident", "organisation": "Buurt\x02huis\x1b", "email": ""},
        )
        assert response.status_code == 302
    assert db.session.scalars(select(Organisation.name)).all() == ["Buurthuis"]
    assert sorted(db.session.scalars(select(Person.name))) == [f"Gast {n}" for n in range(5)]
    texts = xlsx_texts(organiser_client.get(f"/series/{series.id}/attendance.xlsx"))
    assert "Buurthuis" in texts


def test_text_stored_with_control_characters_still_downloads(db, organiser_client, series, session):
    """Text stored before it was cleaned on the way in: the download leaves the characters out."""
    from sqlalchemy import update

    from planner.people.models import Organisation

    url = f"/series/{series.id}/sessions/{session.id}/check-in/walk-in"
    for n in range(5):
        organiser_client.post(url, data={"name": f"Gast {n}", "role": "resident", "organisation": "Buurthuis"})
    db.session.execute(update(Organisation).values(name="Buurt\x02huis\x1b"))
    db.session.commit()
    texts = xlsx_texts(organiser_client.get(f"/series/{series.id}/attendance.xlsx"))
    assert "Buurthuis" in texts
    assert not any("\x02" in text or "\x1b" in text for text in texts)


def test_an_open_answer_with_a_control_character_is_stored_clean_and_downloads(
    db, organiser_client, programme, organiser
):
    from planner.evaluations.kinds import FREE_TEXT_KINDS
    from planner.evaluations.models import EvaluationAnswer, EvaluationQuestion
    from planner.evaluations.services import evaluation_of
    from tests import evaluation_factories as ef

    series = ef.past_series(programme, organiser)
    session = series.sessions[0]
    person = ef.present(session, name="Papieren Piet", role="volunteer")
    form = evaluation_of(session).form
    db.session.commit()
    open_question = next(q for q in form.questions if q.kind in FREE_TEXT_KINDS)
    first = form.questions[0]
    url = f"/series/{series.id}/sessions/{session.id}/evaluation/paper"
    response = organiser_client.post(
        url,
        data={
            "person_id": str(person.id),
            f"q{first.id}": "5",
            f"q{open_question.id}": "Goed\x02 gesprek\r\nmet\x7f\tthee",
        },
    )
    assert response.status_code == 302
    text = db.session.scalar(
        select(EvaluationAnswer.text).join(EvaluationQuestion).where(EvaluationQuestion.id == open_question.id)
    )
    assert text == "Goed gesprek\nmet\x7f\tthee"
    answer = db.session.scalar(select(EvaluationAnswer).where(EvaluationAnswer.question_id == open_question.id))
    redacted = organiser_client.post(
        f"/series/{series.id}/evaluation/answers/{answer.public_id}/moderate",
        data={"action": "redact", "redacted_text": "Goed\x02 gesprek"},
    )
    assert redacted.status_code in (302, 303)
    db.session.expire_all()
    assert db.session.get(EvaluationAnswer, answer.id).redacted_text == "Goed gesprek"
    answer = db.session.get(EvaluationAnswer, answer.id)
    answer.text = "Oud\x02 antwoord"  # stored before: the downloads still open
    db.session.commit()
    assert not any(
        "\x02" in t for t in xlsx_texts(organiser_client.get(f"/series/{series.id}/evaluation/answers.xlsx"))
    )
    xlsx_texts(organiser_client.get(f"/series/{series.id}/evaluation/summary.xlsx"))


def test_an_imported_cell_with_a_control_character_is_stored_clean(db, organiser_client):
    from planner.people.models import Organisation, Person
    from tests.test_people_import import HEADER, csv_bytes, review_data, upload

    rows = [HEADER, ["An\x02na", "", "", "bewoner", "Wijk\x02team", "Nijmegen", "nl"]]
    page = upload(organiser_client, csv_bytes(rows)).get_data(as_text=True)
    response = organiser_client.post("/people/import/review", data={**review_data(page), "import": "1"})
    assert response.status_code == 302
    assert db.session.scalars(select(Person.name)).all() == ["Anna"]
    assert db.session.scalars(select(Organisation.name)).all() == ["Wijkteam"]


# --- Names with non-ASCII capitals.


def test_a_learning_studio_name_in_other_capitals_is_refused_with_a_message(db, admin_client):
    from planner.programmes.models import Programme

    assert admin_client.post("/programmes/new", data={"name": "ÉÉN Wijkteam"}).status_code == 302
    for same in ("ÉÉN Wijkteam", "één wijkteam", "Één  WIJKTEAM", "E\u0301E\u0301N Wijkteam"):
        response = admin_client.post("/programmes/new", data={"name": same})
        assert response.status_code == 422, same
        assert "Er is al een leeratelier met deze naam." in response.get_data(as_text=True)
    assert db.session.scalars(select(Programme.name)).all() == ["ÉÉN Wijkteam"]


def test_an_organisation_name_in_other_capitals_is_the_same_organisation(db, organiser_client, series, session):
    from planner.people.models import Organisation, Person

    new = "/organisations/new"
    assert organiser_client.post(new, data={"name": "ÉÉN Wijkteam", "municipality": "Ède"}).status_code == 302
    assert organiser_client.post(new, data={"name": "ÉÉN Wijkteam"}).status_code == 302  # no municipality
    for name, municipality in (("ÉÉN Wijkteam", "Ède"), ("één wijkteam", "ÈDE"), ("één  WIJKTEAM", "")):
        response = organiser_client.post(new, data={"name": name, "municipality": municipality})
        assert response.status_code == 422
        assert "already an organisation" in response.get_data(as_text=True)
    url = f"/series/{series.id}/sessions/{session.id}/check-in/walk-in"
    response = organiser_client.post(url, data={"name": "Gast", "role": "resident", "organisation": "één WIJKTEAM"})
    assert response.status_code == 302
    assert db.session.scalars(select(Organisation.name)).all() == ["ÉÉN Wijkteam", "ÉÉN Wijkteam"]
    organisation = db.session.scalar(select(Person)).organisation
    assert (organisation.name, organisation.municipality) == ("ÉÉN Wijkteam", "")


def test_the_database_itself_keeps_the_names_apart(db, programme):
    from sqlalchemy.exc import IntegrityError

    from planner.people.models import Organisation
    from planner.programmes.models import Programme

    db.session.add(Organisation(name="ÉÉN Wijkteam", municipality="Ède"))
    db.session.commit()
    for row in (Organisation(name="één wijkteam", municipality="ÈDE"), Programme(name="ARMOEDE", slug="x")):
        db.session.add(row)
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_a_name_saved_at_the_same_moment_is_a_message_not_a_server_error(db, admin_client, monkeypatch):
    """The check before saving can miss a name saved meanwhile; the unique index does not."""
    import planner.people.services
    import planner.programmes.services

    admin_client.post("/programmes/new", data={"name": "Armoede"})
    assert admin_client.post("/organisations/new", data={"name": "Buurtwerk"}).status_code == 302
    # As if the other request committed just after our check: the check finds nothing.
    monkeypatch.setattr(planner.programmes.services, "name_key", lambda name: "(no such name)")
    monkeypatch.setattr(planner.people.services, "name_key", lambda name: "(no such name)")
    response = admin_client.post("/programmes/new", data={"name": "armoede"})
    assert response.status_code == 422
    assert "Er is al een leeratelier met deze naam." in response.get_data(as_text=True)
    response = admin_client.post("/organisations/new", data={"name": "BUURTWERK"})
    assert response.status_code == 422
    assert "Er is al een organisatie BUURTWERK in deze gemeente." in response.get_data(as_text=True)


def test_a_new_venue_typed_again_is_the_venue_already_known(db, organiser_client, programme):
    from planner.series.models import Series, Venue
    from tests.test_series_pages import series_form

    url = f"/programmes/{programme.slug}/series/new"
    for name in ("Buurthuis De Éik", "buurthuis de éik ", "Buurthuis De Éik"):
        response = organiser_client.post(url, data=series_form(new_venue_name=name, create="1"))
        assert response.status_code == 302
    assert db.session.scalars(select(Venue.name)).all() == ["Buurthuis De Éik"]
    assert count(db, Series) == 3
