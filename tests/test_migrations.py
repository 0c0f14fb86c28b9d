"""The migrations build exactly the schema the models describe, on this database."""

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from planner import create_app
from planner.extensions import db as _db


@pytest.fixture
def scratch_url(app, tmp_path):
    """An empty database beside the test database: a file, or a schema on PostgreSQL."""
    url = sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA migration_check"))
    yield url.update_query_dict({"options": "-csearch_path=migration_check"}).render_as_string(hide_password=False)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA migration_check CASCADE"))
    engine.dispose()


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
