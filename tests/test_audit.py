"""The audit trail: who viewed, exported, changed or deleted personal data, when and from where."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, func, select

from planner.audit.models import AuditAction, AuditEvent
from planner.audit.services import record_event
from planner.invitations.services import answer
from planner.people.models import Person
from planner.timekeeping import utcnow
from tests import factories
from tests.conftest import login
from tests.test_query_counts import counted_queries


def events(db, **where):
    db.session.expire_all()
    query = select(AuditEvent).order_by(AuditEvent.id)
    for key, value in where.items():
        query = query.where(getattr(AuditEvent, key) == value)
    return db.session.scalars(query).all()


@pytest.fixture
def series(db, programme, organiser):
    return factories.make_series(programme, organiser)


@pytest.fixture
def invited(db, series):
    invitation = factories.make_invitation(series, name="Zoë Zonnebloem", email=None, municipality="Gendt")
    answer(invitation, series.sessions[0], "yes")
    db.session.commit()
    return invitation


def no_personal_data_in(entries, *words):
    text = " ".join(f"{e.object_id} {e.detail} {e.source}" for e in entries)
    return not any(word in text for word in words)


# --- Which pages write to the trail


def test_person_pages_record_view_and_change_with_who_and_from_where(organiser_client, organiser, db):
    person = factories.make_person(name="Bram Bakker", email="bram@example.org")
    assert organiser_client.get(f"/people/{person.id}").status_code == 200
    assert organiser_client.get(f"/people/{person.id}/edit").status_code == 200
    organiser_client.post(
        f"/people/{person.id}/edit",
        data={
            "name": "Bram B.",
            "role": "resident",
            "email": "bram@example.org",
            "language": "nl",
            "organisation_id": "0",
        },
    )
    organiser_client.get("/people/")
    trail = events(db, object_type="person")
    assert [(e.action, e.object_id) for e in trail] == [
        ("view", str(person.id)),
        ("view", str(person.id)),
        ("change", str(person.id)),
        ("view", ""),
    ]
    first = trail[0]
    assert (first.actor_id, first.actor, first.ip_address) == (organiser.id, "organiser@example.org", "127.0.0.1")
    assert first.source == f"GET /people/{person.id}"
    assert trail[-1].detail == f"list: {person.id}", "a list page: one entry with the ids shown"
    assert no_personal_data_in(trail, "Bram", "bram@example.org")


def test_attendance_pages_record_view_change_and_export(organiser_client, db, series, invited):
    session = series.sessions[0]
    base = f"/series/{series.id}/sessions/{session.id}"
    person_id = invited.person_id
    organiser_client.get(f"{base}/check-in")
    organiser_client.post(f"{base}/check-in/mark", data={"person_id": person_id, "status": "present"})
    organiser_client.post(f"{base}/check-in/walk-in", data={"name": "Walter Walk-in", "role": "resident"})
    organiser_client.get(f"{base}/sign-in-sheet")
    organiser_client.get(f"/series/{series.id}/attendance.csv")
    organiser_client.get(f"/series/{series.id}/attendance.xlsx")
    walker = db.session.scalar(select(Person).where(Person.name == "Walter Walk-in"))
    trail = [(e.action, e.object_type, e.object_id, e.detail) for e in events(db)]
    assert trail[0] == ("view", "attendance", str(session.id), f"check-in list, persons: {person_id}")
    assert ("change", "attendance", str(session.id), f"person {person_id}: present") in trail
    assert ("change", "attendance", str(session.id), f"walk-in: person {walker.id}") in trail
    assert ("export", "attendance", str(session.id), f"sign-in sheet, persons: {person_id},{walker.id}") in trail
    assert ("export", "attendance_figures", str(series.id), "csv") in trail
    assert ("export", "attendance_figures", str(series.id), "xlsx") in trail
    assert no_personal_data_in(events(db), "Zoë", "Walter", "Gendt")


def test_invitation_lists_and_letters_are_recorded(organiser_client, db, series, invited):
    organiser_client.get(f"/series/{series.id}/invitations")
    organiser_client.get(f"/series/{series.id}/letters")
    organiser_client.get(f"/series/{series.id}/invitations/{invited.id}/letter")
    organiser_client.post(
        f"/series/{series.id}/invitations",
        data={
            "emails": "Nieuw <nieuw@example.org>",
            "sessions": [str(s.id) for s in series.sessions],
        },
    )
    trail = [(e.action, e.object_type, e.object_id, e.detail) for e in events(db)]
    person = f"persons: {invited.person_id}"
    assert trail[:3] == [
        ("view", "invitation_list", str(series.id), person),
        ("export", "letter", str(series.id), person),
        ("export", "letter", str(series.id), f"person {invited.person_id}"),
    ]
    assert ("change", "invitation_list", str(series.id), "invited: 1 new, 0 extended") in trail
    assert no_personal_data_in(events(db), "nieuw@example.org", "Zoë")


def test_the_trail_stores_no_personal_link(client, db, series, invited):
    """Whoever reads the trail or its export must not be able to act as a participant."""
    token = invited.token
    assert client.get(f"/i/{token}/my-data").status_code == 200
    assert client.get(f"/i/{token}/my-data.json").status_code == 200
    trail = events(db, object_type="person")
    assert [e.source for e in trail] == ["GET /i/<token>/my-data", "GET /i/<token>/my-data.json"]
    assert all(token not in f"{e.object_id} {e.detail} {e.source}" for e in events(db))


@pytest.mark.parametrize(
    ("rule", "values", "path", "expected"),
    [
        ("/i/<token>/check-in/<int:session_id>", {"token": "a" * 32, "session_id": 7}, "", "/i/<token>/check-in/7"),
        ("/check-in/<int:session_id>/<code>", {"session_id": 3, "code": "Xy12"}, "", "/check-in/3/<code>"),
        (
            "/series/<int:series_id>/attendance.<any(csv, xlsx):kind>",
            {"series_id": 4, "kind": "csv"},
            "",
            "/series/4/attendance.csv",
        ),
        (None, None, "/i/" + "b" * 40 + "/consent", "/i/<token>/consent"),
        (None, None, "/e/Q7xK2mNp", "/e/<code>"),
        (None, None, "/somewhere/" + "c" * 24, "/somewhere/<token>"),
        (None, None, "/people/12", "/people/12"),
    ],
)
def test_paths_lose_their_secrets(rule, values, path, expected):
    from planner.audit.paths import path_without_secrets

    assert path_without_secrets(rule, values, path) == expected


def test_a_refused_request_leaves_no_trail(client, db, series, invited):
    other = factories.make_user(email="ander@example.org")
    factories.add_member(factories.make_programme(name="Ander"), other, "organiser")
    db.session.commit()
    login(client, other.email)
    assert client.get(f"/series/{series.id}/invitations").status_code == 404
    assert client.get(f"/series/{series.id}/sessions/{series.sessions[0].id}/check-in").status_code == 404
    assert events(db) == []


def test_the_trail_outlives_the_person(organiser_client, db):
    person = factories.make_person(name="Weg")
    organiser_client.get(f"/people/{person.id}")
    db.session.execute(delete(Person).where(Person.id == person.id))
    db.session.commit()
    assert [e.object_id for e in events(db)] == [str(person.id)]


# --- The admin page


def seed(db, n: int, start: datetime, **overrides):
    for i in range(n):
        values = {"actor": "system", "action": AuditAction.VIEW, "object_type": "person", "object_id": i}
        values.update(overrides)
        event = record_event(**values)
        event.at = start + timedelta(minutes=i)
    db.session.commit()


def test_only_admins_see_the_trail(client, organiser_client, db):
    for url in ["/admin/audit", "/admin/audit.csv", "/admin/audit.xlsx"]:
        assert organiser_client.get(url).status_code == 404, url
    client.post("/logout")
    anonymous = client.application.test_client()
    response = anonymous.get("/admin/audit")
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_the_admin_menu_links_the_trail(admin_client, organiser_client):
    assert 'href="/admin/audit"' in admin_client.get("/sessions").get_data(as_text=True)


def test_newest_first_paginated_and_filtered(admin_client, admin, db):
    admin.locale = "en"
    db.session.commit()
    start = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    seed(db, 60, start)
    seed(db, 3, start + timedelta(days=3), actor=admin, action=AuditAction.EXPORT, object_type="letter")
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "63 entries" in page
    assert "Page 1 of 2" in page
    assert page.index("<td>Letter</td>") < page.index("<td>Person</td>"), "newest first"
    second = admin_client.get("/admin/audit?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second

    assert "3 entries" in admin_client.get("/admin/audit?action=export").get_data(as_text=True)
    assert "60 entries" in admin_client.get("/admin/audit?object_type=person").get_data(as_text=True)
    assert "3 entries" in admin_client.get("/admin/audit?actor=ADMIN@").get_data(as_text=True)
    # Days are Amsterdam days: 1 May 08:00-08:59 UTC is 10:00-10:59 there.
    assert "60 entries" in admin_client.get("/admin/audit?since=2026-05-01&until=2026-05-01").get_data(as_text=True)
    assert "3 entries" in admin_client.get("/admin/audit?since=2026-05-02").get_data(as_text=True)
    assert "No entries" in admin_client.get("/admin/audit?until=2026-04-30").get_data(as_text=True)


def test_a_bad_filter_is_a_clear_4xx(admin_client, admin, db):
    admin.locale = "en"
    db.session.commit()
    response = admin_client.get("/admin/audit?since=2026-05-02&until=2026-05-01")
    assert response.status_code == 400
    assert "must not be before" in response.get_data(as_text=True)
    response = admin_client.get("/admin/audit?action=steal&since=gisteren")
    assert response.status_code == 400
    assert "valid" in response.get_data(as_text=True).lower()
    for export in ("/admin/audit.csv", "/admin/audit.xlsx"):
        response = admin_client.get(export + "?since=gisteren")
        assert response.status_code == 400, export
        assert "valid" in response.get_data(as_text=True).lower(), export
    assert events(db, object_type="audit_trail") == [], "a refused export is not recorded"


def test_the_page_asks_a_fixed_number_of_queries(app, admin_client, db):
    start = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    seed(db, 3, start)
    with counted_queries(app) as few:
        assert admin_client.get("/admin/audit").status_code == 200
    seed(db, 120, start, object_type="attendance")
    with counted_queries(app) as many:
        assert admin_client.get("/admin/audit?page=2").status_code == 200
    assert len(many) == len(few)


def test_exports_follow_the_filter_and_are_recorded(admin_client, admin, db):
    start = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    seed(db, 4, start)
    seed(db, 2, start, object_type="letter", detail='=HYPERLINK("x")')
    response = admin_client.get("/admin/audit.csv?object_type=letter")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 3
    assert all(row[2:4] == ["Bekeken", "Brief"] for row in rows[1:]), "words, not codes (in Dutch)"
    assert rows[1][5].startswith("'="), "no formulas in a spreadsheet"
    response = admin_client.get("/admin/audit.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet.max_row == 1 + 6 + 2, "header, the six entries, and both exports, this one included"
    exports = events(db, object_type="audit_trail")
    assert [(e.action, e.actor_id, e.detail) for e in exports] == [
        ("export", admin.id, "csv object_type=letter"),
        ("export", admin.id, "xlsx"),
    ]


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en", ["Exported", "Letter", "Changed", "Answer to an invitation"]),
        ("nl", ["Gedownload", "Brief", "Veranderd", "Antwoord op een uitnodiging"]),
    ],
)
def test_actions_and_kinds_show_as_words_in_the_users_language(admin_client, admin, db, locale, words):
    admin.locale = locale
    db.session.commit()
    start = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    seed(db, 1, start, action=AuditAction.EXPORT, object_type="letter")
    seed(db, 1, start + timedelta(minutes=5), action=AuditAction.CHANGE, object_type="rsvp")
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    for word in words:
        assert f"<td>{word}</td>" in page, word
    assert f'<option value="rsvp">{words[3]}</option>' in page, "the filter offers the words too"
    assert "<td>letter</td>" not in page
    assert "<td>rsvp</td>" not in page
    rows = list(
        csv.reader(
            io.StringIO(admin_client.get("/admin/audit.csv").get_data(as_text=True).lstrip("\ufeff")), delimiter=";"
        )
    )
    assert [row[2:4] for row in rows[2:]] == [words[2:4], words[:2]], "after this export itself"


def test_every_kind_of_object_written_has_a_label():
    import pathlib
    import re

    from planner.audit.models import OBJECT_TYPE_LABELS

    source = "\n".join(p.read_text() for p in pathlib.Path("planner").rglob("*.py"))
    written = set(re.findall(r"audit\(\s*AuditAction\.\w+,\s*\"(\w+)\"", source))
    written |= set(re.findall(r"object_type=\"(\w+)\"", source))
    assert len(written) >= 10
    assert written - set(OBJECT_TYPE_LABELS) == set()


# --- Pruning


def test_prune_deletes_only_old_entries(app, db):
    now = utcnow()
    seed(db, 2, now - timedelta(days=400))
    seed(db, 3, now - timedelta(days=10))
    result = app.test_cli_runner().invoke(args=["audit", "prune", "--older-than-days", "365"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2" in result.output
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 3
    result = app.test_cli_runner().invoke(args=["audit", "prune", "--older-than-days", "0"])
    assert result.exit_code != 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 3
