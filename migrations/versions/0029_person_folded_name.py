"""People in order of their folded name, from an index

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-03

The people list and the people pickers order by the name in lower case (accented capitals
too: unicode_lower on SQLite, which each connection is given, lower() on PostgreSQL) and show
50 at a time; with this index a page is read in order instead of sorting every person.

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    folded = "unicode_lower(name)" if op.get_bind().dialect.name == "sqlite" else "lower(name)"
    op.create_index('ix_person_folded_name', 'person', [sa.text(folded), 'id'], unique=False)


def downgrade():
    op.drop_index('ix_person_folded_name', table_name='person')
