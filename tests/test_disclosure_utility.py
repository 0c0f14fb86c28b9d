"""Utility you can count, on the demo's rounds: what rests on 5 or more responses is shown."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from planner.evaluations.counting import count_answers, forms_of, lined_up_questions
from planner.evaluations.summaries import summarise
from planner.series.models import Series
from tests.utility import THRESHOLD, figures_with_bases, shown_share


@pytest.fixture
def rounds(app, db):
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    return db.session.scalars(select(Series).where(Series.title.in_(["Ontmoeting Bemmel", "Ontmoeting Huissen"]))).all()


def test_the_demo_rounds_show_what_rests_on_five_or_more(app, rounds):
    assert len(rounds) == 2
    with app.test_request_context():
        for series in rounds:
            sessions = [s for s in series.sessions if not s.is_cancelled]
            ids = [s.id for s in sessions]
            counts = count_answers(ids, lined_up_questions(forms_of(ids)))
            summary = summarise(sessions, "nl")
            shown, based = shown_share(summary, counts)
            print(  # noqa: T201 - the figure is the point of this test; pytest -s shows it
                f"\n{series.title}: {shown} of {based} figures resting on ≥ 5 responses shown ({shown / based:.0%})"
            )
            if series.title == "Ontmoeting Bemmel":
                assert shown / based >= 0.8, f"{series.title}: only {shown} of {based} shown"
            bases = {what: base for what, base, _shown in figures_with_bases(summary, counts)}
            for q in summary.scale_questions:
                if bases[f"{q.info.key} n"] >= THRESHOLD:
                    assert q.mean.shown, f"{series.title}: the mean of {q.info.key} is hidden"
            for pair in summary.pairs:
                if min(bases[f"{h.info.key} n"] for h in (pair.before, pair.now)) >= THRESHOLD:
                    assert pair.before.mean.shown, pair.pair_key
                    assert pair.now.mean.shown, pair.pair_key
                    assert pair.change.shown, pair.pair_key
            for p in summary.profile:
                if bases.get(f"profile {p.condition}", 0) >= THRESHOLD:
                    assert p.score.shown, f"{series.title}: the {p.condition} score is hidden"
