"""Summaries: every figure equals a plain computation on the same answers, or is hidden."""

from __future__ import annotations

import re
from collections import Counter
from statistics import mean, median

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import event

from planner.evaluations.disclosure import ANONYMOUS, THRESHOLD
from planner.evaluations.kinds import NOT_APPLICABLE
from planner.evaluations.summaries import summarise
from planner.extensions import db as _db
from tests import evaluation_data as data, factories
from tests.conftest import login

PROPERTY = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=25, deadline=None)

ROLES = ["resident", "volunteer", "professional"]

answer_sets = st.fixed_dictionaries(
    {
        "role": st.sampled_from(ROLES),
        "mood": st.integers(1, 3),
        "useful": st.one_of(st.integers(1, 5), st.just("n/a")),
        "mark": st.integers(0, 10),
        "again": st.integers(0, 1),
        "theme": st.sampled_from(["money", "care", "work"]),
        "learned": st.lists(st.sampled_from(["signals", "network", "rules"]), unique=True, min_size=1),
    }
)


def _clear(db):
    for table in reversed(db.metadata.sorted_tables):
        if table.name.startswith("evaluation") or table.name in ("attendance", "session_evaluation", "person"):
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def two_sessions(db, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    return series, series.sessions[:2]


@PROPERTY
@given(st.lists(st.tuples(st.integers(0, 1), answer_sets), min_size=0, max_size=24))
def test_figures_equal_a_plain_computation(db, two_sessions, given_answers):
    """Every shown figure is the plain figure of a group of at least 5 answers; every other is hidden."""
    _clear(db)
    _series, sessions = two_sessions
    form = data.make_form()
    present = [data.mark_present(s, 15) for s in sessions]
    for s in sessions:
        data.use_form(s, form)
    for which, answers in given_answers:
        data.respond(sessions[which], form, {k: v for k, v in answers.items() if k != "role"}, role=answers["role"])
    db.session.commit()

    summary = summarise(sessions, "nl")
    everyone = [a for _, a in given_answers]
    n = len(everyone)
    assert summary.present == sum(len(p) for p in present)
    assert summary.responses.value == (n if n >= THRESHOLD or n == 0 else None)
    if n >= THRESHOLD:
        assert summary.rate.value == pytest.approx(round(n / 30, 2))

    by_key = {q.info.key: q for q in summary.questions}
    for key in ("mood", "useful", "mark", "again", "theme"):
        plain = Counter(a[key] for a in everyone)
        q = by_key[key]
        for cell in q.cells:
            expected = plain.get("n/a" if cell.key == NOT_APPLICABLE else cell.key, 0)
            if n >= THRESHOLD:
                assert cell.figure.value == expected, f"{key} {cell.key}: a cell of a group of {n} is shown"
            else:
                assert cell.figure.shown == (n == 0)
        assert q.total.value == (n if n >= THRESHOLD or n == 0 else None)
    for key in ("mood", "useful", "mark"):
        values = [a[key] for a in everyone if a[key] != "n/a"]
        q = by_key[key]
        if n >= THRESHOLD and values:
            assert q.mean.value == round(mean(values), 1)
            assert q.median.value == median(values)
        else:
            assert not q.mean.shown
            assert not q.median.shown
    learned = Counter(o for a in everyone for o in a["learned"])
    for cell in by_key["learned"].cells:
        assert cell.figure.value == (learned[cell.key] if n >= THRESHOLD or n == 0 else None)

    for block in summary.per_session:
        responses = sum(1 for w, _ in given_answers if sessions[w] in block.sessions)
        assert block.responses.value == (responses if responses >= THRESHOLD or responses == 0 else None)
        if len(block.sessions) > 1:
            alone = [sum(1 for w, _ in given_answers if sessions[w] == s) for s in block.sessions]
            assert min(alone) < THRESHOLD, "sessions are only put together when one has too few"
    for row in summary.trend:
        for _label, figure, _code in row.points:
            assert figure.shown or figure.hidden in ("few", "none"), "none: only “not applicable” there"

    for row in summary.roles:
        members = None if row.role == "other" else [row.role]
        assert row.responses.value >= THRESHOLD
        if members:
            assert row.responses.value == sum(1 for a in everyone if a["role"] == row.role)
        for figure in row.means:
            assert figure.shown or figure.hidden in ("withheld", "none")

    empowerment = next(p for p in summary.profile if p.condition == "social_empowerment")
    parts = []
    if by_key["useful"].mean.shown:
        parts.append((by_key["useful"].mean.value - 1) / 4 * 100)
    if by_key["mark"].mean.shown:
        parts.append((by_key["mark"].mean.value - 0) / (10 - 0) * 100)
    assert empowerment.score.value == (round(sum(parts) / len(parts)) if parts else None)


def test_questions_line_up_across_versions_by_key(db, two_sessions):
    _series, (first, second) = two_sessions
    old = data.make_form(questions=[("theme", "choice", {"options": [("money", "Geld"), ("care", "Zorg")]})])
    new = data.make_form(
        lineage=old.lineage,
        version=2,
        questions=[
            ("extra", "yes_no", {}),
            ("theme", "choice", {"options": [("care", "Zorg en welzijn"), ("work", "Werk"), ("money", "Geld")]}),
        ],
    )
    for _ in range(6):
        data.respond(first, old, {"theme": "money"})
        data.respond(second, new, {"theme": "money", "extra": 1})
    for _ in range(5):
        data.respond(second, new, {"theme": "care"})
    db.session.commit()
    summary = summarise([first, second], "nl")
    theme = next(q for q in summary.questions if q.info.key == "theme")
    assert [c.key for c in theme.cells] == ["care", "work", "money"]
    assert next(c.label for c in theme.cells) == "Zorg en welzijn"
    assert [c.figure.value for c in theme.cells] == [5, 0, 12]
    assert theme.total.value == 17


def test_anonymous_responses_have_no_role(db, two_sessions):
    _series, (first, second) = two_sessions
    anonymous, named = data.make_form(anonymous=True), data.make_form()
    data.mark_present(first, 6)
    data.mark_present(second, 6)
    for _ in range(6):
        data.respond(first, anonymous, {"mood": 3})
        data.respond(second, named, {"mood": 1}, role="volunteer")
    db.session.commit()
    summary = summarise([first, second], "nl")
    assert [r.role for r in summary.roles] == ["volunteer", ANONYMOUS]
    assert [r.responses.value for r in summary.roles] == [6, 6]
    assert summary.anonymous_responses


def test_before_and_now_are_paired(db, two_sessions):
    _series, (first, _) = two_sessions
    form = data.make_form()
    for before, now in [(1, 4), (2, 5)] * 5:
        data.respond(first, form, {"contact_before": before, "contact_now": now})
    db.session.commit()
    (pair,) = summarise([first], "nl").pairs
    assert pair.before.mean.value == pytest.approx(1.5)
    assert pair.now.mean.value == pytest.approx(4.5)


def test_counting_takes_a_fixed_number_of_queries(app, db, two_sessions):
    _series, sessions = two_sessions
    form = data.make_form()

    def queries() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(_db.engine, "before_cursor_execute", listener)
        try:
            summarise(sessions, "nl")
        finally:
            event.remove(_db.engine, "before_cursor_execute", listener)
        return len(statements)

    data.respond(sessions[0], form, {"mood": 1})
    db.session.commit()
    few = queries()
    for i in range(30):
        data.respond(sessions[i % 2], form, {"mood": 1 + i % 3, "mark": i % 11, "learned": ["rules"], "remark": "x"})
    db.session.commit()
    assert queries() == few


# --- The pages.


@pytest.fixture
def answered_series(db, programme, organiser):
    series = factories.make_series(programme, organiser, count=4, municipality="Nijmegen")
    form = data.make_form(programme)
    for i, session in enumerate(series.sessions[:3]):
        data.use_form(session, form)
        data.mark_present(session, 10)
        for j in range(6 + i):
            data.respond(
                session,
                form,
                {
                    "mood": 1 + j % 3,
                    "useful": 4,
                    "mark": 7 + j % 3,
                    "again": 1,
                    "theme": "care",
                    "learned": ["signals"],
                    "remark": f"Mooi gesprek {j}",
                },
                role="resident" if j % 2 else "volunteer",
            )
    data.respond(series.sessions[3], form, {"mood": 3}, role="professional")
    db.session.commit()
    return series


def test_a_trekker_reads_the_series_and_session_summaries(client, trekker, answered_series):
    login(client, trekker.email)
    page = client.get(f"/series/{answered_series.id}/evaluation/summary")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'role="img"' in html
    assert "<title id=" in html
    assert "<desc id=" in html
    assert "Vraag mood" in html
    assert "Bijeenkomsten 3–4" in html
    assert "Niet per rol" in html
    assert "Sociale samenhang" in html
    session = answered_series.sessions[0]
    page = client.get(f"/series/{answered_series.id}/sessions/{session.id}/evaluation/summary")
    assert page.status_code == 200
    assert "Vraag mark" in page.get_data(as_text=True)


def test_only_the_programmes_own_people_see_summaries(app, client, answered_series, programme):
    series_id = answered_series.id
    urls = [
        f"/series/{series_id}/evaluation/summary",
        f"/series/{series_id}/sessions/{answered_series.sessions[0].id}/evaluation/summary",
        f"/series/{series_id}/evaluation/quotes",
        f"/series/{series_id}/evaluation/report",
        f"/series/{series_id}/evaluation/summary.csv",
        f"/series/{series_id}/evaluation/summary.xlsx",
        f"/programmes/{programme.slug}/evaluations?series={series_id}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"], url
    stranger = factories.make_user(email="other@example.org")
    factories.add_member(factories.make_programme(name="Elders"), stranger, "trekker")
    _db.session.commit()
    login(client, stranger.email)
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_trekkers_do_not_moderate_or_download_answers(client, trekker, answered_series):
    login(client, trekker.email)
    for url in ("moderation", "answers.csv", "answers.xlsx"):
        assert client.get(f"/series/{answered_series.id}/evaluation/{url}").status_code == 404


def test_series_side_by_side(client, trekker, answered_series, programme, organiser):
    other = factories.make_series(programme, organiser, count=4, title="Welkome Wijk Heumen", municipality="Heumen")
    login(client, trekker.email)
    page = client.get(f"/programmes/{programme.slug}/evaluations?series={answered_series.id}&series={other.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Welkome Wijk Heumen" in html
    assert "Vraag mark" in html


def test_a_studio_with_many_series_offers_the_newest_to_tick_and_finds_the_others(
    client, trekker, answered_series, programme, organiser, monkeypatch
):
    from planner.evaluations import services

    monkeypatch.setattr(services, "CHOICES_SHOWN", 2)
    old = factories.make_series(programme, organiser, count=4, title="Oude Reeks", municipality="Ubbergen")
    for n in range(3):
        factories.make_series(programme, organiser, count=4, title=f"Nieuwe Reeks {n}")
    login(client, trekker.email)
    url = f"/programmes/{programme.slug}/evaluations"

    def offered(query=""):
        html = client.get(url + query).get_data(as_text=True)
        return re.findall(r'name="series" value="(\d+)"', html), html

    ids, html = offered()
    assert len(ids) == 2
    assert str(old.id) not in ids
    assert "De nieuwste 2 van 5 reeksen" in html
    ids, _html = offered(f"?series={answered_series.id}")
    assert str(answered_series.id) in ids  # what was ticked stays offered, ticked
    assert len(ids) == 3
    ids, _html = offered("?q=UBBERGEN")
    assert ids == [str(old.id)]
    ids, html = offered("?q=50%25")
    assert ids == []
    assert "50%" in html


def test_summary_pages_ask_a_fixed_number_of_questions(app, client, trekker, answered_series, programme):
    from tests.test_query_counts import queries_for

    login(client, trekker.email)
    urls = [
        f"/series/{answered_series.id}/evaluation/summary",
        f"/series/{answered_series.id}/evaluation/report",
        f"/series/{answered_series.id}/evaluation/quotes",
        f"/programmes/{programme.slug}/evaluations?series={answered_series.id}",
        f"/series/{answered_series.id}/evaluation/summary.csv",
    ]
    few = [queries_for(app, client, url) for url in urls]
    form = data.make_form(programme, lineage=None, title="Nieuw")
    for session in answered_series.sessions:
        data.mark_present(session, 5, role="student")
        for j in range(12):
            response = data.respond(
                session,
                form,
                {"mood": 2, "mark": j % 11, "learned": ["network", "rules"], "remark": "Goed"},
                role="student",
            )
            data.approve_all([response])
            response.answers[-1].starred = True
    _db.session.commit()
    assert [queries_for(app, client, url) for url in urls] == few


def test_a_series_without_answers_says_so(client, trekker, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    login(client, trekker.email)
    html = client.get(f"/series/{series.id}/evaluation/summary").get_data(as_text=True)
    assert "Nog geen antwoorden." in html
    for url in ("report", "quotes", "summary.csv", "summary.xlsx"):
        assert client.get(f"/series/{series.id}/evaluation/{url}").status_code == 200


def test_a_session_of_another_series_is_not_found(client, trekker, answered_series, programme, organiser):
    other = factories.make_series(programme, organiser, count=4, title="Ander")
    login(client, trekker.email)
    assert (
        client.get(f"/series/{answered_series.id}/sessions/{other.sessions[0].id}/evaluation/summary").status_code
        == 404
    )
    assert client.get(f"/series/{answered_series.id}/evaluation/answers/999/star").status_code == 405


def test_charts_draw_only_shown_figures():
    from planner.evaluations.charts import bar_chart, line_chart
    from planner.evaluations.disclosure import Figure, few

    chart = bar_chart([("Goed", Figure(10)), ("Gaat wel", few()), ("Niet goed", Figure(5))])
    widths = [bar.width for bar in chart.bars]
    assert widths[0] > widths[2] > 0
    assert widths[1] == 0
    line = line_chart([("1", Figure(3.0)), ("2", Figure(4.0)), ("3", few()), ("4", Figure(5.0))], 1, 5)
    assert [p.y is None for p in line.points] == [False, False, True, False]
    assert len(line.polylines) == 1
    assert line.polylines[0].count(",") == 2


def test_a_session_with_too_few_answers_is_shown_with_the_next(db, two_sessions):
    _series, (first, second) = two_sessions
    form = data.make_form()
    data.mark_present(first, 4)
    data.mark_present(second, 8)
    for _ in range(3):
        data.respond(first, form, {"mood": 2})
    for _ in range(6):
        data.respond(second, form, {"mood": 3})
    db.session.commit()
    whole = summarise([first, second], "nl")
    assert whole.responses.value == 9
    (block,) = whole.per_session
    assert block.label == "Bijeenkomsten 1–2"
    assert block.responses.value == 9
    assert block.rate.value == 0.75
    for session in (first, second):
        page = summarise([first, second], "nl", session=session)
        assert page.block.label == "Bijeenkomsten 1–2"
        assert page.responses.value == 9
        (mood,) = [q for q in page.questions if q.info.key == "mood"]
        assert [c.figure.value for c in mood.cells] == [0, 3, 6], "the page shows the two sessions together"
    assert not whole.trend, "no trend of one group"


def test_a_session_page_shows_its_own_small_cells(db, programme, organiser):
    """Three happy faces among twelve answers: an answer, not a group of people, so it is shown,
    and the series page shows the sum of what the session pages show."""
    series = factories.make_series(programme, organiser, count=4)
    sessions = series.sessions[:3]
    form = data.make_form()
    for session, (happy, sad) in zip(sessions, [(3, 9), (8, 7), (6, 5)], strict=True):
        data.mark_present(session, happy + sad)
        data.use_form(session, form)
        for mood, times in ((3, happy), (1, sad)):
            for _ in range(times):
                data.respond(session, form, {"mood": mood})
    db.session.commit()

    def happy_faces(summary):
        (mood,) = [q for q in summary.questions if q.info.key == "mood"]
        return next(c.figure for c in mood.cells if c.key == 3)

    assert happy_faces(summarise(series.sessions, "nl")).value == 17
    pages = [happy_faces(summarise(series.sessions, "nl", session=s)).value for s in sessions]
    assert pages == [3, 8, 6]


def test_a_cancelled_sessions_summary_says_it_was_cancelled(db, client, trekker, answered_series):
    from planner.series.services import cancel_session

    session = answered_series.sessions[0]  # it had answers before it was cancelled
    cancel_session(session, "De zaal is niet beschikbaar")
    db.session.commit()
    login(client, trekker.email)
    page = client.get(f"/series/{answered_series.id}/sessions/{session.id}/evaluation/summary")
    assert page.status_code == 404
    assert f"{session.title} is geannuleerd" in page.get_data(as_text=True)
    assert client.get(f"/series/{answered_series.id}/evaluation/summary").status_code == 200
