"""The migrations build exactly the schema the models describe, on this database."""

from datetime import date

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from planner import create_app
from planner.extensions import db as _db
from planner.programmes.models import BlockedDate, Programme


@pytest.fixture
def scratch(app, tmp_path):
    """Empty databases beside the test database, by name: files, or schemas on PostgreSQL."""
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    engine = None if url.get_backend_name() == "sqlite" else sa.create_engine(url)
    made = []

    def make(name: str) -> str:
        if engine is None:
            return f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        with engine.begin() as connection:
            connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
            connection.execute(sa.text(f"CREATE SCHEMA {name}"))
        made.append(name)
        in_schema = url.update_query_dict({"options": f"-csearch_path={name}"})
        return in_schema.render_as_string(hide_password=False)

    yield make
    if engine is not None:
        with engine.begin() as connection:
            for name in made:
                connection.execute(sa.text(f"DROP SCHEMA {name} CASCADE"))
        engine.dispose()


@pytest.fixture
def scratch_url(scratch):
    return scratch("migration_check")


def pending_differences(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, _db.metadata)


def test_models_and_migrations_agree_and_downgrade_cleanly(scratch_url):
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": scratch_url, "TESTING": True})
    with app.app_context():
        flask_migrate.upgrade()
        assert pending_differences(_db.engine) == []
        flask_migrate.downgrade(revision="base")
        assert sa.inspect(_db.engine).get_table_names() == ["alembic_version"]
        flask_migrate.upgrade()
        assert pending_differences(_db.engine) == []
        _db.engine.dispose()


def check_constraints(url: str, build) -> dict[tuple[str, str], str]:
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        build()
        inspector = sa.inspect(_db.engine)
        checks = {
            (table, check["name"]): " ".join(check["sqltext"].split())
            for table in inspector.get_table_names()
            for check in inspector.get_check_constraints(table)
        }
        _db.engine.dispose()
    return checks


def test_the_migrations_write_the_check_constraints_the_models_declare(scratch):
    # Alembic compares no CHECK constraints, and the schema's rules rest on them (the values an enum
    # column may hold among them): each one the models declare is there, by its name, saying the same.
    migrated = check_constraints(scratch("checks_migrated"), flask_migrate.upgrade)
    declared = check_constraints(scratch("checks_declared"), _db.create_all)
    assert len(declared) > 40, "the models declare their CHECK constraints"
    differences = {
        key: {"migrations": migrated.get(key), "models": declared.get(key)}
        for key in migrated.keys() | declared.keys()
        if migrated.get(key) != declared.get(key)
    }
    assert differences == {}


def test_after_migrating_deleting_a_row_still_deletes_what_hangs_on_it(scratch):
    # 0008 turns SQLite's foreign keys off for its table copies; the connection it used goes back to
    # the pool and must enforce them again, as every other connection does.
    url = scratch("cascade_check")
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        flask_migrate.upgrade()
        flask_migrate.downgrade(revision="0007")
        flask_migrate.upgrade()
        programme = Programme(name="Armoede", slug="armoede")
        programme.blocked_dates.append(BlockedDate(day=date(2027, 4, 27), reason="Koningsdag"))
        _db.session.add(programme)
        _db.session.commit()
        _db.session.execute(sa.delete(Programme))
        _db.session.commit()
        left = _db.session.scalar(sa.select(sa.func.count(BlockedDate.id)))
        assert left == 0, "the blocked dates went with their learning studio"
        _db.session.remove()
        _db.engine.dispose()


def _row_counts(tables) -> dict[str, int]:
    with _db.engine.connect() as connection:
        return {name: connection.execute(sa.text(f'SELECT count(*) FROM "{name}"')).scalar() for name in tables}


def test_upgrading_a_database_in_use_keeps_every_row(scratch):
    # On SQLite a batch migration copies a table and drops the old one; were foreign keys enforced
    # meanwhile, that drop would take the rows referring to it along (ON DELETE CASCADE): an upgrade
    # would lose answers, reminders, attendance. The demo's data goes down to 0007 and up again.
    url = scratch("upgrade_with_data")
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        flask_migrate.upgrade()
        assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
        _db.session.remove()  # let the migrations have the database to themselves
        flask_migrate.downgrade(revision="0007")
        kept = sa.inspect(_db.engine).get_table_names()
        before = _row_counts(name for name in kept if name != "alembic_version")
        flask_migrate.upgrade()
        after = _row_counts(before)
        assert before["attendance"] > 0, "the demo filled the database"
        assert before["rsvp"] > 0, "the demo filled the database"
        assert {name: n for name, n in after.items() if n != before[name]} == {}, "no table lost rows"
        _db.session.remove()
        _db.engine.dispose()


def test_0012_gives_sessions_random_door_codes_turns_feeds_off_and_takes_tokens_out_of_the_trail(scratch):
    url = scratch("links_upgrade")
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    token = "Abc123_-" * 4
    sources = {
        f"GET /i/{token}/my-data": "GET /i/<token>/my-data",
        f"POST /i/{token}/check-in/7": "POST /i/<token>/check-in/7",
        "GET /e/Q7xK2mNp": "GET /e/<code>",
        f"GET /feed/{token}.ics": "GET /feed/<token>.ics",
        "POST /check-in/4/0a1b2c3d": "POST /check-in/4/<code>",
        "GET /people/12": "GET /people/12",
        "flask audit prune": "flask audit prune",
    }
    with app.app_context():
        flask_migrate.upgrade()
        assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
        _db.session.remove()
        flask_migrate.downgrade(revision="0011")
        with _db.engine.begin() as connection:
            for source in sources:
                connection.execute(
                    sa.text(
                        "INSERT INTO audit_event (at, actor, action, object_type, object_id, detail, ip_address, "
                        "source) VALUES (CURRENT_TIMESTAMP, 'participant', 'view', 'person', '1', '', '', :s)"
                    ),
                    {"s": source},
                )
        flask_migrate.upgrade()
        with _db.engine.connect() as connection:
            stored = set(connection.scalars(sa.text("SELECT source FROM audit_event")))
            codes = connection.execute(sa.text("SELECT door_code, door_open FROM session")).all()
            feeds = connection.scalars(sa.text("SELECT public_feed_token FROM series")).all()
        assert set(sources.values()) <= stored
        assert not [s for s in stored if token in s or "Q7xK2mNp" in s or "0a1b2c3d" in s]
        assert len(codes) > 5
        assert len({code for code, _ in codes}) == len(codes), "each session a code of its own"
        assert all(len(code) >= 12 and is_open for code, is_open in codes)
        assert feeds
        assert set(feeds) == {None}, "no series offers a public feed until its organiser says so"
        _db.session.remove()
        _db.engine.dispose()


def test_name_keys_are_filled_in_and_names_already_the_same_are_resolved(scratch):
    # Before 0013 SQLite's lower() let "ÉÉN Wijkteam" in beside "één wijkteam"; such pairs must not
    # stop the unique index: organisations merge into the oldest, learning studios get a number.
    url = scratch("name_keys")
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        flask_migrate.upgrade(revision="0012")
        now = "2026-12-01 12:00:00"
        with _db.engine.begin() as connection:
            for n, name in enumerate(["ÉÉN Wijkteam", "één wijkteam", "Armoede"], start=1):
                connection.execute(
                    sa.text(
                        "INSERT INTO programme (id, name, slug, description, created_at, retention_months)"
                        " VALUES (:id, :name, :slug, '', :now, 12)"
                    ),
                    {"id": n, "name": name, "slug": f"p{n}", "now": now},
                )
            for n, (name, municipality) in enumerate(
                [("ÉÉN Wijkteam", "Ède"), ("één wijkteam", "ÈDE"), ("één wijkteam", "")], start=1
            ):
                connection.execute(
                    sa.text("INSERT INTO organisation (id, name, municipality) VALUES (:id, :n, :m)"),
                    {"id": n, "n": name, "m": municipality},
                )
            for n, organisation_id in enumerate([1, 2, 3], start=1):
                connection.execute(
                    sa.text(
                        "INSERT INTO person (id, name, phone, role, organisation_id, municipality, language, under_16,"
                        " guardian_consent_by, created_at) VALUES (:id, :name, '', 'resident', :o, '', 'nl', false, '',"
                        " :now)"
                    ),
                    {"id": n, "name": f"P{n}", "o": organisation_id, "now": now},
                )
        flask_migrate.upgrade()
        with _db.engine.connect() as connection:
            programmes = connection.execute(sa.text("SELECT name, name_key FROM programme ORDER BY id")).all()
            organisations = connection.execute(
                sa.text("SELECT id, name, name_key, municipality_key FROM organisation ORDER BY id")
            ).all()
            people = connection.execute(sa.text("SELECT organisation_id FROM person ORDER BY id")).scalars().all()
        assert [tuple(p) for p in programmes] == [
            ("ÉÉN Wijkteam", "één wijkteam"),
            ("één wijkteam (2)", "één wijkteam (2)"),
            ("Armoede", "armoede"),
        ]
        assert [tuple(o) for o in organisations] == [
            (1, "ÉÉN Wijkteam", "één wijkteam", "ède"),
            (3, "één wijkteam", "één wijkteam", ""),
        ]
        assert people == [1, 1, 3], "the merged organisation's people belong to the one kept"
        flask_migrate.downgrade(revision="0012")
        flask_migrate.upgrade()
        _db.session.remove()
        _db.engine.dispose()


def test_sessions_made_before_0014_get_their_evaluation_and_the_built_in_forms(scratch):
    from planner.evaluations.catalogue import BUILTIN_FORMS
    from planner.evaluations.models import EvaluationForm, SessionEvaluation

    url = scratch("evaluation_rows")
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        flask_migrate.upgrade()
        made = _db.session.scalars(sa.select(EvaluationForm).where(EvaluationForm.builtin_key.is_not(None))).all()
        assert {f.builtin_key: [q.key for q in f.questions] for f in made} == {
            key: [q["key"] for q in spec["questions"]] for key, spec in BUILTIN_FORMS.items()
        }, "the migration writes the built-in forms as the catalogue has them"
        assert [o.label_nl for o in next(f for f in made if f.builtin_key == "session").questions[0].options] == [
            "Heel slecht",
            "Slecht",
            "Gaat wel",
            "Goed",
            "Heel goed",
        ]
        _db.session.remove()
        assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
        sessions = _db.session.scalar(sa.text("SELECT count(*) FROM session"))
        _db.session.execute(sa.delete(SessionEvaluation))  # as before: no page had been read yet
        _db.session.commit()
        _db.session.remove()
        flask_migrate.downgrade(revision="0013")
        flask_migrate.upgrade()
        assert _db.session.scalar(sa.select(sa.func.count()).select_from(SessionEvaluation)) == sessions > 0
        assert (
            _db.session.scalar(
                sa.select(sa.func.count()).select_from(EvaluationForm).where(EvaluationForm.builtin_key.is_not(None))
            )
            >= 3
        )
        _db.session.remove()
        _db.engine.dispose()
