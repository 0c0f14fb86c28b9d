"""Enum columns: the CHECK of a column that may be empty names only its values

Status, answer, seat, channel, moderation and the other kinds of value are SQLAlchemy enums in
the models now; each enum writes the CHECK it is checked by, under the name the constraint had
(ck_<table>_<name>). For the five columns that may be empty, earlier revisions wrote that CHECK
as "column IS NULL OR column IN (...)", where the enum writes "column IN (...)": the same rule
(an empty value passes both), now in the enum's words, so that a database built by the
migrations holds the constraints the models declare. Every other constraint is already so.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02

"""
from alembic import op


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

ROLES = (
    'resident', 'volunteer', 'professional', 'expert', 'student', 'lecturer', 'researcher', 'policy_officer'
)
CONDITIONS = ('socio_economic_security', 'social_inclusion', 'social_cohesion', 'social_empowerment')

# table → (constraint, column, the values it may hold)
CHECKS = {
    'rsvp': [('ck_rsvp_seat_known', 'seat', ('confirmed', 'waiting'))],
    'attendance_change': [('ck_attendance_change_status_known', 'status', ('present', 'absent', 'excused'))],
    'evaluation_question': [
        ('ck_evaluation_question_condition_known', 'condition', CONDITIONS),
        ('ck_evaluation_question_moment_known', 'moment', ('before', 'now')),
    ],
    'evaluation_response': [('ck_evaluation_response_role_known', 'role', ROLES)],
}


def _one_of(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _rewrite(condition):
    for table, checks in CHECKS.items():
        with op.batch_alter_table(table) as batch_op:
            for name, column, values in checks:
                batch_op.drop_constraint(op.f(name), type_='check')
                batch_op.create_check_constraint(op.f(name), condition(column, values))


def upgrade():
    _rewrite(_one_of)


def downgrade():
    _rewrite(lambda column, values: f'{column} IS NULL OR {_one_of(column, values)}')
