"""Links on paper or a screen: door codes per session and pending door check-ins, throttled
tries at the door, an opt-in public series feed at a random address, no tokens in the audit trail

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02

"""
import re
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# The addresses that held a secret when entries were written: personal links, evaluation links,
# personal feeds, door links (a copy of planner/audit/paths.py, so this revision never changes).
_SECRET_PATHS = [
    (re.compile(r"^/i/[^/]+"), "/i/<token>"),
    (re.compile(r"^/e/[^/]+"), "/e/<code>"),
    (re.compile(r"^/feed/[^/]+\.ics"), "/feed/<token>.ics"),
    (re.compile(r"^/check-in/(\d+)/[^/]+"), r"/check-in/\1/<code>"),
]
_TOKEN_LIKE = re.compile(r"(?<=/)[A-Za-z0-9_-]{20,}(?=/|\.|$)")


def _scrubbed(source: str) -> str:
    method, space, path = source.partition(" ")
    if not space:
        return source
    for pattern, replacement in _SECRET_PATHS:
        path, replaced = pattern.subn(replacement, path, count=1)
        if replaced:
            break
    return f"{method} {_TOKEN_LIKE.sub('<token>', path)}"


def upgrade():
    op.create_table('door_check_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_door_check_in_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], name=op.f('fk_door_check_in_session_id_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_door_check_in')),
    sa.UniqueConstraint('session_id', 'person_id', name=op.f('uq_door_check_in_session_id_person_id'))
    )
    with op.batch_alter_table('door_check_in', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_door_check_in_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_door_check_in_session_id'), ['session_id'], unique=False)

    with op.batch_alter_table('failed_login', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='login', nullable=False))
        batch_op.create_check_constraint(op.f('ck_failed_login_kind_known'), "kind IN ('login', 'check_in')")

    # Off for every series until its organiser offers one.
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_feed_token', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_series_public_feed_token'), ['public_feed_token'])

    # Every session gets a random door code; the old ones came from SECRET_KEY, so links printed
    # before stop working (a 404) and the organiser prints the new QR code.
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('door_code', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('door_open', sa.Boolean(), server_default=sa.true(), nullable=False))
    connection = op.get_bind()
    sessions = sa.table('session', sa.column('id', sa.Integer), sa.column('door_code', sa.String))
    for (session_id,) in connection.execute(sa.select(sessions.c.id)).all():
        connection.execute(
            sessions.update().where(sessions.c.id == session_id).values(door_code=secrets.token_urlsafe(9))
        )
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.alter_column('door_code', existing_type=sa.String(length=32), nullable=False)

    # The audit trail kept the pages of personal links with their tokens: keep the page, not the key.
    events = sa.table('audit_event', sa.column('id', sa.Integer), sa.column('source', sa.String))
    for event_id, source in connection.execute(sa.select(events.c.id, events.c.source)).all():
        scrubbed = _scrubbed(source or "")
        if scrubbed != (source or ""):
            connection.execute(events.update().where(events.c.id == event_id).values(source=scrubbed))


def downgrade():
    # The tokens taken out of the audit trail are gone for good; that is the point.
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.drop_column('door_open')
        batch_op.drop_column('door_code')

    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_series_public_feed_token'), type_='unique')
        batch_op.drop_column('public_feed_token')

    op.execute(sa.text("DELETE FROM failed_login WHERE kind <> 'login'"))
    with op.batch_alter_table('failed_login', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_failed_login_kind_known'), type_='check')
        batch_op.drop_column('kind')

    with op.batch_alter_table('door_check_in', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_door_check_in_session_id'))
        batch_op.drop_index(batch_op.f('ix_door_check_in_person_id'))

    op.drop_table('door_check_in')
