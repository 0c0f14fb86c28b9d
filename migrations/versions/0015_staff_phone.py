"""Staff users have a phone number, shown to participants in mails and letters when given

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("staff_user") as batch:
        batch.add_column(sa.Column("phone", sa.String(40), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("staff_user") as batch:
        batch.drop_column("phone")
