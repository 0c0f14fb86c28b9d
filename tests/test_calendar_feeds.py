"""Single .ics downloads, the personal feed and the public series feed."""

from __future__ import annotations

import re

from planner.invitations.models import Answer
from planner.invitations.services import active_feed, answer, renew_feed, revoke_invitation
from tests import factories
from tests.calendar_reading import method_of, read_events
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
    response = client.get(f"/series/{series.id}/calendar.ics")
    assert response.status_code == 200
    text = response.data.decode()
    for secret in ("Anna", "anna@example.org", invitation.token, "ATTENDEE", "ORGANIZER", "/i/"):
        assert secret not in text
    assert len(read_events(response.data)) == len(series.sessions)
    assert client.get(f"/series/{series.id}/calendar.ics", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    draft = factories.make_series(programme, organiser)
    assert client.get(f"/series/{draft.id}/calendar.ics").status_code == 404
    assert client.get("/series/999999/calendar.ics").status_code == 404


def test_a_title_beyond_latin_1_still_gives_a_valid_download_name(db, client, programme, organiser):
    series, invitation = _setup(db, programme, organiser)
    series.title = "Ontmoeting Gendt – ronde 2 ✓"
    db.session.commit()
    response = client.get(f"/i/{invitation.token}/sessions/{series.sessions[0].id}.ics")
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")  # a real server sends headers as Latin-1; this must not raise
    assert 'filename="Ontmoeting Gendt  ronde 2 .ics"' in header
    assert "filename*=UTF-8''Ontmoeting%20Gendt%20%E2%80%93%20ronde%202" in header
