"""Every form refuses a post without its CSRF token, and changes nothing."""

from planner.series.models import Series
from tests import factories


def test_every_post_route_requires_a_csrf_token(app, admin_client, db, programme, admin):
    series = factories.make_series(programme, admin)
    session = series.sessions[0]
    blocked = factories.make_blocked_date(programme)
    values = {
        "slug": programme.slug,
        "series_id": series.id,
        "session_id": session.id,
        "user_id": admin.id,
        "blocked_id": blocked.id,
    }
    values.update(person_id=1, organisation_id=1, form_id=1, key="q1")  # refused before the record is looked up
    invitation = factories.make_invitation(factories.make_series(programme, admin, title="Uitgenodigd"))
    values.update(token=invitation.token, invitation_id=invitation.id, code="00000000")
    values.update(answer_id=1)  # refused before the answer is looked up
    values.update(mail_kind="invitation", language="nl")
    post_rules = [r for r in app.url_map.iter_rules() if "POST" in r.methods and r.endpoint != "static"]
    assert len(post_rules) >= 14
    for rule in post_rules:
        url = rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]
        response = admin_client.post(url, data={"title": "x", "reason": "x", "name": "x"}, csrf=False)
        assert response.status_code == 400, url
        assert "verlopen" in response.get_data(as_text=True), url
    db.session.expire_all()
    assert not db.session.get(Series, series.id).is_published
    assert admin_client.get("/sessions").status_code == 200, "still logged in: logout needs a token too"


def test_a_token_from_another_session_is_refused(app, client, organiser):
    stranger = app.test_client()
    token = stranger.csrf_token()
    response = client.post(
        "/login",
        data={"email": organiser.email, "password": factories.PASSWORD, "csrf_token": token},
        csrf=False,
        headers={"Referer": "https://localhost/"},
    )
    assert response.status_code == 400
