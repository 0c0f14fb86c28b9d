"""Indexes for pages and jobs that must not grow with the years of series

Revision ID: 0027
Revises: 0023
Create Date: 2026-12-03

session (series_id, status, starts_at): the first scheduled start of a series is one index
entry, so a page of 25 series costs the same with 100 series as with 5,000. session.ends_at:
the home page's coming sessions and to-dos, and the jobs, look for sessions by their end.

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.create_index('ix_session_series_status_starts', ['series_id', 'status', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_ends_at'), ['ends_at'], unique=False)


def downgrade():
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_ends_at'))
        batch_op.drop_index('ix_session_series_status_starts')
