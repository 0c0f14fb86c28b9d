"""Session versions, and failed logins counted per client and known device

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    # Earlier failures carry no client; they only mattered for 15 minutes anyway.
    op.execute(sa.text("DELETE FROM failed_login"))
    with op.batch_alter_table('failed_login', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('device', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_failed_login_client'), ['client'], unique=False)

    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('session_version')

    with op.batch_alter_table('failed_login', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_failed_login_client'))
        batch_op.drop_column('device')
        batch_op.drop_column('client')
