"""Calendar: iTIP parts in the outbox, personal feeds, reminders

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29

"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.add_column(sa.Column('calendar_method', sa.String(length=10), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('calendar_body', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('series') as batch_op:
        batch_op.add_column(sa.Column('reminder_days', sa.Integer(), nullable=False, server_default='2'))
        batch_op.create_check_constraint(op.f('ck_series_reminder_days_not_negative'), 'reminder_days >= 0')
    with op.batch_alter_table('session') as batch_op:
        batch_op.add_column(sa.Column('changed_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token')
    )
    op.create_index(op.f('ix_calendar_feed_person_id'), 'calendar_feed', ['person_id'], unique=False)
    op.create_table('sent_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rsvp_id', sa.Integer(), nullable=False),
    sa.Column('session_sequence', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['rsvp_id'], ['rsvp.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('rsvp_id')
    )


def downgrade():
    op.drop_table('sent_reminder')
    op.drop_index(op.f('ix_calendar_feed_person_id'), table_name='calendar_feed')
    op.drop_table('calendar_feed')
    with op.batch_alter_table('session') as batch_op:
        batch_op.drop_column('changed_at')
    with op.batch_alter_table('series') as batch_op:
        batch_op.drop_constraint(op.f('ck_series_reminder_days_not_negative'), type_='check')
        batch_op.drop_column('reminder_days')
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.drop_column('calendar_body')
        batch_op.drop_column('calendar_method')
