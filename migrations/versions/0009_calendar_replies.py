"""Calendar replies: a reply address per invitation, answers and proposals from calendars

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_key', sa.String(length=64), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('partstat', sa.String(length=20), nullable=False),
    sa.Column('stamped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rsvp_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("outcome IN ('applied', 'unchanged', 'ignored', 'proposal', 'refused', 'auto_reply', 'not_calendar')", name=op.f('ck_calendar_reply_outcome_known')),
    sa.ForeignKeyConstraint(['rsvp_id'], ['rsvp.id'], name=op.f('fk_calendar_reply_rsvp_id_rsvp'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_reply')),
    sa.UniqueConstraint('message_key', name=op.f('uq_calendar_reply_message_key'))
    )
    with op.batch_alter_table('calendar_reply', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_reply_processed_at'), ['processed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendar_reply_rsvp_id'), ['rsvp_id'], unique=False)

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_token', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_invitation_reply_token'), ['reply_token'])

    with op.batch_alter_table('rsvp', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answered_via', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('proposed_starts_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('proposed_ends_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('proposal_comment', sa.String(length=500), nullable=False, server_default=''))
        batch_op.create_check_constraint(
            op.f('ck_rsvp_answered_via_known'), "answered_via IN ('calendar')"
        )
        batch_op.create_check_constraint(
            op.f('ck_rsvp_proposal_complete'),
            "(proposed_starts_at IS NULL AND proposed_ends_at IS NULL AND proposed_at IS NULL)"
            " OR (proposed_ends_at > proposed_starts_at AND proposed_at IS NOT NULL)",
        )


def downgrade():
    with op.batch_alter_table('rsvp', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_rsvp_proposal_complete'), type_='check')
        batch_op.drop_constraint(op.f('ck_rsvp_answered_via_known'), type_='check')
        batch_op.drop_column('proposal_comment')
        batch_op.drop_column('proposed_at')
        batch_op.drop_column('proposed_ends_at')
        batch_op.drop_column('proposed_starts_at')
        batch_op.drop_column('answered_via')

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_invitation_reply_token'), type_='unique')
        batch_op.drop_column('reply_token')

    with op.batch_alter_table('calendar_reply', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_reply_rsvp_id'))
        batch_op.drop_index(batch_op.f('ix_calendar_reply_processed_at'))

    op.drop_table('calendar_reply')
