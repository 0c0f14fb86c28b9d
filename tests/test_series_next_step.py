"""The series page: numbers per session, one next step (publish → invite → check in → evaluate),
quiet secondary actions and destructive ones that ask first."""

from __future__ import annotations

import re
from datetime import timedelta

from planner.extensions import db as _db
from planner.invitations.services import answer
from planner.series.numbers import SessionNumbers, Step, next_step, session_numbers
from planner.timekeeping import utcnow
from tests import evaluation_factories, factories


def _page(client, series) -> str:
    response = client.get(f"/series/{series.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _primary_buttons(page: str) -> list[str]:
    """The texts of the primary buttons in the next-step panel."""
    panel = page.split('class="next-step"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'class="button"[^>]*>([^<]+)<', panel)


def test_a_draft_asks_to_publish_with_one_primary_button(organiser_client, programme, organiser):
    series = factories.make_series(programme, organiser)
    page = _page(organiser_client, series)
    assert _primary_buttons(page) == ["Reeks publiceren"]
    assert 'aria-current="step"' in page
    # Removing a draft's session asks first, on a page of its own.
    session = series.sessions[1]
    remove = f"/series/{series.id}/sessions/{session.id}/remove"
    assert f'class="button button-secondary button-danger button-small" href="{remove}"' in page
    confirm = organiser_client.get(f"/series/{series.id}/sessions/{session.id}/remove")
    assert confirm.status_code == 200
    assert "Deze bijeenkomst verwijderen" in confirm.get_data(as_text=True)
    assert len(series.sessions) == 5  # the GET removed nothing
    assert organiser_client.post(f"/series/{series.id}/sessions/{session.id}/remove").status_code == 302
    _db.session.expire_all()
    assert len(series.sessions) == 4


def test_a_published_series_without_invitations_asks_to_invite(organiser_client, programme, organiser):
    series = factories.make_series(programme, organiser)
    from planner.series.services import publish_series

    publish_series(series)
    _db.session.commit()
    page = _page(organiser_client, series)
    assert _primary_buttons(page) == ["Mensen uitnodigen"]
    assert "button button-secondary button-danger button-small" in page  # cancel session: destructive, via its own page


def test_each_session_shows_its_answers_against_capacity(organiser_client, programme, organiser):
    series = factories.make_series(programme, organiser)
    people = [factories.make_invitation(series) for _ in range(4)]
    for invitation, given in zip(people, ["yes", "maybe", "no"], strict=False):
        answer(invitation, series.sessions[0], given)
    _db.session.commit()
    numbers = session_numbers([s.id for s in series.sessions])
    first = numbers[series.sessions[0].id]
    assert (first.confirmed, first.maybe, first.no, first.pending, first.present) == (1, 1, 1, 1, 0)
    page = _page(organiser_client, series)
    assert page.count('class="session-numbers"') == 5
    assert "<dt>Ja</dt><dd>1</dd>" in page
    assert "<dt>Geen antwoord</dt><dd>4</dd>" in page  # the other sessions: nobody answered yet


def test_on_the_day_the_next_step_is_checking_in(programme, organiser):
    series = factories.make_series(programme, organiser)
    factories.make_invitation(series)
    session = series.sessions[2]
    numbers = {s.id: SessionNumbers(pending=1) for s in series.sessions}
    on_the_day = session.starts_at - timedelta(hours=1)
    step = next_step(series, numbers, on_the_day)
    assert (step.step, step.session) == (Step.CHECK_IN, session)
    assert step.state_of(Step.INVITE) == "done"
    assert step.state_of(Step.EVALUATE) == "todo"


def test_after_a_session_with_people_present_the_next_step_is_evaluating(programme, organiser):
    series = evaluation_factories.past_series(programme, organiser)
    evaluation_factories.present(series.sessions[1])
    counted = session_numbers([s.id for s in series.sessions])
    assert counted[series.sessions[1].id].present == 1
    invited = {sid: SessionNumbers(confirmed=1, present=n.present) for sid, n in counted.items()}
    step = next_step(series, invited, utcnow())
    assert (step.step, step.session) == (Step.EVALUATE, series.sessions[1])
    sent = {**invited, series.sessions[1].id: SessionNumbers(confirmed=1, present=1, evaluations_sent=1)}
    assert next_step(series, sent, utcnow()).step == Step.DONE


def test_the_month_view_names_the_series_and_colours_each_studio(organiser_client, programme, organiser):
    other = factories.make_programme(name="JIP", organisers=[organiser])
    first = factories.make_series(programme, organiser, title="Ontmoeting Gendt")
    day = first.sessions[0].local_start.date()
    factories.make_series(other, organiser, title="Ontmoeting Huissen", first_day=day)
    page = organiser_client.get(f"/sessions/month/{day.year}-{day.month}").get_data(as_text=True)
    cell = page.split('<span class="full-date">', 1)[1].split("</td>", 1)[0]  # the first day with sessions
    assert cell.count("Ontmoeting 1</a>") == 2  # the same title twice on one day ...
    assert '<span class="series-name">Ontmoeting Gendt' in cell  # ... each with its series
    assert '<span class="series-name">Ontmoeting Huissen' in cell
    colours = re.findall(r'<li class="(studio-\d)">(?:Armoede|JIP)</li>', page)
    assert len(set(colours)) == 2  # the legend: a colour of its own per studio
