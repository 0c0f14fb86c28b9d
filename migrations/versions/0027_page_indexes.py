"""A learning studio's page orders its series by their first scheduled session from one index

Revision ID: 0027
Revises: 0021
Create Date: 2026-12-03

session (series_id, status, starts_at): the first scheduled start of a series is one index
entry, so a page of 25 series costs the same with 100 series as with 5,000.

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.create_index('ix_session_series_status_starts', ['series_id', 'status', 'starts_at'], unique=False)


def downgrade():
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.drop_index('ix_session_series_status_starts')
