"""Every page under /i/<token>, whichever area serves it, finds the invitation and speaks its person's
language in one place (planner/invitations/loaders.py personal_link_pages)."""

from __future__ import annotations

import pytest

from planner.invitations.lookup import invitation_for_link
from planner.invitations.services import revoke_invitation
from tests import factories

UNKNOWN = "x" * 43  # the shape of a token, but nobody's


def personal_rules(app):
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/i/<token>")),
        key=lambda rule: rule.rule,
    )


def url_for_rule(rule, token: str, session_id: int) -> str:
    return rule.rule.replace("<token>", token).replace("<int:session_id>", str(session_id))


@pytest.fixture
def invitation(programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    return factories.make_invitation(series, name="Emma", language="en")


def test_personal_link_pages_are_served_by_several_areas(app):
    blueprints = {rule.endpoint.split(".")[0] for rule in personal_rules(app)}
    assert {"participant", "privacy", "attendance", "consent", "feeds"} <= blueprints


def test_an_unknown_link_gets_the_same_not_found_page_everywhere(app, client, invitation, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)  # a POST must reach the lookup
    for rule in personal_rules(app):
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(url_for_rule(rule, UNKNOWN, invitation.rsvps[0].session_id), method=method)
        assert response.status_code == 404, rule.rule
        assert "Deze link werkt niet" in response.get_data(as_text=True), rule.rule


def test_every_personal_page_speaks_the_persons_language(app, client, invitation):
    for rule in personal_rules(app):
        if "GET" not in rule.methods or rule.rule.endswith(".ics") or rule.rule.endswith(".json"):
            continue
        response = client.get(url_for_rule(rule, invitation.token, invitation.rsvps[0].session_id))
        assert '<html lang="en">' in response.get_data(as_text=True), rule.rule


def test_the_lookup_needs_no_request(db, invitation):
    from datetime import timedelta

    assert invitation_for_link(invitation.token, grace=timedelta(days=30)) == invitation
    assert invitation_for_link(UNKNOWN, grace=timedelta(days=30)) is None
    assert invitation_for_link("too short", grace=timedelta(days=30)) is None
    revoke_invitation(invitation)
    db.session.commit()
    assert invitation_for_link(invitation.token, grace=timedelta(days=30)) is None
