"""The organiser's pages: the form builder, a form per session, the screen, paper; and who may see them."""

from sqlalchemy import select

from planner.audit.models import AuditEvent
from planner.evaluations.catalogue import RESIDENTS, SESSION, ensure_builtin_forms
from planner.evaluations.models import EvaluationForm, EvaluationResponse, SessionEvaluation
from planner.evaluations.services import evaluation_of
from tests import evaluation_factories as ef, factories
from tests.conftest import login
from tests.test_query_counts import queries_for


def _own_form(db, organiser_client, programme):
    page = organiser_client.post(
        f"/programmes/{programme.slug}/evaluation-forms",
        data={
            "title_nl": "Na de focusgroep",
            "purpose": "session",
        },
    )
    assert page.status_code == 302
    return db.session.scalar(select(EvaluationForm).where(EvaluationForm.programme_id == programme.id))


def test_the_forms_page_lists_builtin_and_own_forms(db, organiser_client, programme):
    form = _own_form(db, organiser_client, programme)
    body = organiser_client.get(f"/programmes/{programme.slug}/evaluation-forms").get_data(as_text=True)
    assert "Korte evaluatie van de bijeenkomst" in body
    assert "Hoe was het vandaag?" in body
    assert "Na de focusgroep" in body
    assert form.version == 1


def test_an_organiser_builds_a_form_without_javascript(db, organiser_client, programme):
    form = _own_form(db, organiser_client, programme)
    base = f"/programmes/{programme.slug}/evaluation-forms/{form.id}"
    refused = organiser_client.post(
        f"{base}/questions/new",
        data={
            "kind": "choice",
            "text_nl": "Hoe kwam je?",
            "options_nl": "Fiets",
            "condition": "",
            "moment": "",
        },
    )
    assert refused.status_code == 422
    assert "minstens 2 antwoorden" in refused.get_data(as_text=True)
    refused = organiser_client.post(
        f"{base}/questions/new",
        data={
            "kind": "smiley",
            "text_nl": "Hoe?",
            "options_nl": "a\nb",
            "condition": "",
            "moment": "",
        },
    )
    assert refused.status_code == 422
    assert "3 of 5" in refused.get_data(as_text=True)
    for text, kind, options in [
        ("Hoe kwam je?", "choice", "Fiets\nBus"),
        ("Hoe was het?", "smiley", "Niet leuk\nGewoon\nLeuk"),
        ("Nog iets?", "open", ""),
    ]:
        added = organiser_client.post(
            f"{base}/questions/new",
            data={
                "kind": kind,
                "text_nl": text,
                "options_nl": options,
                "condition": "social_cohesion",
                "moment": "",
                "required": "y",
            },
        )
        assert added.status_code == 302
    db.session.expire_all()
    form = db.session.get(EvaluationForm, form.id)
    assert [q.text_nl for q in form.questions] == ["Hoe kwam je?", "Hoe was het?", "Nog iets?"]
    assert all(q.condition == "social_cohesion" and q.required for q in form.questions)
    second = form.questions[1].key
    assert organiser_client.post(f"{base}/questions/{second}/move", data={"direction": "up"}).status_code == 302
    edit = organiser_client.get(f"{base}/questions/{second}")
    assert "Niet leuk\nGewoon\nLeuk" in edit.get_data(as_text=True)
    assert (
        organiser_client.post(
            f"{base}/questions/{second}",
            data={
                "kind": "smiley",
                "text_nl": "Hoe vond je het?",
                "text_en": "How was it?",
                "options_nl": "Niet leuk\nGewoon\nLeuk",
                "condition": "",
                "moment": "",
            },
        ).status_code
        == 302
    )
    last = form.questions[2].key
    assert organiser_client.post(f"{base}/questions/{last}/delete").status_code == 302
    db.session.expire_all()
    form = db.session.get(EvaluationForm, form.id)
    assert [(q.text_nl, q.position) for q in form.questions] == [("Hoe vond je het?", 1), ("Hoe kwam je?", 2)]
    assert form.questions[0].condition is None
    assert form.questions[0].text_en == "How was it?"


def test_editing_a_form_with_answers_says_a_new_version_was_made(
    db, organiser_client, programme, organiser, monkeypatch
):
    monkeypatch.setitem(organiser_client.application.config, "EVALUATION_SCREEN_HOURS", 24 * 30)
    series = ef.past_series(programme, organiser)
    builtin = ensure_builtin_forms()[SESSION]
    copied = organiser_client.post(f"/programmes/{programme.slug}/evaluation-forms/{builtin.id}/copy")
    form = db.session.scalar(select(EvaluationForm).where(EvaluationForm.programme_id == programme.id))
    assert copied.headers["Location"].endswith(f"/evaluation-forms/{form.id}")
    session = series.sessions[0]
    evaluation = evaluation_of(session)
    evaluation.form_id = form.id
    db.session.commit()
    code = evaluation.short_code
    organiser_client.post(f"/e/{code}", data={f"q{form.questions[0].id}": "2"})
    assert db.session.query(EvaluationResponse).count() == 1

    page = organiser_client.get(f"/programmes/{programme.slug}/evaluation-forms/{form.id}")
    assert "nieuwe versie" in page.get_data(as_text=True)
    changed = organiser_client.post(
        f"/programmes/{programme.slug}/evaluation-forms/{form.id}/questions/better/delete", follow_redirects=True
    )
    body = changed.get_data(as_text=True)
    assert "versie 2" in body
    db.session.expire_all()
    newest = db.session.scalar(
        select(EvaluationForm).where(EvaluationForm.lineage == form.lineage, EvaluationForm.version == 2)
    )
    assert "better" not in [q.key for q in newest.questions]
    old = organiser_client.get(f"/programmes/{programme.slug}/evaluation-forms/{form.id}")
    assert old.status_code == 302
    assert old.headers["Location"].endswith(f"/{newest.id}")


def test_the_series_page_sets_forms_and_delay_and_shows_only_counts(db, organiser_client, programme, organiser):
    series = ef.past_series(programme, organiser)
    residents = ensure_builtin_forms()[RESIDENTS]
    db.session.commit()
    ef.present(series.sessions[-1], name="Geheime Naam")
    page = organiser_client.get(f"/series/{series.id}/evaluation")
    assert page.status_code == 200
    assert "Geheime Naam" not in page.get_data(as_text=True)
    last = series.sessions[-1]
    saved = organiser_client.post(
        f"/series/{series.id}/evaluation",
        data={
            f"form-{last.id}": str(residents.id),
            "evaluation_delay_hours": "24",
        },
    )
    assert saved.status_code == 302
    db.session.expire_all()
    assert (
        db.session.scalar(select(SessionEvaluation.form_id).where(SessionEvaluation.session_id == last.id))
        == residents.id
    )
    assert series.evaluation_delay_hours == 24
    refused = organiser_client.post(f"/series/{series.id}/evaluation", data={"evaluation_delay_hours": "400"})
    assert refused.status_code == 422
    many = queries_for(organiser_client.application, organiser_client, f"/series/{series.id}/evaluation")
    factories.add_session(series)
    factories.add_session(series)
    organiser_client.get(f"/series/{series.id}/evaluation")  # the new sessions get their evaluation once
    assert queries_for(organiser_client.application, organiser_client, f"/series/{series.id}/evaluation") == many


def test_the_screen_page_shows_a_qr_code_and_short_link(db, organiser_client, programme, organiser):
    series = ef.past_series(programme, organiser)
    session = series.sessions[0]
    page = organiser_client.get(f"/series/{series.id}/sessions/{session.id}/evaluation/screen")
    body = page.get_data(as_text=True)
    code = evaluation_of(session).short_code
    assert f"/e/{code}" in body
    assert 'src="data:image/svg+xml' in body
    printed = organiser_client.get(f"/series/{series.id}/sessions/{session.id}/evaluation/print").get_data(as_text=True)
    assert 'class="box"' in printed
    assert "Hoe vond je de bijeenkomst?" in printed


def test_paper_answers_are_typed_in_marked_as_paper_and_audited(db, organiser_client, programme, organiser):
    series = ef.past_series(programme, organiser)
    session = series.sessions[0]
    person = ef.present(session, name="Papieren Piet", role="volunteer")
    url = f"/series/{series.id}/sessions/{session.id}/evaluation/paper"
    page = organiser_client.get(url)
    assert "Papieren Piet" in page.get_data(as_text=True)
    form = evaluation_of(session).form
    overall = f"q{form.questions[0].id}"
    assert organiser_client.post(url, data={"person_id": str(person.id)}).status_code == 422
    assert db.session.query(EvaluationResponse).count() == 0
    saved = organiser_client.post(url, data={"person_id": str(person.id), overall: "5"})
    assert saved.status_code == 302
    response = db.session.scalar(select(EvaluationResponse))
    assert (response.channel, response.person_id, response.role, response.entered_by_id) == (
        "paper",
        person.id,
        "volunteer",
        organiser.id,
    )
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "evaluation_response"))
    assert audit.object_id == response.id
    assert audit.action == "change"
    assert audit.actor_id == organiser.id
    twice = organiser_client.post(url, data={"person_id": str(person.id), overall: "4"})
    assert twice.status_code == 422
    assert db.session.query(EvaluationResponse).count() == 1


def test_anonymous_paper_answers_stay_anonymous(db, organiser_client, programme, organiser):
    series = ef.past_series(programme, organiser)
    session = series.sessions[0]
    residents = ensure_builtin_forms()[RESIDENTS]
    evaluation_of(session).form_id = residents.id
    db.session.commit()
    person = ef.present(session, name="Bewoner")
    url = f"/series/{series.id}/sessions/{session.id}/evaluation/paper"
    assert "Bewoner" not in organiser_client.get(url).get_data(as_text=True)
    organiser_client.post(url, data={"person_id": str(person.id), f"q{residents.questions[0].id}": "1"})
    response = db.session.scalar(select(EvaluationResponse))
    assert response.anonymous
    assert response.person_id is None
    assert response.role is None
    assert response.submitted_at is None
    assert response.channel == "paper"
    assert db.session.query(AuditEvent).filter_by(object_type="evaluation_response").count() == 0
    page = organiser_client.get(url).get_data(as_text=True)
    assert "1 ingevuld formulier" not in page, "one present, one anonymous answer: whose it is would be plain"
    assert "alleen samen met andere bijeenkomsten" in page


def test_other_programmes_and_trekkers_cannot_change_anything(app, db, client, programme, organiser):
    series = ef.past_series(programme, organiser)
    session = series.sessions[0]
    own = factories.make_user(email="ander@example.org")
    other = factories.make_programme(name="Ander atelier")
    factories.add_member(other, own, "organiser")
    trekker = factories.make_user(email="trekker@example.org")
    factories.add_member(programme, trekker, "trekker")
    db.session.commit()
    builtin = ensure_builtin_forms()[SESSION]
    db.session.commit()

    login(client, own.email)
    for url in [
        f"/series/{series.id}/evaluation",
        f"/series/{series.id}/sessions/{session.id}/evaluation/screen",
        f"/series/{series.id}/sessions/{session.id}/evaluation/paper",
        f"/series/{series.id}/sessions/{session.id}/evaluation/print",
        f"/programmes/{programme.slug}/evaluation-forms",
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/programmes/{programme.slug}/evaluation-forms/{builtin.id}/copy").status_code == 404
    client.post("/logout")

    trekker_client = app.test_client()
    login(trekker_client, trekker.email)
    assert trekker_client.get(f"/programmes/{programme.slug}/evaluation-forms").status_code == 200
    assert trekker_client.get(f"/series/{series.id}/evaluation").status_code == 404
    assert (
        trekker_client.post(
            f"/programmes/{programme.slug}/evaluation-forms", data={"title_nl": "Van de trekker", "purpose": "session"}
        ).status_code
        == 404
    )
    assert trekker_client.post(f"/programmes/{programme.slug}/evaluation-forms/{builtin.id}/copy").status_code == 404
    assert db.session.query(EvaluationForm).filter(EvaluationForm.programme_id.is_not(None)).count() == 0
