"""The commands an admin or a script runs."""

from sqlalchemy import func, select

from planner.auth.models import StaffUser
from planner.programmes.models import Programme
from planner.series.models import Series


def test_users_create_with_password(app, db):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "Beheer@Example.org",
            "--name",
            "Bea",
            "--role",
            "admin",
            "--password",
            "een lang wachtwoord",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(StaffUser.by_email("beheer@example.org"))
    assert user.is_admin
    assert user.check_password("een lang wachtwoord")


def test_users_create_prompts_for_the_password(app, db):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "staf@example.org", "--name", "Stef"],
        input="geheim wachtwoord\ngeheim wachtwoord\n",
    )
    assert result.exit_code == 0, result.output
    assert "geheim wachtwoord" not in result.output
    user = db.session.scalar(StaffUser.by_email("staf@example.org"))
    assert not user.is_admin
    assert user.check_password("geheim wachtwoord")


def test_users_create_refuses_bad_input(app, db):
    runner = app.test_cli_runner()
    for args, message in [
        (["--email", "geen-adres", "--name", "X", "--password", "lang genoeg ja"], "geldig e-mailadres"),
        (["--email", "x@example.org", "--name", "X", "--password", "kort"], "minstens 10"),
        (["--email", "x@example.org", "--name", "X", "--role", "baas", "--password", "lang genoeg ja"], "baas"),
    ]:
        result = runner.invoke(args=["users", "create", *args])
        assert result.exit_code != 0
        assert message in result.output
    assert db.session.scalar(select(func.count(StaffUser.id))) == 0


def test_demo_loads_the_newsletter_world_once(app, db):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0
    assert "beheer@example.org" in first.output
    names = set(db.session.scalars(select(Programme.name)))
    assert names == {"Armoede", "Betekenisvol contact in de wijk", "JIP", "Samenwerken aan Sociale Kwaliteit"}
    titles = set(db.session.scalars(select(Series.title)))
    assert {
        "Ontmoeting Gendt",
        "Welkome Wijk Nijmegen",
        "Welkome Wijk Beuningen",
        "Welkome Wijk Heumen",
        "ARENA-bijeenkomst JIP",
        "Themabijeenkomst jonge mantelzorgers",
    } <= titles
    counts = (db.session.scalar(select(func.count(Series.id))), db.session.scalar(select(func.count(StaffUser.id))))

    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0
    assert (
        db.session.scalar(select(func.count(Series.id))),
        db.session.scalar(select(func.count(StaffUser.id))),
    ) == counts


def test_demo_if_empty_leaves_a_used_database_alone(app, db, organiser):
    result = app.test_cli_runner().invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0
    assert "not loaded" in result.output
    assert db.session.scalar(select(func.count(Series.id))) == 0


def test_demo_leaves_an_example_of_every_kind_of_mail(app, db):
    from sqlalchemy import select

    from planner.mail.models import OutboxMessage

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    mails = db.session.scalars(select(OutboxMessage)).all()
    subjects = " | ".join(m.subject for m in mails)
    methods = {m.calendar_method for m in mails}
    assert {"", "REQUEST", "CANCEL"} <= methods
    assert any("→" in m.body_text and m.calendar_method == "REQUEST" for m in mails), "an update after a move"
    for words in ("Ontmoeting Gendt",):
        assert words in subjects
    assert any(m.body_text and "niet beschikbaar" in m.body_text and m.calendar_method == "CANCEL" for m in mails)
    assert len({m.subject.split(": ", 1)[-1] for m in mails}) >= 5  # invitation, invite, update, cancel, reminder


def test_demo_has_two_finished_rounds_with_enough_answers_to_summarise(app, db):
    from planner.evaluations.models import EvaluationResponse
    from planner.timekeeping import utcnow

    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    per_session = dict(
        db.session.execute(
            select(EvaluationResponse.session_id, func.count()).group_by(EvaluationResponse.session_id)
        ).all()
    )
    rounds = db.session.scalars(
        select(Series).where(Series.title.in_(["Ontmoeting Bemmel", "Ontmoeting Huissen"]))
    ).all()
    assert len(rounds) == 2
    for series in rounds:
        assert all(s.ends_at < utcnow() for s in series.sessions)  # finished, so summaries can be read
        assert all(per_session.get(s.id, 0) >= 5 for s in series.sessions)  # no figure hidden as "fewer than 5"
    total = sum(per_session.values())
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert db.session.scalar(select(func.count(EvaluationResponse.id))) == total
