"""The throw-away database every benchmark script starts from."""

from __future__ import annotations

import tempfile

import sqlalchemy as sa


def scratch_database(database_url: str | None, name: str) -> str:
    """A URL to an empty database: a new SQLite file, or ``database_url`` with its schema emptied.

    The test suite's database (named ``test``) is never emptied.
    """
    if not database_url:
        return f"sqlite:///{tempfile.mkdtemp()}/{name}.sqlite3"
    if sa.make_url(database_url).database == "test":
        raise SystemExit("Refusing to empty the database named 'test'.")
    engine = sa.create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return database_url
