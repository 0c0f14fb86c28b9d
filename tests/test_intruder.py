"""The intruder (tests/intruder.py) reads everything a trekker can about a series and must pin down
no hidden figure: on generated series, on the demo's rounds, on the compare page, and across a
session's page and its series' page. And it does catch the leaks of a weaker release."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from planner.evaluations import disclosure
from planner.extensions import db as _db
from tests import evaluation_data as data, factories
from tests.conftest import login
from tests.intruder import Intruder, figures_in_csv, figures_in_html, figures_in_xlsx

GENERATED = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], max_examples=10, deadline=None
)
DEMO_PASSWORD = "reeks-demo-2026"
ADDITIVE = {key: kind != "multiple" for key, kind, _extra in data.STANDARD_QUESTIONS}


def released(client, series, *, additive=ADDITIVE) -> Intruder:
    """Everything a trekker can read about ``series``, read by the intruder."""
    intruder = Intruder(additive=dict(additive))
    sessions = [s for s in series.sessions if not s.is_cancelled]
    pages = [
        f"/series/{series.id}/evaluation/summary",
        f"/series/{series.id}/evaluation/report",
        f"/series/{series.id}/evaluation/report?appendix=1",
        f"/series/{series.id}/attendance",
        f"/programmes/{series.programme.slug}/evaluations?series={series.id}",
    ]
    pages += [f"/series/{series.id}/sessions/{s.id}/evaluation/summary" for s in sessions]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        intruder.read(figures_in_html(response.get_data(as_text=True), series.id))
    intruder.read(figures_in_csv(client.get(f"/series/{series.id}/evaluation/summary.csv").get_data(as_text=True)))
    intruder.read(figures_in_xlsx(client.get(f"/series/{series.id}/evaluation/summary.xlsx").get_data()))
    return intruder


def assert_safe(intruder: Intruder) -> None:
    assert not intruder.clashes, "the same figure printed with two values: " + "; ".join(intruder.clashes)
    assert not intruder.small_groups(), "attendance groups of fewer than 5 shown: " + "; ".join(intruder.small_groups())
    findings = intruder.narrowed()
    assert not findings, "hidden figures pinned down: " + "; ".join(
        f"{f.what} in {f.low:g}..{f.high:g}" for f in findings
    )


def _clear(db):
    for table in reversed(db.metadata.sorted_tables):
        if table.name.startswith("evaluation") or table.name in ("attendance", "session_evaluation"):
            db.session.execute(table.delete())
    db.session.commit()


answer = st.fixed_dictionaries(
    {
        "mood": st.integers(1, 3),
        "useful": st.one_of(st.integers(1, 5), st.just("n/a")),
        "mark": st.integers(0, 10),
        "again": st.integers(0, 1),
        "theme": st.sampled_from(["money", "care", "work"]),
        "learned": st.lists(st.sampled_from(["signals", "network", "rules"]), unique=True, min_size=1),
        "contact_before": st.integers(1, 5),
        "contact_now": st.integers(1, 5),
        "remark": st.just("Goed"),
    }
).flatmap(
    lambda full: st.sets(st.sampled_from(sorted(full)), max_size=3).map(
        lambda skipped: {k: v for k, v in full.items() if k not in skipped}
    )
)  # optional questions left out
session_answers = st.tuples(
    st.booleans(),  # an anonymous form
    st.integers(0, 9),  # people present beyond those who answered
    st.lists(st.tuples(st.sampled_from(["resident", "volunteer", "professional", "expert"]), answer), max_size=12),
)


@pytest.fixture
def generated_series(db, programme, organiser):
    return factories.make_series(programme, organiser, count=4)


@GENERATED
@given(st.lists(session_answers, min_size=4, max_size=4))
def test_the_intruder_pins_down_nothing_in_generated_series(db, client, trekker, generated_series, sessions):
    _clear(db)
    series = generated_series
    named, anonymous = data.make_form(series.programme), data.make_form(series.programme, anonymous=True)
    for session, (is_anonymous, extra, answers) in zip(series.sessions, sessions, strict=True):
        form = anonymous if is_anonymous else named
        data.use_form(session, form)
        data.mark_present(session, len(answers) + extra)
        for role, given_answers in answers:
            data.respond(session, form, given_answers, role=role, moderation="approved")
    db.session.commit()
    login(client, trekker.email)
    assert_safe(released(client, series))


def _additive() -> dict[str, bool]:
    """Which questions' cells add up: public, the forms say so."""
    from sqlalchemy import select

    from planner.evaluations.kinds import kind_of
    from planner.evaluations.models import EvaluationQuestion

    return {q.key: kind_of(q).additive for q in _db.session.scalars(select(EvaluationQuestion))}


@pytest.fixture
def demo(app, db):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    from sqlalchemy import select

    from planner.series.models import Series

    return {s.title: s for s in db.session.scalars(select(Series).where(Series.title.like("Ontmoeting %")))}


@pytest.mark.parametrize("title", ["Ontmoeting Bemmel", "Ontmoeting Huissen"])
def test_the_intruder_pins_down_nothing_in_the_demo(client, demo, title):
    login(client, "sanne.devries@example.org", DEMO_PASSWORD)
    intruder = released(client, demo[title], additive=_additive())
    assert len(intruder.printed) > 200, "the intruder read the pages"
    assert_safe(intruder)


def test_the_compare_page_and_both_series_pages_together(client, demo):
    login(client, "sanne.devries@example.org", DEMO_PASSWORD)
    bemmel, huissen = demo["Ontmoeting Bemmel"], demo["Ontmoeting Huissen"]
    compare = client.get(f"/programmes/{bemmel.programme.slug}/evaluations?series={bemmel.id}&series={huissen.id}")
    assert compare.status_code == 200
    for series in (bemmel, huissen):
        intruder = Intruder(additive=_additive())
        intruder.read(figures_in_html(compare.get_data(as_text=True), series.id))
        assert len(intruder.printed) > 10, "the compare page shows this series"
        intruder.read(figures_in_html(client.get(f"/series/{series.id}/evaluation/summary").get_data(as_text=True)))
        assert_safe(intruder)


# --- The intruder can fail.


def test_the_intruder_solves_the_old_release_of_5_5_1_1_1_with_its_mean():
    """Cell-by-cell suppression showed 5, 5, three times "fewer than 5", the total 13 and the mean."""
    intruder = Intruder()
    intruder.read(
        [
            ("k=cell;q=mark;c=1;s=1", "5"),
            ("k=cell;q=mark;c=2;s=1", "5"),
            *[(f"k=cell;q=mark;c={c};s=1", "minder dan 5") for c in (3, 4, 5)],
            ("k=n;q=mark;s=1", "13"),
            ("k=mean;q=mark;s=1", "2,2"),
        ]
    )
    found = {f.what for f in intruder.narrowed()}
    assert {w for w in found if "c=3" in w or "c=4" in w or "c=5" in w}, found


def test_the_intruder_catches_a_session_hidden_alone_instead_of_put_together(
    db, client, trekker, programme, organiser, monkeypatch
):
    """A weaker pass: each session its own group, a small one shown as "fewer than 5"."""
    monkeypatch.setattr(disclosure, "session_blocks", lambda sessions, *args: [(s,) for s in sessions])
    series = factories.make_series(programme, organiser, count=4)
    form = data.make_form(programme)
    for session, n in zip(series.sessions, (3, 10), strict=False):  # the later sessions get no answers
        data.use_form(session, form)
        data.mark_present(session, 12)
        for _ in range(n):
            data.respond(session, form, {"mood": 2})
    _db.session.commit()
    login(client, trekker.email)
    findings = released(client, series).narrowed()
    assert any("responses" in f.what and f.low == f.high == 3 for f in findings), findings
