"""Invitations: a personal link per person and series, and an answer per session

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29

"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('learning_question', sa.Text(), nullable=False),
    sa.Column('needs_access', sa.Boolean(), nullable=False),
    sa.Column('needs_interpreter', sa.Boolean(), nullable=False),
    sa.Column('needs_childcare', sa.Boolean(), nullable=False),
    sa.Column('needs_other', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['invited_by_id'], ['staff_user.id'], name=op.f('fk_invitation_invited_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_invitation_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_invitation_series_id_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation')),
    sa.UniqueConstraint('series_id', 'person_id', name=op.f('uq_invitation_series_id_person_id')),
    sa.UniqueConstraint('token', name=op.f('uq_invitation_token'))
    )
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitation_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitation_series_id'), ['series_id'], unique=False)

    op.create_table('rsvp',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('answer', sa.String(length=10), nullable=False),
    sa.Column('seat', sa.String(length=10), nullable=True),
    sa.Column('waitlist_position', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(seat = 'waiting' AND waitlist_position IS NOT NULL AND waitlist_position >= 1) OR (seat IS NULL AND waitlist_position IS NULL) OR (seat = 'confirmed' AND waitlist_position IS NULL)", name=op.f('ck_rsvp_position_only_when_waiting')),
    sa.CheckConstraint("answer = 'pending' OR answered_at IS NOT NULL", name=op.f('ck_rsvp_answered_at_set')),
    sa.CheckConstraint("answer IN ('pending', 'yes', 'no', 'maybe')", name=op.f('ck_rsvp_answer_known')),
    sa.CheckConstraint("seat IS NULL OR answer = 'yes'", name=op.f('ck_rsvp_seat_only_for_yes')),
    sa.CheckConstraint("seat IS NULL OR seat IN ('confirmed', 'waiting')", name=op.f('ck_rsvp_seat_known')),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], name=op.f('fk_rsvp_invitation_id_invitation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], name=op.f('fk_rsvp_session_id_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rsvp')),
    sa.UniqueConstraint('invitation_id', 'session_id', name=op.f('uq_rsvp_invitation_id_session_id')),
    sa.UniqueConstraint('session_id', 'waitlist_position', name=op.f('uq_rsvp_session_id_waitlist_position'))
    )
    with op.batch_alter_table('rsvp', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rsvp_invitation_id'), ['invitation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rsvp_session_id'), ['session_id'], unique=False)



def downgrade():
    with op.batch_alter_table('rsvp', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rsvp_session_id'))
        batch_op.drop_index(batch_op.f('ix_rsvp_invitation_id'))

    op.drop_table('rsvp')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitation_series_id'))
        batch_op.drop_index(batch_op.f('ix_invitation_person_id'))

    op.drop_table('invitation')
