"""A series can be archived: its status may be 'archived'

A finished series (every session past) is archived to leave the default lists; brought back, it
is published again (or a draft, if it never was). The CHECK on series.status names the new value.

Revision ID: 0019
Revises: 0015
Create Date: 2026-12-02

"""
from alembic import op


revision = '0019'
down_revision = '0015'
branch_labels = None
depends_on = None

NAME = 'ck_series_status_known'


def _check(values):
    with op.batch_alter_table('series') as batch_op:
        batch_op.drop_constraint(op.f(NAME), type_='check')
        batch_op.create_check_constraint(op.f(NAME), f"status IN ({', '.join(repr(v) for v in values)})")


def upgrade():
    _check(('draft', 'published', 'archived'))


def downgrade():
    op.execute("UPDATE series SET status = 'published' WHERE status = 'archived' AND published_at IS NOT NULL")
    op.execute("UPDATE series SET status = 'draft' WHERE status = 'archived'")
    _check(('draft', 'published'))
