"""Single .ics downloads, the personal feed and the public series feed."""

from __future__ import annotations

import re

from planner.invitations.models import Answer
from planner.invitations.services import active_feed, answer, renew_feed, revoke_invitation
from planner.series.models import Venue
from planner.series.services import open_public_feed
from tests import factories
from tests.calendar_reading import method_of, read_events
from tests.conftest import login
from tests.test_calendar_invites import cancel, change


def _setup(db, programme, organiser):
    series = factories.make_series(programme, organiser, title="Ontmoeting Gendt")
    invitation = factories.make_invitation(series, name="Anna Geheim", email="anna@example.org")
    answer(invitation, series.sessions[0], Answer.YES)
    answer(invitation, series.sessions[1], Answer.MAYBE)
    answer(invitation, series.sessions[2], Answer.NO)
    db.session.commit()
    return series, invitation


def test_each_session_downloads_as_an_ics_file(db, client, programme, organiser):
    series, invitation = _setup(db, programme, organiser)
    session = series.sessions[0]
    response = client.get(f"/i/{invitation.token}/sessions/{session.id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert method_of(response.data) is None
    [event] = read_events(response.data)
    assert (event["uid"], event["start"], event["end"]) == (session.uid, session.starts_at, session.ends_at)
    other = factories.make_series(programme, organiser)
    assert client.get(f"/i/{invitation.token}/sessions/{other.sessions[0].id}.ics").status_code == 404
    assert client.get(f"/i/{'x' * 30}/sessions/{session.id}.ics").status_code == 404


def test_the_personal_feed_follows_moves_and_cancellations_and_answers_304(db, client, programme, organiser):
    series, invitation = _setup(db, programme, organiser)
    page = client.get(f"/i/{invitation.token}").get_data(as_text=True)
    assert "webcal://" not in page
    client.post(f"/i/{invitation.token}/feed")
    page = client.get(f"/i/{invitation.token}").get_data(as_text=True)
    webcal = re.search(r'href="(webcal://[^"]+)"', page).group(1)
    path = "/" + webcal.split("/", 3)[3]

    first = client.get(path)
    assert first.status_code == 200
    assert first.headers["ETag"]
    assert first.headers["Last-Modified"]
    events = read_events(first.data)
    assert [e["uid"] for e in events] == [series.sessions[0].uid, series.sessions[1].uid]
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304

    session = db.session.merge(series.sessions[0])
    change(session, online_url="https://meet.example.org/x")
    second = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.headers["ETag"] != first.headers["ETag"]
    assert read_events(second.data)[0]["sequence"] == 1
    cancel(db.session.merge(series.sessions[1]))
    third = read_events(client.get(path).data)
    assert [e["status"] for e in third] == ["CONFIRMED", "CANCELLED"]


def test_a_renewed_or_revoked_feed_token_is_gone(db, client, programme, organiser):
    _series, invitation = _setup(db, programme, organiser)
    old = renew_feed(invitation.person)
    db.session.commit()
    old_token = old.token
    assert client.get(f"/feed/{old_token}.ics").status_code == 200
    new = renew_feed(invitation.person)
    db.session.commit()
    assert client.get(f"/feed/{old_token}.ics").status_code == 404
    assert client.get(f"/feed/{new.token}.ics").status_code == 200
    assert active_feed(invitation.person).token == new.token
    assert client.get("/feed/nonsense.ics").status_code == 404
    revoke_invitation(invitation)
    db.session.commit()
    assert read_events(client.get(f"/feed/{new.token}.ics").data) == []


def test_the_public_series_feed_has_no_personal_data(db, client, programme, organiser):
    series, invitation = _setup(db, programme, organiser)
    path = f"/calendar/{open_public_feed(series)}.ics"
    db.session.commit()
    response = client.get(path)
    assert response.status_code == 200
    text = response.data.decode()
    for secret in ("Anna", "anna@example.org", invitation.token, "ATTENDEE", "ORGANIZER", "/i/"):
        assert secret not in text
    assert len(read_events(response.data)) == len(series.sessions)
    assert client.get(path, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    draft = factories.make_series(programme, organiser)
    draft_path = f"/calendar/{open_public_feed(draft)}.ics"
    db.session.commit()
    assert client.get(draft_path).status_code == 404, "a draft has no feed, even with a token"
    assert client.get(f"/calendar/{'x' * 32}.ics").status_code == 404


def test_a_series_offers_no_public_feed_until_its_organiser_opens_one(db, client, programme, organiser):
    series, _ = _setup(db, programme, organiser)
    assert series.public_feed_token is None
    assert client.get(f"/series/{series.id}/calendar.ics").status_code == 404, "no countable address"
    login(client, organiser.email)
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/series/{series.id}").get_data(as_text=True)
    assert "Offer a public calendar feed" in page
    assert "/calendar/" not in page

    client.post(f"/series/{series.id}/public-feed")
    db.session.expire_all()
    token = db.session.merge(series).public_feed_token
    assert len(token or "") >= 32
    page = client.get(f"/series/{series.id}").get_data(as_text=True)
    assert f'value="http://127.0.0.1:5000/calendar/{token}.ics"' in page, "the organiser can copy the address"
    assert f'href="webcal://127.0.0.1:5000/calendar/{token}.ics"' in page
    anonymous = client.application.test_client()
    assert anonymous.get(f"/calendar/{token}.ics").status_code == 200

    client.post(f"/series/{series.id}/public-feed")  # a new address
    db.session.expire_all()
    renewed = db.session.merge(series).public_feed_token
    assert renewed != token
    assert anonymous.get(f"/calendar/{token}.ics").status_code == 404
    assert anonymous.get(f"/calendar/{renewed}.ics").status_code == 200

    client.post(f"/series/{series.id}/public-feed/close")
    db.session.expire_all()
    assert db.session.merge(series).public_feed_token is None
    assert anonymous.get(f"/calendar/{renewed}.ics").status_code == 404
    assert "Offer a public calendar feed" in client.get(f"/series/{series.id}").get_data(as_text=True)


def test_only_the_organiser_turns_the_public_feed_on_or_off(db, client, programme, organiser, trekker):
    series, _ = _setup(db, programme, organiser)
    login(client, trekker.email)
    assert "Offer a public calendar feed" not in client.get(f"/series/{series.id}").get_data(as_text=True)
    assert client.post(f"/series/{series.id}/public-feed").status_code == 404
    db.session.expire_all()
    assert db.session.merge(series).public_feed_token is None


def test_the_public_feed_shows_a_cancellation_without_its_reason(db, client, programme, organiser):
    series, invitation = _setup(db, programme, organiser)
    path = f"/calendar/{open_public_feed(series)}.ics"
    db.session.commit()
    cancel(db.session.merge(series.sessions[1]), reason="Wegens ziekte van Anna Geheim")
    public = client.get(path)
    assert [e["status"] for e in read_events(public.data)][:2] == ["CONFIRMED", "CANCELLED"]
    assert "ziekte" not in public.data.decode()
    assert "Anna" not in public.data.decode()
    renew_feed(invitation.person)
    db.session.commit()
    personal = client.get(f"/feed/{active_feed(invitation.person).token}.ics")
    assert "Wegens ziekte" in personal.data.decode(), "those invited still read why"


def test_a_title_beyond_latin_1_still_gives_a_valid_download_name(db, client, programme, organiser):
    series, invitation = _setup(db, programme, organiser)
    series.title = "Ontmoeting Gendt – ronde 2 ✓"
    db.session.commit()
    response = client.get(f"/i/{invitation.token}/sessions/{series.sessions[0].id}.ics")
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")  # a real server sends headers as Latin-1; this must not raise
    assert 'filename="Ontmoeting Gendt  ronde 2 .ics"' in header
    assert "filename*=UTF-8''Ontmoeting%20Gendt%20%E2%80%93%20ronde%202" in header


def _etag(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.headers["ETag"]


def test_a_poll_with_the_current_etag_is_answered_from_one_query(app, db, client, programme, organiser):
    from tests.test_query_counts import counted_queries

    _series, invitation = _setup(db, programme, organiser)
    path = f"/feed/{renew_feed(invitation.person).token}.ics"
    db.session.commit()
    etag = _etag(client, path)
    with counted_queries(app) as statements:
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert len(statements) == 1, statements


def test_a_feed_fetched_anew_is_built_once_and_never_shown_stale(app, db, client, programme, organiser):
    """Calendar apps that keep no ETag fetch the whole feed each time: the same rows give the same
    bytes from one query, and the first fetch after a change shows the change."""
    from tests.test_query_counts import counted_queries

    series, invitation = _setup(db, programme, organiser)
    path = f"/feed/{renew_feed(invitation.person).token}.ics"
    db.session.commit()
    first = client.get(path)
    with counted_queries(app) as statements:
        again = client.get(path)
    assert (again.status_code, again.data, again.headers["ETag"]) == (200, first.data, first.headers["ETag"])
    assert len(statements) == 1, statements

    series.title = "Ontmoeting Gendt-Oost"
    db.session.commit()
    changed = client.get(path)
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert b"SUMMARY:Ontmoeting Gendt-Oost" in changed.data
    answer(invitation, series.sessions[1], Answer.NO)
    db.session.commit()
    assert [e["uid"] for e in read_events(client.get(path).data)] == [series.sessions[0].uid]


def test_everything_a_feed_shows_gives_it_a_new_etag(db, client, programme, organiser):
    """The ETag comes from the rows, not the body: each thing the feed shows must still change it."""
    series, invitation = _setup(db, programme, organiser)
    series.venue = Venue(name="De Kroon", address="Dorpsstraat 1, Gendt")
    path = f"/feed/{renew_feed(invitation.person).token}.ics"
    db.session.commit()
    seen = {_etag(client, path)}

    def changed(what: str) -> None:
        db.session.commit()
        etag = _etag(client, path)
        assert etag not in seen, f"the feed kept its ETag after {what}"
        seen.add(etag)

    series.venue.address = "Dorpsstraat 2, Gendt"
    changed("a new venue address")
    invitation.person.name = "Anna Open"
    changed("a new name")
    invitation.person.language = "en"
    changed("another language")
    series.title = "Ontmoeting Gendt-Oost"
    changed("a new series title")
    answer(invitation, series.sessions[2], Answer.MAYBE)
    changed("a new answer")
    revoke_invitation(invitation)
    changed("a withdrawn invitation")


def test_the_public_feed_answers_304_and_changes_with_its_sessions(app, db, client, programme, organiser):
    from tests.test_query_counts import counted_queries

    series, _invitation = _setup(db, programme, organiser)
    path = f"/calendar/{open_public_feed(series)}.ics"
    db.session.commit()
    first = _etag(client, path)
    with counted_queries(app) as statements:
        assert client.get(path, headers={"If-None-Match": first}).status_code == 304
    assert len(statements) == 1
    change(db.session.merge(series.sessions[0]), online_url="https://meet.example.org/y")
    assert _etag(client, path) != first
