"""Pages ask the database a fixed number of questions, however much data there is."""

from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from planner.extensions import db as _db
from tests import factories


@contextmanager
def counted_queries(app):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = _db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def queries_for(app, client, url) -> int:
    with counted_queries(app) as statements:
        assert client.get(url).status_code == 200
    return len(statements)


@pytest.mark.parametrize(
    "page",
    [
        "/",
        "/sessions",
        "/sessions/month/{year}-{month}",
        "/programmes/",
        "/programmes/armoede",
        "/series/{series}",
        "/series/{series}/attendance",
    ],
)
def test_query_count_does_not_grow_with_data(app, organiser_client, programme, organiser, page):
    first = factories.make_series(programme, organiser)
    start = first.sessions[0].local_start
    url = page.format(year=start.year, month=start.month, series=first.id)
    few = queries_for(app, organiser_client, url)
    for n in range(6):
        factories.make_series(programme, organiser, title=f"Ontmoeting {n}", first_day=start.date())
        factories.make_programme(name=f"Leeratelier {n}", organisers=[organiser])
        factories.add_session(first, weeks_after_last=1)
    many = queries_for(app, organiser_client, url)
    assert many == few, f"{url}: {few} queries with one series, {many} with seven"


def test_check_in_page_asks_a_fixed_number_of_questions(app, organiser_client, programme, organiser):
    from planner.attendance.services import add_walk_in, mark
    from planner.invitations.services import answer
    from planner.people.services import find_or_create_organisation

    series = factories.make_series(programme, organiser)
    session = series.sessions[0]
    url = f"/series/{series.id}/sessions/{session.id}/check-in"

    def add_people(n, offset):
        for i in range(n):
            organisation = find_or_create_organisation(f"Organisatie {offset + i}")
            invitation = factories.make_invitation(series, organisation=organisation)
            answer(invitation, session, "yes")
            mark(session, invitation.person_id, "present", actor=organiser)
            add_walk_in(
                session,
                name=f"Inloop {offset + i}",
                role="resident",
                organisation=f"Club {offset + i}",
                actor=organiser,
            )
        _db.session.commit()

    add_people(1, 0)
    few = queries_for(app, organiser_client, url)
    add_people(8, 1)
    many = queries_for(app, organiser_client, url)
    assert many == few, f"check-in: {few} queries with 2 people, {many} with 18"


def test_letters_pages_ask_a_fixed_number_of_questions(app, organiser_client, programme, organiser):
    from datetime import timedelta

    from planner.invitations.services import answer
    from planner.series.services import update_session
    from tests.factories import details_of

    def move(session):
        update_session(session, details_of(session, day=session.local_start.date() + timedelta(days=1)))
        _db.session.commit()

    first = factories.make_series(programme, organiser)
    answer(factories.make_invitation(first, email=None), first.sessions[0], "yes")
    move(first.sessions[0])
    urls = (f"/series/{first.id}/letters", "/letters")
    few = {url: queries_for(app, organiser_client, url) for url in urls}
    for n in range(4):
        invitation = factories.make_invitation(first, email=None, language="en" if n % 2 else "nl")
        answer(invitation, first.sessions[1], "yes")
        studio = factories.make_programme(name=f"Leeratelier {n}", organisers=[organiser])
        other = factories.make_series(studio, organiser, title=f"Ontmoeting {n}")
        factories.make_invitation(other, email=None)
    _db.session.commit()
    move(first.sessions[1])
    for url, count in few.items():
        assert queries_for(app, organiser_client, url) == count, url


def test_the_invitation_grid_asks_a_fixed_number_of_questions(app, organiser_client, programme, organiser):
    """The person × session grid: answers, waiting places, attendance, needs and mail status."""
    from planner.attendance.services import mark
    from planner.invitations.services import answer
    from planner.people.services import find_or_create_organisation

    series = factories.make_series(programme, organiser)
    url = f"/series/{series.id}/invitations"

    def add_people(n, offset):
        for i in range(n):
            organisation = find_or_create_organisation(f"Organisatie {offset + i}", f"Gemeente {offset + i}")
            invitation = factories.make_invitation(
                series,
                name=f"Deelnemer {offset + i}",
                organisation_id=organisation.id,
                municipality=f"Gemeente {offset + i}",
                email=None if i % 3 == 0 else f"grid{offset + i}@example.org",
            )
            invitation.needs_childcare = i % 2 == 0
            answer(invitation, series.sessions[i % 3], ["yes", "no", "maybe"][i % 3])
            mark(series.sessions[0], invitation.person_id, "present", actor=organiser)
        _db.session.commit()

    add_people(2, 0)
    few = queries_for(app, organiser_client, url)
    filtered = queries_for(app, organiser_client, url + "?need=any&answer=confirmed")
    add_people(60, 2)  # more than one page of the grid
    many = queries_for(app, organiser_client, url)
    assert many == few, f"grid: {few} queries with 2 invited, {many} with 62"
    assert queries_for(app, organiser_client, url + "?need=any&answer=confirmed") == filtered
    assert queries_for(app, organiser_client, url + "?page=2") == few


def test_the_home_page_asks_a_fixed_number_of_questions_however_much_work_waits(
    app, organiser_client, programme, organiser
):
    from planner.invitations.services import answer
    from planner.mail.models import MailStatus, OutboxMessage

    def add_work(n):
        for i in range(n):
            series = factories.make_series(programme, organiser, title=f"Reeks {n}-{i}")
            factories.make_series(programme, organiser, title=f"Concept {n}-{i}")
            for who in range(2):
                invitation = factories.make_invitation(series, email=None if who else f"p{n}{i}@example.org")
                answer(invitation, series.sessions[0], "yes")
            invitation.person.deletion_requested_at = series.created_at
            _db.session.execute(
                sa.update(OutboxMessage)
                .where(OutboxMessage.to_address == f"p{n}{i}@example.org")
                .values(status=MailStatus.FAILED)
            )
            _db.session.commit()

    add_work(1)
    few = queries_for(app, organiser_client, "/")
    add_work(4)
    many = queries_for(app, organiser_client, "/")
    assert many == few, f"/: {few} queries with little work waiting, {many} with more"


def test_a_trekker_home_asks_a_fixed_number_of_questions(app, client, programme, trekker):
    from tests import evaluation_data as data, evaluation_factories
    from tests.conftest import login

    form = data.make_form(programme)
    _db.session.commit()

    def add_rounds(n):
        for i in range(n):
            series = evaluation_factories.past_series(programme, title=f"Ronde {n}-{i}")
            data.mark_present(series.sessions[0], 6)
            responses = [data.respond(series.sessions[0], form, {"remark": f"Mooi {k}"}) for k in range(6)]
            data.approve_all(responses)
        _db.session.commit()

    login(client, trekker.email)
    add_rounds(3)  # the home page shows the latest three
    few = queries_for(app, client, "/")
    add_rounds(3)
    many = queries_for(app, client, "/")
    assert many == few, f"/: {few} queries with three rounds, {many} with six"


def _grow_world(programme, organiser, form, n, offset):
    """``n`` more of everything staff pages list: series with sessions, invitees who answered, came
    and evaluated, people, organisations and learning studios."""
    from planner.invitations.services import answer
    from planner.people.services import find_or_create_organisation
    from tests import evaluation_data as data, evaluation_factories

    made = []
    for i in range(offset, offset + n):
        organisation = find_or_create_organisation(f"Organisatie {i}", f"Gemeente {i}")
        series = evaluation_factories.past_series(programme, organiser, title=f"Ronde {i}")
        upcoming = factories.make_series(programme, organiser, title=f"Ontmoeting {i}")
        for session in series.sessions:
            data.use_form(session, form)
        for k in range(2):
            invitation = factories.make_invitation(
                upcoming,
                name=f"Deelnemer {i}-{k}",
                organisation_id=organisation.id,
                email=None if k else f"p{i}@example.org",
            )
            answer(invitation, upcoming.sessions[0], "yes")
        present = data.mark_present(series.sessions[0], 5)
        responses = [
            data.respond(series.sessions[0], form, {"remark": f"Mooi {k}", "mark": 7}, person=p)
            for k, p in enumerate(present)
        ]
        data.approve_all(responses)
        factories.make_programme(name=f"Leeratelier {i}", organisers=[organiser])
        made.append((series, upcoming))
    _db.session.commit()
    return made


def test_staff_pages_ask_a_fixed_number_of_questions_as_data_grows(app, admin_client, programme, organiser):
    """Every staff page, with 3 and with 30 of everything: series, sessions, invitees, people,
    organisations, studios, answers, attendance and evaluation responses."""
    from tests import evaluation_data as data

    form = data.make_form(programme)
    _db.session.commit()
    made = _grow_world(programme, organiser, form, 3, 0)
    past, upcoming = made[0]
    start = upcoming.sessions[0].local_start
    slug = programme.slug
    urls = [
        "/",
        "/sessions",
        f"/sessions/month/{start.year}-{start.month}",
        "/programmes/",
        f"/programmes/{slug}",
        f"/programmes/{slug}?archived=1",
        f"/programmes/{slug}/evaluations?series={past.id}&series={made[1][0].id}",
        f"/programmes/{slug}/evaluation-forms",
        f"/programmes/{slug}/mail-texts/",
        f"/series/{past.id}",
        f"/series/{past.id}/attendance",
        f"/series/{upcoming.id}/invitations",
        f"/series/{past.id}/evaluation",
        f"/series/{past.id}/evaluation/summary",
        f"/series/{past.id}/evaluation/quotes",
        f"/series/{past.id}/evaluation/moderation",
        f"/series/{upcoming.id}/letters",
        "/letters",
        "/people/",
        "/organisations/",
        "/admin/users",
        "/admin/audit",
        "/privacy/deletion-requests",
    ]
    few = {url: queries_for(app, admin_client, url) for url in urls}
    _grow_world(programme, organiser, form, 27, 3)
    for _n in range(5):
        factories.add_session(past, weeks_after_last=1)
        factories.add_session(upcoming, weeks_after_last=1)
    for session in past.sessions[1:]:
        data.mark_present(session, 6)
    _db.session.commit()
    many = {url: queries_for(app, admin_client, url) for url in urls}
    grew = [
        f"{url}: {few[url]} queries with 3 of everything, {many[url]} with 30" for url in urls if many[url] != few[url]
    ]
    assert not grew, "\n".join(grew)


def test_the_compare_page_asks_as_many_questions_for_two_series_as_for_five(app, admin_client, programme, organiser):
    from tests import evaluation_data as data

    form = data.make_form(programme)
    _db.session.commit()
    chosen = [series.id for series, _upcoming in _grow_world(programme, organiser, form, 5, 0)]

    def compare(ids):
        return queries_for(
            app, admin_client, f"/programmes/{programme.slug}/evaluations?" + "&".join(f"series={i}" for i in ids)
        )

    two, five = compare(chosen[:2]), compare(chosen)
    assert five == two, f"compare: {two} queries for two series, {five} for five"


def test_a_learning_studio_shows_its_series_a_page_at_a_time(app, organiser_client, programme, organiser):
    from datetime import timedelta

    from planner.series.overview import PER_PAGE

    first_day = factories.future_tuesday()
    for n in range(PER_PAGE + 3):
        factories.make_series(
            programme, organiser, title=f"Ontmoeting {n:02}", first_day=first_day + timedelta(weeks=n)
        )
    url = f"/programmes/{programme.slug}"
    first = organiser_client.get(url).get_data(as_text=True)
    second = organiser_client.get(url + "?page=2").get_data(as_text=True)
    newest, oldest = f"Ontmoeting {PER_PAGE + 2:02}", "Ontmoeting 00"
    assert newest in first, "page 1 shows the latest series"
    assert oldest not in first, "page 1 does not show the oldest series"
    assert oldest in second, "page 2 shows the oldest series"
    assert newest not in second, "page 2 does not show the latest series again"
    assert 'rel="next"' in first, "page 1 links to page 2"
    shown = [n for n in range(PER_PAGE + 3) if f"Ontmoeting {n:02}<" in first + second]
    assert shown == list(range(PER_PAGE + 3)), f"every series is on exactly one page, not only {shown}"
    assert queries_for(app, organiser_client, url + "?page=2") == queries_for(app, organiser_client, url)
