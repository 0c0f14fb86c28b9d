"""Retention: a series' personal data is anonymised once its retention period has passed,
and an organiser carries out a person's request to be deleted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from planner.attendance.figures import session_figures, sessions_attended
from planner.attendance.services import mark
from planner.audit.models import AuditEvent
from planner.evaluations.models import (
    EvaluationAnswer,
    EvaluationForm,
    EvaluationOption,
    EvaluationQuestion,
    EvaluationRequest,
    EvaluationResponse,
    SessionEvaluation,
)
from planner.evaluations.summaries import summarise
from planner.invitations.models import CalendarFeed, Invitation
from planner.invitations.services import answer, save_needs
from planner.mail.models import OutboxMessage
from planner.people.models import Consent, Person
from planner.people.services import find_or_create_organisation
from planner.privacy.purge import PLACEHOLDER_NAME, erase_person, purge_due_series
from planner.series.retention import add_months
from tests import factories
from tests.conftest import login

SECRET_TEXTS = {
    "name": "Zwaantje Oostveen",
    "email": "zwaantje.oostveen@example.org",
    "phone": "06-98765432",
    "guardian": "Moeder Oostveen",
    "question": "Hoe praat ik over schulden met mijn buren",
    "needs": "Rolstoel en prikkelarme ruimte",
    "open": "Ik schaam me voor mijn schuld bij de woningcorporatie",
}
KEPT = {"name": "Karel Blijft", "email": "karel.blijft@example.org", "question": "Karels vraag over armoede"}
ANONYMOUS_TEXT = "Anonieme opmerking die altijd blijft staan"
APPROVED_TEXT = "Goedgekeurd citaat zonder naam"


@dataclass
class World:
    old: object  # the series whose retention has passed
    new: object  # a later series, still live
    gone: Person  # only in the old series
    kept: Person  # in both
    now: datetime  # a moment after the old series is due, before the new one is


def _form(programme, *, anonymous: bool) -> EvaluationForm:
    form = EvaluationForm(programme_id=programme.id, title_nl="Hoe was het?", anonymous=anonymous)
    smiley = EvaluationQuestion(position=1, key="mood", kind="smiley", text_nl="Hoe vond je het?")
    smiley.options = [
        EvaluationOption(position=1, key="sad", label_nl="Niet goed"),
        EvaluationOption(position=2, key="so", label_nl="Gaat wel"),
        EvaluationOption(position=3, key="happy", label_nl="Goed"),
    ]
    form.questions = [
        smiley,
        EvaluationQuestion(position=2, key="remark", kind="open", text_nl="Wat wil je nog zeggen?"),
    ]
    return form


def _respond(session, form, person, *, text, moderation="pending", value=3) -> EvaluationResponse:
    smiley, remark = form.questions
    response = EvaluationResponse(
        session_id=session.id,
        form_id=form.id,
        anonymous=form.anonymous,
        person_id=None if form.anonymous else person.id,
        role=None if form.anonymous else person.role,
        submitted_at=None if form.anonymous else session.ends_at + timedelta(hours=3),
    )
    response.answers = [
        EvaluationAnswer(question_id=smiley.id, value=value),
        EvaluationAnswer(question_id=remark.id, text=text, moderation=moderation),
    ]
    return response


def build_world(db, programme, organiser) -> World:
    team = find_or_create_organisation("Buurtteam", "Lingewaard")
    old = factories.make_series(programme, organiser, count=4, title="Ontmoeting Gendt")
    new = factories.make_series(
        programme, organiser, count=4, title="Ontmoeting Bemmel", first_day=factories.future_tuesday(30)
    )
    gone = factories.make_person(
        name=SECRET_TEXTS["name"],
        email=SECRET_TEXTS["email"],
        phone=SECRET_TEXTS["phone"],
        role="resident",
        organisation=team,
        municipality="Lingewaard",
        under_16=True,
        guardian_consent_on=date(2026, 1, 5),
        guardian_consent_by=SECRET_TEXTS["guardian"],
    )
    kept = factories.make_person(
        name=KEPT["name"], email=KEPT["email"], role="professional", organisation=team, municipality="Lingewaard"
    )
    other = factories.make_person(name="Derde Deelnemer", email="derde@example.org", role="volunteer")
    db.session.add_all(
        [
            Consent(person_id=gone.id, purpose="participation", given=True),
            Consent(person_id=gone.id, purpose="photos", given=False),
            CalendarFeed(person_id=gone.id, token="feed-token-of-zwaantje-0123456789"),
        ]
    )
    one, two = old.sessions[:2]
    invitations = {}
    for person in (gone, kept, other):
        invitation = factories.make_invitation(old, person)
        answer(invitation, one, "yes")
        answer(invitation, two, "yes")
        invitations[person.id] = invitation
    save_needs(
        invitations[gone.id],
        learning_question=SECRET_TEXTS["question"],
        access=True,
        interpreter=False,
        childcare=True,
        other=SECRET_TEXTS["needs"],
    )
    save_needs(
        invitations[kept.id],
        learning_question=KEPT["question"],
        access=False,
        interpreter=False,
        childcare=False,
        other="",
    )
    new_invitation = factories.make_invitation(new, kept)
    answer(new_invitation, new.sessions[0], "yes")
    for person in (gone, kept):
        mark(one, person.id, "present", actor=organiser)
    mark(one, other.id, "absent", actor=organiser)
    mark(two, gone.id, "present", actor=organiser)
    db.session.commit()

    named, anonymous = _form(programme, anonymous=False), _form(programme, anonymous=True)
    db.session.add_all([named, anonymous])
    db.session.flush()
    evaluation = db.session.scalar(select(SessionEvaluation).where(SessionEvaluation.session_id == one.id))
    evaluation.form_id, evaluation.short_code = named.id, "GENDT1"  # every session has its evaluation
    request = EvaluationRequest(
        session_id=one.id, person_id=gone.id, token="evaluation-token-zwaantje-0123456789", answered=True
    )
    db.session.add_all(
        [
            request,
            EvaluationRequest(session_id=one.id, person_id=kept.id, token="evaluation-token-karel-0123456789"),
            _respond(one, named, gone, text=SECRET_TEXTS["open"]),
            _respond(one, named, kept, text=APPROVED_TEXT, moderation="approved", value=2),
            _respond(one, anonymous, None, text=ANONYMOUS_TEXT, value=1),
        ]
    )
    db.session.flush()
    db.session.add(
        OutboxMessage(
            message_id="<evaluation-zwaantje@reeks>",
            to_address=gone.email,
            to_name=gone.name,
            subject="Hoe was het?",
            body_text=f"Hallo {gone.name}",
            body_html=f"<p>Hallo {gone.name}</p>",
            reference=request.mail_reference,
        )
    )
    db.session.commit()
    now = add_months(old.sessions[-1].ends_at, programme.retention_months) + timedelta(minutes=1)
    assert new.purge_due_at > now
    return World(old=old, new=new, gone=gone, kept=kept, now=now)


@pytest.fixture
def world(db, programme, organiser) -> World:
    return build_world(db, programme, organiser)


# Reading the whole database.


def _reflected(db) -> sa.MetaData:
    metadata = sa.MetaData()
    metadata.reflect(bind=db.engine)
    return metadata


def where_text_occurs(db, needle: str) -> list[str]:
    """table.column of every text or varchar column, in every table, that holds ``needle``."""
    found = []
    with db.engine.connect() as connection:
        for table in _reflected(db).sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, sa.String):
                    continue
                hit = connection.execute(
                    sa.select(sa.func.count())
                    .select_from(table)
                    .where(sa.func.lower(column).contains(needle.lower(), autoescape=True))
                ).scalar()
                if hit:
                    found.append(f"{table.name}.{column.name}")
    return found


def dump(db) -> dict:
    with db.engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(
                    sa.select(table).order_by(*(list(table.primary_key.columns) or list(table.columns)))
                )
            ]
            for table in _reflected(db).sorted_tables
        }


def figures(db, series) -> dict:
    """Attendance figures, raw answer counts per question and role, and the summary trekkers read."""
    per_session = []
    for session in series.sessions:
        f = session_figures(session)
        per_session.append((f.present, f.said_yes, f.yes_but_absent, f.by_role, f.by_organisation, f.by_municipality))
    answers = db.session.execute(
        sa.select(
            EvaluationAnswer.question_id,
            EvaluationResponse.role,
            EvaluationResponse.anonymous,
            EvaluationAnswer.value,
            sa.func.count(EvaluationAnswer.id),
        )
        .join(EvaluationResponse, EvaluationResponse.id == EvaluationAnswer.response_id)
        .group_by(
            EvaluationAnswer.question_id, EvaluationResponse.role, EvaluationResponse.anonymous, EvaluationAnswer.value
        )
        .order_by(EvaluationAnswer.question_id, EvaluationResponse.role, EvaluationAnswer.value)
    ).all()
    answered = db.session.execute(
        sa.select(EvaluationRequest.session_id, EvaluationRequest.answered, sa.func.count())
        .group_by(EvaluationRequest.session_id, EvaluationRequest.answered)
        .order_by(EvaluationRequest.session_id, EvaluationRequest.answered)
    ).all()
    summary = summarise(series.sessions, "nl")
    shown = {
        "responses": (summary.responses, summary.rate),
        "questions": [
            (q.info.key, [(c.key, c.figure) for c in q.cells], q.total, q.mean, q.median) for q in summary.questions
        ],
        "roles": [(r.role, r.responses, r.means) for r in summary.roles],
        "profile": [(p.condition, p.score) for p in summary.profile],
        "open": [(info.key, figure) for info, _text, figure, _code in summary.open_questions],
    }
    return {
        "sessions": per_session,
        "attended": sessions_attended(series),
        "answers": [tuple(r) for r in answers],
        "answered": [tuple(r) for r in answered],
        "summary": shown,
    }


# When a series is due.


def test_due_date_counts_calendar_months_in_amsterdam_time():
    utc = UTC
    # 31 January + 1 month: the last day of February, same local time.
    assert add_months(datetime(2027, 1, 31, 20, 0, tzinfo=utc), 1) == datetime(2027, 2, 28, 20, 0, tzinfo=utc)
    # 21:30 in winter (UTC+1) stays 21:30 in summer (UTC+2).
    assert add_months(datetime(2027, 3, 2, 20, 30, tzinfo=utc), 1) == datetime(2027, 4, 2, 19, 30, tzinfo=utc)
    # 22:30 UTC on 30 April is already 1 May in Amsterdam: one month later is 1 June, not 30 May.
    assert add_months(datetime(2027, 4, 30, 22, 30, tzinfo=utc), 1) == datetime(2027, 5, 31, 22, 30, tzinfo=utc)


def test_the_series_page_says_when_its_data_is_anonymised(organiser_client, db, programme, organiser):
    programme.retention_months = 6
    db.session.commit()
    series = factories.make_series(programme, organiser, count=4)
    organiser.locale = "en"
    db.session.commit()
    html = organiser_client.get(f"/series/{series.id}").get_data(as_text=True)
    due = series.purge_due_at.astimezone(series.zone)
    assert "(6 months after the last session)" in html
    assert str(due.year) in html
    assert due.strftime("%B") in html


def test_retention_is_edited_on_the_programme_form_within_bounds(admin_client, db, programme):
    url = f"/programmes/{programme.slug}/edit"
    for bad in ("0", "121", "twaalf"):
        assert admin_client.post(url, data={"name": programme.name, "retention_months": bad}).status_code == 422
    db.session.expire_all()
    assert programme.retention_months == 12
    assert admin_client.post(url, data={"name": programme.name, "retention_months": "24"}).status_code == 302
    db.session.expire_all()
    assert programme.retention_months == 24


# The purge.


def test_purge_leaves_no_personal_field_of_an_anonymised_person(db, world):
    for text in SECRET_TEXTS.values():
        assert where_text_occurs(db, text), text  # the search finds what is there
    report = purge_due_series(world.now)
    db.session.commit()

    assert [s.id for s in report.series] == [world.old.id]
    assert report.series[0].persons_anonymised == 2
    assert report.series[0].persons_kept == 1
    for key, text in SECRET_TEXTS.items():
        assert where_text_occurs(db, text) == [], key
    gone = db.session.get(Person, world.gone.id)
    assert gone.name == PLACEHOLDER_NAME
    assert gone.email is None
    assert gone.phone == ""
    assert gone.anonymised_at == world.now
    assert gone.guardian_consent_by == ""
    assert gone.guardian_consent_on is None
    assert (gone.role, gone.municipality, gone.organisation.name) == ("resident", "Lingewaard", "Buurtteam")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consent)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CalendarFeed)) == 0
    old_invitations = db.session.scalars(sa.select(Invitation).where(Invitation.series_id == world.old.id)).all()
    assert all(i.token is None and not i.needs_access and not i.needs_childcare for i in old_invitations)
    assert db.session.scalars(sa.select(EvaluationRequest.token)).all() == [None, None]
    named = db.session.scalars(sa.select(EvaluationResponse).where(EvaluationResponse.anonymous.is_(False))).all()
    assert [(r.person_id, r.submitted_at) for r in named] == [(None, None), (None, None)]
    assert sorted(r.role for r in named) == ["professional", "resident"]
    assert db.session.get(type(world.old), world.old.id).purged_at == world.now
    assert not db.session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.reference.like("invitation:%"))
        .where(OutboxMessage.reference.in_([i.mail_reference for i in old_invitations]))
    ).all()
    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert {(e.actor, e.action, e.object_type) for e in events} == {
        ("system", "delete", "series"),
        ("system", "delete", "person"),
    }
    assert sorted(e.object_id for e in events if e.object_type == "person") == sorted(
        str(i) for i in report_person_ids(world, db)
    )
    assert not any(SECRET_TEXTS["name"] in e.detail for e in events)


def report_person_ids(world, db) -> list[int]:
    return db.session.scalars(sa.select(Person.id).where(Person.anonymised_at.is_not(None))).all()


def test_someone_in_a_newer_series_keeps_their_identity_but_not_their_old_free_text(db, world):
    purge_due_series(world.now)
    db.session.commit()
    kept = db.session.get(Person, world.kept.id)
    assert (kept.name, kept.email, kept.anonymised_at) == (KEPT["name"], KEPT["email"], None)
    assert where_text_occurs(db, KEPT["question"]) == []
    live = db.session.scalar(sa.select(Invitation).where(Invitation.series_id == world.new.id))
    assert live.token is not None
    assert live.person_id == kept.id
    # The approved quote stays, without a name; the anonymous answer is untouched.
    assert where_text_occurs(db, APPROVED_TEXT) == ["evaluation_answer.text"]


def test_figures_stay_the_same_and_anonymous_answers_untouched(db, world):
    before = figures(db, world.old)
    responses = EvaluationResponse.__table__
    anonymous_rows = sa.select(responses).where(responses.c.anonymous.is_(True)).order_by(responses.c.id)
    anonymous_before = db.session.execute(anonymous_rows).all()
    assert len(anonymous_before) == 1
    anonymous_answers = db.session.execute(
        sa.select(EvaluationAnswer.__table__)
        .join(EvaluationResponse)
        .where(EvaluationResponse.anonymous.is_(True))
        .order_by(EvaluationAnswer.id)
    ).all()
    purge_due_series(world.now)
    db.session.commit()
    db.session.expire_all()
    assert figures(db, world.old) == before
    assert db.session.execute(anonymous_rows).all() == anonymous_before
    assert (
        db.session.execute(
            sa.select(EvaluationAnswer.__table__)
            .join(EvaluationResponse)
            .where(EvaluationResponse.anonymous.is_(True))
            .order_by(EvaluationAnswer.id)
        ).all()
        == anonymous_answers
    )
    assert where_text_occurs(db, ANONYMOUS_TEXT) == ["evaluation_answer.text"]


def test_a_second_purge_and_a_dry_run_change_nothing(db, world):
    before = dump(db)
    report = purge_due_series(world.now, dry_run=True)
    db.session.commit()
    assert dump(db) == before
    assert [s.id for s in report.series] == [world.old.id]
    assert report.persons_anonymised == 2
    assert report.counts["person"] == 2
    assert report.counts["consent"] == 2
    assert report.counts["invitation"] == 3

    real = purge_due_series(world.now)
    db.session.commit()
    assert +real.counts == +report.counts  # the dry run counted exactly what the real run changed
    after_first = dump(db)
    assert after_first != before
    second = purge_due_series(world.now + timedelta(days=1))
    db.session.commit()
    assert not second.changed_anything
    assert dump(db) == after_first


def test_nothing_goes_before_the_retention_period_has_passed(db, world):
    before = dump(db)
    report = purge_due_series(world.now - timedelta(minutes=2))
    db.session.commit()
    assert not report.changed_anything
    assert dump(db) == before


def test_the_purge_command_for_cron(app, db, world):
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["privacy", "purge", "--dry-run", "--now", world.now.isoformat()])
    assert dry.exit_code == 0, dry.output
    assert f"Would anonymise series {world.old.id} (Ontmoeting Gendt)" in dry.output
    assert "2 person(s) anonymised, 1 kept" in dry.output
    assert "person: 2 row(s)" in dry.output
    db.session.expire_all()
    assert db.session.get(Person, world.gone.id).anonymised_at is None

    real = runner.invoke(args=["privacy", "purge", "--now", world.now.isoformat()])
    assert real.exit_code == 0
    assert f"Anonymised series {world.old.id}" in real.output
    again = runner.invoke(args=["privacy", "purge", "--now", world.now.isoformat()])
    assert again.exit_code == 0
    assert again.output.strip() == "No series due."
    bad = runner.invoke(args=["privacy", "purge", "--now", "2027-01-01T03:00"])
    assert bad.exit_code != 0
    assert "time zone" in bad.output


# Carried out by an organiser.


def test_an_organiser_carries_out_a_deletion_request(client, db, world, organiser):
    gone = db.session.get(Person, world.kept.id)  # the one still in a live series, with a seat
    gone.deletion_requested_at = world.now - timedelta(days=400)
    db.session.commit()
    new_session = world.new.sessions[0]
    before = session_figures(world.old.sessions[0]).present
    login(client, organiser.email)
    page = client.get("/privacy/deletion-requests").get_data(as_text=True)
    assert KEPT["name"] in page
    assert f"/people/{gone.id}/erase" in page
    assert "/privacy/deletion-requests" in client.get("/people/").get_data(as_text=True)
    assert f"/people/{gone.id}/erase" in client.get(f"/people/{gone.id}/edit").get_data(as_text=True)
    assert client.get(f"/people/{gone.id}/erase").status_code == 200
    assert client.post(f"/people/{gone.id}/erase").status_code == 302

    db.session.expire_all()
    person = db.session.get(Person, gone.id)
    assert person.name == PLACEHOLDER_NAME
    assert person.email is None
    assert person.anonymised_at is not None
    for text in KEPT.values():
        assert where_text_occurs(db, text) == []
    assert db.session.scalars(sa.select(Invitation.token).where(Invitation.person_id == gone.id)).all() == [None, None]
    live = db.session.scalar(sa.select(Invitation).where(Invitation.series_id == world.new.id))
    assert {r.session_id: r.seat for r in live.rsvps}[new_session.id] is None  # the seat went back
    assert session_figures(world.old.sessions[0]).present == before
    assert KEPT["name"] not in client.get("/privacy/deletion-requests").get_data(as_text=True)
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.object_type == "person", AuditEvent.action == "delete")
    )
    assert (event.actor, event.object_id) == (organiser.email, str(gone.id))

    before = dump(db)
    assert client.post(f"/people/{gone.id}/erase").status_code == 302  # once more: nothing changes
    assert erase_person(person, actor=organiser).changed_anything is False
    db.session.commit()
    assert dump(db) == before


def test_only_people_managers_carry_out_deletions(client, db, world, programme):
    trekker = factories.make_user(email="trekker@example.org")
    factories.add_member(programme, trekker, "trekker")
    db.session.commit()
    login(client, trekker.email)
    assert client.get("/privacy/deletion-requests").status_code == 404
    assert client.post(f"/people/{world.gone.id}/erase").status_code == 404
    db.session.expire_all()
    assert db.session.get(Person, world.gone.id).anonymised_at is None


def test_the_series_page_says_when_the_purge_is_overdue_and_when_it_happened(
    organiser_client, db, programme, organiser, world
):
    organiser.locale = "en"
    db.session.commit()
    html = organiser_client.get(f"/series/{world.old.id}").get_data(as_text=True)
    assert "will be anonymised on" in html
    for session in world.old.sessions:  # as if the series ended two years ago
        session.starts_at -= timedelta(days=730)
        session.ends_at -= timedelta(days=730)
    db.session.commit()
    html = organiser_client.get(f"/series/{world.old.id}").get_data(as_text=True)
    assert "is due to be anonymised since" in html
    purge_due_series(world.now)
    db.session.commit()
    html = organiser_client.get(f"/series/{world.old.id}").get_data(as_text=True)
    assert "was anonymised on" in html


def test_two_purges_at_the_same_moment_purge_each_series_once(db, second_app, world):
    import threading

    from planner.extensions import db as _db

    runs, errors = 4, []
    barrier = threading.Barrier(runs, timeout=60)

    def purge():
        try:
            with second_app.app_context():
                _db.session.connection()
                barrier.wait()
                purge_due_series(world.now)
                _db.session.commit()
        except Exception as error:
            errors.append(repr(error))

    threads = [threading.Thread(target=purge) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    events = db.session.scalars(sa.select(AuditEvent.object_type)).all()
    assert events.count("series") == 1
    assert events.count("person") == 2
    assert where_text_occurs(db, SECRET_TEXTS["name"]) == []


def test_an_approved_answer_with_a_name_taken_out_keeps_only_the_edited_text(db, world):
    approved = db.session.scalar(sa.select(EvaluationAnswer).where(EvaluationAnswer.text == APPROVED_TEXT))
    approved.text = "Pietje Puk van de buurvrouw hielp me erheen"
    approved.redacted_text = "[naam] hielp me erheen"
    db.session.commit()
    purge_due_series(world.now)
    db.session.commit()
    db.session.expire_all()
    assert where_text_occurs(db, "Pietje Puk") == []
    assert db.session.get(EvaluationAnswer, approved.id).shown_text == "[naam] hielp me erheen"
