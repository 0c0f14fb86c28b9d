"""Extensions are created unbound here and bound to an app in create_app."""

from typing import TYPE_CHECKING, Any, cast

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import CursorResult, MetaData, Result, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session

# Named constraints, so migrations can alter them on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# The base class of every model. At run time it is Flask-SQLAlchemy's copy of Base (with its
# query property and table naming); type checkers see Base, as db.Model is an attribute to them.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model


def rowcount(result: Result[Any]) -> int:
    """The rows an UPDATE or DELETE matched (``session.execute`` types its result as a plain Result)."""
    return cast("CursorResult[Any]", result).rowcount


def _render_item(type_, obj, _autogen_context):
    """Write our column types into migrations as plain SQLAlchemy types, so old
    migrations never import application code that may since have changed."""
    from planner.timekeeping import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


migrate = Migrate(render_as_batch=True, compare_type=True, render_item=_render_item)
login_manager = LoginManager()
babel = Babel()
csrf = CSRFProtect()


def _unicode_lower(text):
    return text.lower() if isinstance(text, str) else text


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _connection_record):
    """SQLite enforces foreign keys (and their ON DELETE rules) only when asked, and its lower()
    leaves "É" as it is: searches use unicode_lower instead (``planner.people.models.folded``)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
        dbapi_connection.create_function("unicode_lower", 1, _unicode_lower, deterministic=True)


@event.listens_for(Engine, "savepoint")
def _sqlite_savepoint(connection, _name):
    """The sqlite3 module begins a transaction only at the first write, and a SAVEPOINT before
    it acts as one of its own, which its release commits: a refusal after it could no longer be
    rolled back (a preview's dry run would keep what it did). So a savepoint on SQLite always
    comes inside a transaction, as on PostgreSQL."""
    raw = connection.connection.dbapi_connection
    if connection.dialect.name == "sqlite" and not raw.in_transaction:
        raw.execute("BEGIN")


# A request that wrote nothing ends its transaction with COMMIT rather than the teardown's
# ROLLBACK. Same outcome (there is nothing to keep), but psycopg forgets every prepared
# statement at a ROLLBACK, so on PostgreSQL each request's queries were parsed and planned anew:
# the feed version's nine-table join took 2.6 ms that way, 0.5 ms once prepared.
WROTE = "planner.wrote"


@event.listens_for(Session, "after_flush")
def _note_flush(session, _flush_context):
    session.info[WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _note_write(state):
    if not state.is_select:
        state.session.info[WROTE] = True


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_writes(session):
    session.info.pop(WROTE, None)


def end_read_transactions(app) -> None:
    """Before Flask-SQLAlchemy's teardown removes the session: commit a transaction that only read."""

    @app.teardown_appcontext
    def _commit_reads(error):
        session = db.session()
        if error is not None or not session.in_transaction() or session.info.get(WROTE):
            return
        if session.new or session.dirty or session.deleted:
            return  # changes never flushed: the teardown drops them, as before
        try:
            session.commit()
        except Exception:
            session.rollback()
