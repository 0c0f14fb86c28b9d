"""Staff users can have a personal calendar feed of the sessions they organise, at a random address

Revision ID: 0016
Revises: 0022
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    # None: no feed yet (made on the account page); a new token makes the old address stop working.
    with op.batch_alter_table("staff_user") as batch:
        batch.add_column(sa.Column("calendar_token", sa.String(64), nullable=True))
        batch.create_unique_constraint(batch.f("uq_staff_user_calendar_token"), ["calendar_token"])


def downgrade():
    with op.batch_alter_table("staff_user") as batch:
        batch.drop_constraint(batch.f("uq_staff_user_calendar_token"), type_="unique")
        batch.drop_column("calendar_token")
