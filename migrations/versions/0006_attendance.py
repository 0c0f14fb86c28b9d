"""Attendance: check-in, its history, breakout groups

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('via', sa.String(length=10), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('present', 'absent', 'excused')", name=op.f('ck_attendance_status_known')),
    sa.CheckConstraint("via IN ('door', 'walk_in', 'self', 'organiser')", name=op.f('ck_attendance_via_known')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['staff_user.id'], name=op.f('fk_attendance_changed_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_attendance_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], name=op.f('fk_attendance_session_id_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('session_id', 'person_id', name=op.f('uq_attendance_session_id_person_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_session_id'), ['session_id'], unique=False)

    op.create_table('attendance_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=True),
    sa.Column('via', sa.String(length=10), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IS NULL OR status IN ('present', 'absent', 'excused')", name=op.f('ck_attendance_change_status_known')),
    sa.CheckConstraint("via IN ('door', 'walk_in', 'self', 'organiser')", name=op.f('ck_attendance_change_via_known')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['staff_user.id'], name=op.f('fk_attendance_change_changed_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_attendance_change_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], name=op.f('fk_attendance_change_session_id_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_change'))
    )
    with op.batch_alter_table('attendance_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_change_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_change_session_id'), ['session_id'], unique=False)

    op.create_table('breakout_drawing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('seed', sa.Integer(), nullable=False),
    sa.Column('group_count', sa.Integer(), nullable=False),
    sa.Column('drawn_by_id', sa.Integer(), nullable=True),
    sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('group_count >= 1', name=op.f('ck_breakout_drawing_group_count_positive')),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['staff_user.id'], name=op.f('fk_breakout_drawing_drawn_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], name=op.f('fk_breakout_drawing_session_id_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_breakout_drawing')),
    sa.UniqueConstraint('session_id', name=op.f('uq_breakout_drawing_session_id'))
    )
    op.create_table('breakout_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('drawing_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('group_number', sa.Integer(), nullable=False),
    sa.Column('is_facilitator', sa.Boolean(), nullable=False),
    sa.CheckConstraint('group_number >= 1', name=op.f('ck_breakout_member_group_number_positive')),
    sa.ForeignKeyConstraint(['drawing_id'], ['breakout_drawing.id'], name=op.f('fk_breakout_member_drawing_id_breakout_drawing'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_breakout_member_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_breakout_member')),
    sa.UniqueConstraint('drawing_id', 'person_id', name=op.f('uq_breakout_member_drawing_id_person_id'))
    )
    with op.batch_alter_table('breakout_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_breakout_member_drawing_id'), ['drawing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_breakout_member_person_id'), ['person_id'], unique=False)



def downgrade():
    with op.batch_alter_table('breakout_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_breakout_member_person_id'))
        batch_op.drop_index(batch_op.f('ix_breakout_member_drawing_id'))

    op.drop_table('breakout_member')
    op.drop_table('breakout_drawing')
    with op.batch_alter_table('attendance_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_change_session_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_change_person_id'))

    op.drop_table('attendance_change')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_session_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_person_id'))

    op.drop_table('attendance')
