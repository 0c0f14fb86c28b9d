"""Anonymous means anonymous: downloads, moderation, counts, ids and the screen link."""

from __future__ import annotations

import re
from datetime import timedelta

import pyreadstat
import pytest
from sqlalchemy import func, select

from planner.evaluations.models import EvaluationResponse
from planner.evaluations.services import evaluation_of, new_short_code
from planner.extensions import db as _db
from planner.timekeeping import utcnow
from tests import evaluation_data as data, evaluation_factories as ef, factories
from tests.conftest import login
from tests.test_evaluation_exports import rows_of_csv


def _anonymous_series(programme, organiser, per_session):
    """An anonymous form; ``per_session``: (answers, people present) for each of four sessions."""
    series = factories.make_series(programme, organiser, count=4)
    form = data.make_form(programme, anonymous=True)
    for session, (answers, present) in zip(series.sessions, per_session, strict=True):
        data.use_form(session, form)
        data.mark_present(session, present)
        for i in range(answers):
            data.respond(
                session,
                form,
                {
                    "mood": 1 + i % 3,
                    "mark": 7,
                    "useful": "n/a",
                    "learned": ["rules"],
                    "remark": f"Anoniem {session.id}-{i}",
                },
                moderation="approved",
            )
    _db.session.commit()
    return series


def test_anonymous_rows_carry_their_group_not_their_session(client, organiser, programme):
    series = _anonymous_series(programme, organiser, [(6, 8), (2, 2), (4, 9), (0, 0)])
    login(client, organiser.email)
    rows = rows_of_csv(client.get(f"/series/{series.id}/evaluation/answers.csv"))
    header, body = rows[0], rows[1:]
    where = [row[header.index("Bijeenkomst")] for row in body]
    assert where == ["Bijeenkomst 1"] * 6 + ["Bijeenkomsten 2–3"] * 6
    assert all(row[header.index("Datum")] == "" for row in body), "an anonymous row has no date"
    assert not any(series.sessions[1].title in value for row in body for value in row)


def test_fewer_than_five_anonymous_answers_are_held_back_everywhere(client, organiser, trekker, programme):
    series = _anonymous_series(programme, organiser, [(3, 3), (0, 0), (0, 0), (0, 0)])
    login(client, organiser.email)
    assert len(rows_of_csv(client.get(f"/series/{series.id}/evaluation/answers.csv"))) == 1, "only the header"
    moderation = client.get(f"/series/{series.id}/evaluation/moderation?show=all").get_data(as_text=True)
    assert "Anoniem" not in moderation
    page = client.get(f"/series/{series.id}/evaluation").get_data(as_text=True)
    assert "Niet getoond" in page, "asked and answered are not shown for one anonymous session of 3"
    login(client, trekker.email)
    summary = client.get(f"/series/{series.id}/evaluation/summary").get_data(as_text=True)
    assert "niet meegeteld" in summary
    assert "Anoniem" not in client.get(f"/series/{series.id}/evaluation/quotes").get_data(as_text=True)


def test_spss_and_stata_files_hold_the_same_rows_with_labels(client, organiser, programme):
    series = _anonymous_series(programme, organiser, [(6, 8), (0, 0), (0, 0), (0, 0)])
    login(client, organiser.email)
    read_sav = lambda path: pyreadstat.read_sav(path, user_missing=True)  # noqa: E731 - keep the 9s
    for kind, read in (("sav", read_sav), ("dta", pyreadstat.read_dta)):
        response = client.get(f"/series/{series.id}/evaluation/answers.{kind}")
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
        path = f"/tmp/reeks-test-answers-{series.id}.{kind}"
        with open(path, "wb") as handle:
            handle.write(response.get_data())
        frame, meta = read(path)
        assert len(frame) == 6
        assert meta.column_names_to_labels["q_mood"] == "Vraag mood"
        assert meta.variable_value_labels["q_mood"][1] == "Niet goed"
        assert meta.variable_value_labels["q_useful"][9] == "Niet van toepassing"
        assert set(frame["q_useful"]) == {9}, "“not applicable” is coded 9"
        assert list(frame["q_learned_rules"]) == [1] * 6
        assert list(frame["q_learned_signals"]) == [0] * 6
        assert set(frame["anonymous"]) == {1}
        assert frame["role"].isna().all()
        assert set(frame["q_remark"]) <= {f"Anoniem {series.sessions[0].id}-{i}" for i in range(6)}
    frame, meta = pyreadstat.read_sav(f"/tmp/reeks-test-answers-{series.id}.sav")
    assert frame["q_useful"].isna().all(), "SPSS reads the 9s as missing"


def test_trekkers_get_no_answer_file(client, trekker, programme, organiser):
    series = _anonymous_series(programme, organiser, [(6, 8), (0, 0), (0, 0), (0, 0)])
    login(client, trekker.email)
    for kind in ("sav", "dta", "csv"):
        assert client.get(f"/series/{series.id}/evaluation/answers.{kind}").status_code == 404


def test_answers_are_known_by_a_random_id(client, organiser, programme):
    series = _anonymous_series(programme, organiser, [(6, 8), (0, 0), (0, 0), (0, 0)])
    login(client, organiser.email)
    html = client.get(f"/series/{series.id}/evaluation/moderation?show=all").get_data(as_text=True)
    ids = re.findall(r'id="answer-([^"]+)"', html)
    assert len(ids) == 6
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    first = _db.session.scalar(select(func.min(EvaluationResponse.id)))
    assert client.post(f"/series/{series.id}/evaluation/answers/1/moderate", data={"action": "hide"}).status_code == 404
    assert first not in html


# --- The screen's short link.


@pytest.fixture
def screen(db, programme, organiser):
    series = ef.past_series(programme, organiser, last_days_ago=0)
    session = series.sessions[-1]
    session.starts_at = utcnow() - timedelta(hours=3)
    session.ends_at = utcnow() - timedelta(hours=1)
    form = data.make_form(programme, anonymous=True, questions=[("mood", "smiley", {"options": data.SMILEYS})])
    data.use_form(session, form)
    evaluation = evaluation_of(session)
    evaluation.short_code = new_short_code()
    db.session.commit()
    return session, form, evaluation


def test_one_response_per_browser_on_the_screen_link(app, client, screen):
    _session, form, evaluation = screen
    url = f"/e/{evaluation.short_code}"
    answer = {f"q{form.questions[0].id}": "3"}
    assert client.post(url, data=answer).status_code == 303
    again = client.post(url, data=answer)
    assert again.status_code == 409
    assert "al ingevuld" in again.get_data(as_text=True).lower()
    assert _db.session.scalar(select(func.count(EvaluationResponse.id))) == 1
    other_browser = app.test_client()
    assert other_browser.post(url, data=answer).status_code == 303


def test_the_screen_link_closes_a_day_after_the_session(app, client, screen, monkeypatch):
    session, _form, evaluation = screen
    session.starts_at, session.ends_at = utcnow() - timedelta(hours=27), utcnow() - timedelta(hours=25)
    _db.session.commit()
    assert client.get(f"/e/{evaluation.short_code}").status_code == 404
    monkeypatch.setitem(app.config, "EVALUATION_SCREEN_HOURS", 48)
    assert client.get(f"/e/{evaluation.short_code}").status_code == 200


def test_the_organiser_is_warned_of_more_responses_than_people_present(app, client, organiser, screen):
    session, form, evaluation = screen
    data.mark_present(session, 1)
    _db.session.commit()
    for _ in range(2):
        assert (
            app.test_client().post(f"/e/{evaluation.short_code}", data={f"q{form.questions[0].id}": "2"}).status_code
            == 303
        )
    login(client, organiser.email)
    page = client.get(f"/series/{session.series_id}/evaluation").get_data(as_text=True)
    assert "Meer reacties dan mensen aanwezig" in page
    assert "Niet getoond" in page, "two anonymous answers with one person present: no counts"
