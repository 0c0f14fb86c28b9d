"""The home page: an organiser's to-dos and coming sessions with their answers, a trekker's summaries."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from planner.dashboard.services import coming_sessions
from planner.dashboard.todos import REGISTRY, Link, Todo, todo, todos_for
from planner.extensions import db as _db
from planner.invitations.services import answer
from planner.mail.models import MailStatus, OutboxMessage
from planner.series.services import update_session
from planner.timekeeping import utcnow
from tests import evaluation_data as data, evaluation_factories, factories
from tests.conftest import login


@pytest.fixture(autouse=True)
def _request(app):
    with app.test_request_context():  # the to-dos' links are URLs
        yield


def _todos(user) -> dict[str, Todo]:
    return {t.key: t for t in todos_for(user, utcnow())}


def _page(client, url="/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_coming_sessions_count_yes_waiting_maybe_no_and_no_answer_against_capacity(app, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    first = series.sessions[0]
    update_session(first, factories.details_of(first, capacity=2))
    _db.session.commit()
    invitations = [factories.make_invitation(series) for _ in range(6)]
    for invitation, given in zip(invitations, ["yes", "yes", "yes", "maybe", "no"], strict=False):
        answer(invitation, first, given)
    _db.session.commit()

    rows = coming_sessions(organiser, utcnow())
    assert [row.session.id for row in rows] == [s.id for s in series.sessions]
    numbers = rows[0].numbers
    assert (numbers.confirmed, numbers.waiting, numbers.maybe, numbers.no, numbers.pending) == (2, 1, 1, 1, 1)
    assert rows[0].free == 0
    assert rows[1].numbers.pending == 6
    assert rows[1].free is None  # no maximum


def test_an_organiser_sees_only_the_series_they_organise(app, programme, organiser):
    other = factories.make_programme(name="JIP")
    mine = factories.make_series(programme, organiser, title="Ontmoeting Gendt")
    theirs = factories.make_series(other, organiser, title="JIP Arnhem")
    for series in (mine, theirs):
        factories.make_invitation(series)
    titles = {row.session.series.title for row in coming_sessions(organiser, utcnow())}
    assert titles == {"Ontmoeting Gendt"}
    forms = _todos(organiser)["forms"]
    assert (forms.count, forms.parts, forms.url) == (5, [], f"/series/{mine.id}/evaluation")  # one series: its link


def test_a_draft_is_a_series_to_publish_and_leaves_the_coming_sessions_alone(app, programme, organiser):
    series = factories.make_series(programme, organiser)
    todos = _todos(organiser)
    assert todos["publish"].count == 1
    assert todos["publish"].url == f"/series/{series.id}"
    assert coming_sessions(organiser, utcnow()) == []
    assert "forms" not in todos  # a draft's sessions are not waiting for anything yet


def test_letters_to_print_count_people_without_e_mail_per_series(app, programme, organiser):
    first = factories.make_series(programme, organiser, title="Ontmoeting A")
    second = factories.make_series(programme, organiser, title="Ontmoeting B")
    factories.make_invitation(first, email=None)
    factories.make_invitation(first, email=None)
    factories.make_invitation(first)  # has an address: gets a mail
    factories.make_invitation(second, email=None)
    letters = _todos(organiser)["letters"]
    assert letters.count == 3
    assert [(p.label, p.count, p.url) for p in letters.parts] == [
        ("Ontmoeting A", 2, f"/series/{first.id}/letters"),
        ("Ontmoeting B", 1, f"/series/{second.id}/letters"),
    ]


def test_failed_mails_are_counted_per_series_with_a_link_to_its_mail_log(app, programme, organiser):
    series = factories.make_series(programme, organiser)
    invitation = factories.make_invitation(series)
    assert "failed" not in _todos(organiser)
    message = _db.session.scalar(select(OutboxMessage).where(OutboxMessage.reference == invitation.mail_reference))
    message.status = MailStatus.FAILED
    _db.session.commit()
    other = factories.make_series(programme, organiser, title="Ontmoeting B")
    for invitation in (factories.make_invitation(other), factories.make_invitation(other)):
        reference = invitation.mail_reference
        _db.session.scalar(select(OutboxMessage).where(OutboxMessage.reference == reference)).status = MailStatus.FAILED
    factories.make_invitation(other)  # its mail is still queued: no to-do
    _db.session.commit()
    failed = _todos(organiser)["failed"]
    assert failed.count == 3
    assert sorted((p.count, p.url) for p in failed.parts) == [
        (1, f"/series/{series.id}/mail"),
        (2, f"/series/{other.id}/mail"),
    ]


def test_deletion_requests_are_a_to_do_for_people_managers(app, programme, organiser, trekker):
    series = factories.make_series(programme, organiser)
    invitation = factories.make_invitation(series)
    invitation.person.deletion_requested_at = utcnow()
    _db.session.commit()
    assert _todos(organiser)["deletion"].count == 1
    assert _todos(organiser)["deletion"].url == "/privacy/deletion-requests"


def test_sessions_on_the_built_in_form_wait_for_a_form_until_one_is_chosen(app, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    factories.make_invitation(series)
    assert _todos(organiser)["forms"].count == 4
    form = data.make_form(programme)
    data.use_form(series.sessions[0], form)
    _db.session.commit()
    assert _todos(organiser)["forms"].count == 3


def test_open_answers_to_moderate_count_pending_ones_only(app, programme, organiser):
    series = factories.make_series(programme, organiser)
    form = data.make_form(programme)
    for moderation in ("pending", "pending", "approved"):
        data.respond(series.sessions[0], form, {"remark": "Fijne avond"}, moderation=moderation)
    _db.session.commit()
    moderate = _todos(organiser)["moderate"]
    assert (moderate.count, moderate.url) == (2, f"/series/{series.id}/evaluation/moderation")


def test_a_session_with_people_present_and_no_evaluation_mail_is_not_sent(app, programme, organiser):
    series = evaluation_factories.past_series(programme, organiser, last_days_ago=1)
    last = series.sessions[-1]
    evaluation_factories.present(last)
    assert _todos(organiser)["evaluations"].count == 1
    from planner.evaluations.sending import send_due

    send_due(now=utcnow())
    _db.session.commit()
    assert "evaluations" not in _todos(organiser)


def test_the_mails_of_a_session_within_its_delay_are_not_late(app, programme, organiser):
    series = evaluation_factories.past_series(programme, organiser, last_days_ago=1)
    series.evaluation_delay_hours = 336
    evaluation_factories.present(series.sessions[-1])
    assert "evaluations" not in _todos(organiser)


def test_another_area_adds_a_to_do_by_registering_one_function(app, organiser):
    @todo
    def letters_to_post(user, now):
        return Todo("post", "Brieven op de post", 4, Link("people.index"))

    try:
        assert _todos(organiser)["post"].count == 4
    finally:
        REGISTRY.remove(letters_to_post)
    assert "post" not in _todos(organiser)


def test_the_home_page_shows_counts_and_links_for_the_organiser(app, client, programme, organiser):
    series = factories.make_series(programme, organiser, title="Ontmoeting Gendt")
    invitation = factories.make_invitation(series, email=None)
    answer(invitation, series.sessions[0], "yes")
    _db.session.commit()
    login(client, organiser.email)
    page = _page(client)
    assert "Brieven om te printen voor mensen zonder e-mail" in page
    assert f'href="/series/{series.id}/letters"' in page
    assert "Komende bijeenkomsten" in page
    assert f'href="/series/{series.id}"' in page


def test_a_trekker_home_shows_the_latest_summaries_with_few_responses_hidden(app, client, programme, trekker):
    series = evaluation_factories.past_series(programme, title="Ontmoeting Bemmel")
    form = data.make_form(programme)
    for session in series.sessions:
        data.use_form(session, form)
    data.mark_present(series.sessions[0], 3)
    responses = [data.respond(series.sessions[0], form, {"remark": f"Mooi gesprek {n}"}) for n in range(3)]
    data.approve_all(responses)
    _db.session.commit()
    login(client, trekker.email)
    page = _page(client)
    assert "Ontmoeting Bemmel" in page
    assert "Mooi gesprek" in page  # approved quotes, without names
    assert "minder dan 5" in page  # the three responses are not counted aloud
    assert '<dd><span class="figure-hidden">' in page
    assert "Te doen" not in page  # no organiser's to-dos for a trekker


def test_a_trekker_sees_no_quote_an_organiser_has_not_approved(app, client, programme, trekker):
    series = evaluation_factories.past_series(programme, title="Ontmoeting Huissen")
    form = data.make_form(programme)
    data.respond(series.sessions[0], form, {"remark": "Nog niet bekeken"})
    _db.session.commit()
    login(client, trekker.email)
    page = _page(client)
    assert "Ontmoeting Huissen" in page
    assert "Nog niet bekeken" not in page


def test_the_home_page_answers_for_someone_in_no_studio(app, client):
    user = factories.make_user(email="nieuw@example.org")
    _db.session.commit()
    login(client, user.email)
    assert "nog geen lid van een leeratelier" in _page(client)
