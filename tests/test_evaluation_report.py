"""The printable report: one or two pages a wethouder reads first, the appendix only when asked for."""

from __future__ import annotations

import re

from planner.extensions import db as _db
from tests import evaluation_data as data, factories
from tests.conftest import login


def _series(programme, organiser, *, starred: int):
    series = factories.make_series(programme, organiser, count=4, municipality="Gendt")
    form = data.make_form(programme)
    for number, session in enumerate(series.sessions[:2]):
        data.use_form(session, form)
        data.mark_present(session, 12)
        for j in range(10):
            response = data.respond(
                session,
                form,
                {
                    "mood": 1 + j % 3,
                    "useful": 4,
                    "mark": 7 + j % 3,
                    "contact_before": 2,
                    "contact_now": 4,
                    "remark": f"Citaat {number}-{j}",
                },
                role="resident" if j < 6 else "volunteer",
                moderation="approved",
            )
            response.answers[-1].starred = number * 10 + j < starred
    _db.session.commit()
    return series


def test_the_front_pages_hold_what_a_wethouder_reads(client, trekker, programme, organiser):
    series = _series(programme, organiser, starred=8)
    login(client, trekker.email)
    html = client.get(f"/series/{series.id}/evaluation/report").get_data(as_text=True)
    front = html.split('class="report-front"')[1]
    for heading in (
        "Wie we bereikten",
        "Aanwezig in de reeks",
        "Respons",
        "Belangrijkste cijfers",
        "Vroeger en nu",
        "Sociale kwaliteit",
        "Citaten",
    ):
        assert heading in front, heading
    assert "24 mensen kwamen naar minstens één van de 4 bijeenkomsten." in front
    assert "+2,0" in front, "the change before → now"
    assert re.search(r'<svg class="chart[^"]*" role="img" aria-labelledby="report-chart-profile-title"', front)
    assert len(re.findall(r'<li class="quote">', front)) == 6, "at most six quotes"
    assert "Bijlage: alle vragen" not in html, "no appendix unless asked for"
    assert "Vraag theme" not in html, "no appendix unless asked for"


def test_the_appendix_leaves_out_questions_nobody_answered(client, trekker, programme, organiser):
    series = _series(programme, organiser, starred=1)
    login(client, trekker.email)
    html = client.get(f"/series/{series.id}/evaluation/report?appendix=1").get_data(as_text=True)
    assert "Bijlage: alle vragen" in html
    assert "Vraag mood" in html
    assert 'id="q-theme"' not in html, "nobody answered these"
    assert 'id="q-again"' not in html, "nobody answered these"
