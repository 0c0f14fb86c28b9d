"""Every route, for every kind of user: who gets in, who gets a 404, who is sent to the login page.

Each endpoint is classified in ACCESS below, one line each. A route that is not classified makes
the test fail: add a line for it when you add the route.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from planner.extensions import db as _db
from tests.world import USERS, build_world

# Who may use an endpoint.
PUBLIC = "public"  # anyone, logged in or not
TOKEN = "participant-token"  # anyone with the personal link; a guessed token is a 404
DOOR = "door-code"  # anyone with the session's door code; a wrong code is a 404
PUBLISHED = "published-object"  # anyone, for a published object; an unknown id is a 404
DEBUG = "debug-only"  # only with FLASK_DEBUG: a 404 for everyone here, not even a login redirect
STAFF = "staff-any"  # any logged-in staff member
ADMIN = "admin-only"
PEOPLE = "people-manager"  # admins and organisers of any programme
VIEW = "programme-view"  # admins, organisers and trekkers of the object's programme
ORGANISE = "programme-organise"  # admins and organisers of the object's programme

ACCESS = {
    "static": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "auth.language": PUBLIC,
    "statements.privacy": PUBLIC,
    "statements.accessibility": PUBLIC,
    "participant.personal_page": TOKEN,
    "participant.language": TOKEN,
    "participant.own_details": TOKEN,
    "consent.save": TOKEN,
    "feeds.new_feed": TOKEN,
    "feeds.personal_feed": TOKEN,
    "feeds.session_file": TOKEN,
    "attendance.personal": TOKEN,
    "attendance.door": DOOR,
    "feeds.series_feed": TOKEN,
    "mail.index": DEBUG,
    "mail.show": DEBUG,
    "mail.html_part": DEBUG,
    "debug_sending.evaluations": DEBUG,
    "debug_sending.reminders": DEBUG,
    "dashboard.home": STAFF,
    "dashboard.renew_calendar_feed": STAFF,
    "dashboard.staff_feed": TOKEN,
    "series.overview": STAFF,
    "series.month": STAFF,
    "programmes.index": STAFF,
    "auth.account": STAFF,
    "auth.log_out_everywhere": STAFF,
    "auth.account_contact": STAFF,
    "auth.users": ADMIN,
    "auth.new_user": ADMIN,
    "auth.edit_user": ADMIN,
    "auth.end_user_sessions": ADMIN,
    "audit.index": ADMIN,
    "audit.export": ADMIN,
    "programmes.new": ADMIN,
    "programmes.edit": ADMIN,
    "people.index": PEOPLE,
    "people.show": PEOPLE,
    "people.new": PEOPLE,
    "people.edit": PEOPLE,
    "people.import_upload": PEOPLE,
    "people.import_review": PEOPLE,
    "people.organisations": PEOPLE,
    "people.new_organisation": PEOPLE,
    "people.edit_organisation": PEOPLE,
    "series.programme": VIEW,
    "series.show": VIEW,
    "attendance.figures": VIEW,
    "attendance.figures_download": VIEW,
    "series.add_blocked_date": ORGANISE,
    "mailtexts.index": ORGANISE,
    "mailtexts.edit": ORGANISE,
    "mailtexts.reset": ORGANISE,
    "programmes.remove_blocked_date": ORGANISE,
    "series.new": ORGANISE,
    "series.edit": ORGANISE,
    "series.new_session": ORGANISE,
    "series.edit_session": ORGANISE,
    "series.cancel": ORGANISE,
    "series.remove": ORGANISE,
    "series.publish": ORGANISE,
    "rounds.duplicate": ORGANISE,
    "rounds.reinstate": ORGANISE,
    "rounds.archive": ORGANISE,
    "rounds.restore": ORGANISE,
    "series.open_feed": ORGANISE,
    "series.close_feed": ORGANISE,
    "invitations.index": ORGANISE,
    "invitations.invite": ORGANISE,
    "invitations.resend": ORGANISE,
    "invitations.revoke": ORGANISE,
    "invitations.remind": ORGANISE,
    "invitations.fill": ORGANISE,
    "letters.invitation_letter": ORGANISE,
    "letters.series_letters": ORGANISE,
    "letters.printed": ORGANISE,
    "letters.undo": ORGANISE,
    "mail_log.index": ORGANISE,
    "mail_log.resend": ORGANISE,
    "letters.all_letters": PEOPLE,
    "letters.all_printed": PEOPLE,
    "letters.all_undo": PEOPLE,
    "letters.code": PUBLIC,
    "letters.reply_slip": ORGANISE,
    "invitation_grid.bulk": ORGANISE,
    "invitation_grid.export": ORGANISE,
    "attendance.check_in": ORGANISE,
    "attendance.mark_person": ORGANISE,
    "attendance.walk_in": ORGANISE,
    "attendance.sheet": ORGANISE,
    "attendance.door_qr": ORGANISE,
    "attendance.renew_door": ORGANISE,
    "attendance.close_door_check_in": ORGANISE,
    "attendance.pending_check_in": ORGANISE,
    "attendance.groups": ORGANISE,
    "attendance.draw_groups": ORGANISE,
    "attendance.change_group": ORGANISE,
    "attendance.print_groups": ORGANISE,
    "privacy.my_data": TOKEN,
    "privacy.my_data_download": TOKEN,
    "privacy.withdraw": TOKEN,
    "privacy.resume": TOKEN,
    "privacy.delete_confirm": TOKEN,
    "privacy.delete_request": TOKEN,
    "privacy.delete_cancel": TOKEN,
    "privacy.deletion_requests": PEOPLE,
    "privacy.erase": PEOPLE,
    "evaluation_participant.answer": TOKEN,
    "evaluation_participant.thanks": TOKEN,
    "evaluation_participant.language": TOKEN,
    "evaluations.forms": VIEW,
    "evaluations.form": VIEW,
    "evaluations.new_form": ORGANISE,
    "evaluations.copy": ORGANISE,
    "evaluations.new_question": ORGANISE,
    "evaluations.edit_question": ORGANISE,
    "evaluations.move": ORGANISE,
    "evaluations.delete": ORGANISE,
    "evaluation_sessions.series_page": ORGANISE,
    "evaluation_sessions.choose": ORGANISE,
    "evaluation_sessions.screen": ORGANISE,
    "evaluation_sessions.print_form": ORGANISE,
    "evaluation_sessions.paper": ORGANISE,
    "evaluation_sessions.send_now": ORGANISE,
    "evaluation_reports.series_summary": VIEW,
    "evaluation_reports.session_summary": VIEW,
    "evaluation_reports.compare_series": VIEW,
    "evaluation_reports.quotes_page": VIEW,
    "evaluation_reports.star_quote": VIEW,
    "evaluation_reports.report": VIEW,
    "evaluation_reports.summary_download": VIEW,
    "evaluation_reports.moderation_page": ORGANISE,
    "evaluation_reports.moderate_answer": ORGANISE,
    "evaluation_reports.answers_download": ORGANISE,
}

# Endpoints whose ``code`` is not the door code: (personal evaluation link, screen short code).
CODE_FROM = {
    "evaluation_participant.answer": "evaluation_token",
    "evaluation_participant.language": "evaluation_token",
    "evaluation_participant.thanks": "screen_code",
}

ALLOWED = {
    STAFF: {"admin", "organiser_a", "trekker_a", "organiser_b"},
    ADMIN: {"admin"},
    PEOPLE: {"admin", "organiser_a", "organiser_b"},
    VIEW: {"admin", "organiser_a", "trekker_a"},
    ORGANISE: {"admin", "organiser_a"},
}
OPEN = {PUBLIC, TOKEN, DOOR, PUBLISHED}  # no login: the link or the object itself is the key
FINE = {200, 302, 303}
# URL parameters that name an object: a guessed value must be a 404.
GUESSES = {
    "series_id": 999_999,
    "session_id": 999_999,
    "invitation_id": 999_999,
    "person_id": 999_999,
    "organisation_id": 999_999,
    "user_id": 999_999,
    "blocked_id": 999_999,
    "message_id": 999_999,
    "slug": "geen-leeratelier",
    "token": "Gok" * 10,
    "code": "00000000",
    "form_id": 999_999,
    "key": "geen_vraag",
    "answer_id": 999_999,
    "mail_kind": "geen_mail",
}
# A few fields so a POST that got through would change something.
POST_DATA = {
    "title": "Gekaapt",
    "name": "Gekaapt",
    "reason": "x",
    "status": "present",
    "lang": "en",
    "emails": "Gekaapt <gekaapt@example.org>",
    "consent_photos": "yes",
}


def test_every_endpoint_is_classified(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = sorted(endpoints - set(ACCESS))
    assert not missing, (
        f"Classify these endpoints in ACCESS in tests/test_access_matrix.py (who may use them?): {missing}"
    )
    gone = sorted(set(ACCESS) - endpoints)
    assert not gone, f"ACCESS names endpoints that no longer exist: {gone}"


@pytest.fixture
def world(app, db):
    """The shared world (tests/world.py), as the dict these tests read."""
    built = build_world(app)
    return {"values": built.values, "clients": built.clients, "feed_token": built.feed_token}


def _rules(app):
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint in ACCESS),
        key=lambda rule: (rule.endpoint, rule.rule),
    )


def _url(rule, values: dict, feed_token: str, guessed: bool = False) -> str:
    arguments = {name: values[name] for name in rule.arguments}
    if rule.endpoint in CODE_FROM:
        arguments["code" if "code" in arguments else "token"] = values[CODE_FROM[rule.endpoint]]
    if rule.endpoint == "feeds.personal_feed":
        arguments["token"] = feed_token
    if rule.endpoint == "feeds.series_feed":
        arguments["token"] = values["series_feed_token"]
    if rule.endpoint == "dashboard.staff_feed":
        arguments["token"] = values["staff_feed_token"]
    if guessed:
        arguments.update({name: GUESSES[name] for name in rule.arguments if name in GUESSES})
    return rule.build(arguments)[1]


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and response.location.startswith("/login")


def _snapshot() -> dict:
    """Every row of every table, to show a refused POST changed nothing."""
    with _db.engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(table.select()))
            for table in _db.metadata.sorted_tables
        }


def _expected(kind: str, who: str) -> str:
    if kind in OPEN:
        return "allowed"
    if kind == DEBUG:
        return "404"
    if who == "anonymous":
        return "login"
    return "allowed" if who in ALLOWED[kind] else "404"


def _check(response, expected: str) -> bool:
    response.close()  # a static file is streamed from disk
    if expected == "login":
        return _is_login_redirect(response)
    if expected == "404":
        return response.status_code == 404
    return response.status_code in FINE


def test_each_user_gets_what_their_role_allows(app, world):
    values, clients = world["values"], world["clients"]
    problems = []
    for rule in _rules(app):
        kind = ACCESS[rule.endpoint]
        url = _url(rule, values, world["feed_token"])
        for who in USERS:
            expected = _expected(kind, who)
            if "GET" in rule.methods:
                response = clients[who].get(url)
                if not _check(response, expected):
                    problems.append(
                        f"GET {url} ({rule.endpoint}, {kind}) as {who}: {response.status_code}, expected {expected}"
                    )
            if "POST" in rule.methods and expected != "allowed":
                before = _snapshot()
                response = clients[who].post(url, data={**POST_DATA, "person_id": values["person_id"]})
                if not _check(response, expected):
                    problems.append(
                        f"POST {url} ({rule.endpoint}, {kind}) as {who}: {response.status_code}, expected {expected}"
                    )
                if _snapshot() != before:
                    problems.append(f"POST {url} ({rule.endpoint}) as {who} changed the database")
    assert not problems, "\n".join(problems)


def test_guessed_ids_and_tokens_are_404_even_for_an_admin(app, world):
    values, clients = world["values"], world["clients"]
    problems = []
    for rule in _rules(app):
        kind = ACCESS[rule.endpoint]
        if not set(rule.arguments) & set(GUESSES) or rule.endpoint == "static":
            continue
        url = _url(rule, values, world["feed_token"], guessed=True)
        who = "anonymous" if kind in OPEN else "admin"
        client = clients[who]
        before = _snapshot()
        if "GET" in rule.methods:
            response = client.get(url)
            if response.status_code != 404:
                problems.append(f"GET {url} ({rule.endpoint}) as {who}: {response.status_code}, expected 404")
        if "POST" in rule.methods:
            response = client.post(url, data=POST_DATA)
            if response.status_code != 404:
                problems.append(f"POST {url} ({rule.endpoint}) as {who}: {response.status_code}, expected 404")
        if _snapshot() != before:
            problems.append(f"{url} ({rule.endpoint}) with a guessed id changed the database")
    assert not problems, "\n".join(problems)


def test_the_other_programmes_organiser_cannot_reach_b_from_a_either(app, world, db):
    """The mirror image: organiser A on programme B's series gets a 404 everywhere."""
    from planner.series.models import Series

    series_b = db.session.scalar(sa.select(Series).where(Series.title == "Reeks B"))
    client = world["clients"]["organiser_a"]
    values = {
        **world["values"],
        "series_id": series_b.id,
        "session_id": series_b.sessions[0].id,
        "slug": series_b.programme.slug,
    }
    problems = []
    for rule in _rules(app):
        if ACCESS[rule.endpoint] not in (VIEW, ORGANISE) or not {"series_id", "slug"} & set(rule.arguments):
            continue
        if {"invitation_id", "blocked_id"} & set(rule.arguments):
            continue  # those objects belong to A; the series of B already refuses
        url = rule.build({name: values[name] for name in rule.arguments})[1]
        if "GET" in rule.methods and (status := client.get(url).status_code) != 404:
            problems.append(f"GET {url} ({rule.endpoint}): {status}")
    assert not problems, "\n".join(problems)
