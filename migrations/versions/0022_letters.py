"""Letters to print for people without e-mail, and short codes to type from them

Revision ID: 0022
Revises: 0019
Create Date: 2026-12-02

Every invitation gets a short code (eight characters without look-alikes) for its letters;
wrong codes typed at /code are counted in failed_login with the kind 'letter_code'; answers
typed in from a reply slip are marked 'paper'.

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0019'
branch_labels = None
depends_on = None

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # as planner/invitations/codes.py, fixed here
KINDS = "'invitation', 'session_changed', 'session_cancelled', 'reminder', 'session_reminder', 'moved_up', 'evaluation'"
SESSION_KINDS = "'session_changed', 'session_cancelled', 'session_reminder', 'moved_up', 'evaluation'"


def upgrade():
    op.create_table('letter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=250), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('printed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('printed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint(f"kind IN ({KINDS})", name=op.f('ck_letter_kind_known')),
    sa.CheckConstraint('printed_by_id IS NULL OR printed_at IS NOT NULL', name=op.f('ck_letter_printed_by_when_printed')),
    sa.CheckConstraint(f"session_id IS NOT NULL OR kind NOT IN ({SESSION_KINDS})", name=op.f('ck_letter_session_for_session_letters')),
    sa.CheckConstraint("invitation_id IS NOT NULL OR kind = 'evaluation'", name=op.f('ck_letter_invitation_unless_evaluation')),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'], name=op.f('fk_letter_invitation_id_invitation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_letter_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['printed_by_id'], ['staff_user.id'], name=op.f('fk_letter_printed_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_letter_series_id_series'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], name=op.f('fk_letter_session_id_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_letter')),
    sa.UniqueConstraint('code', name=op.f('uq_letter_code'))
    )
    with op.batch_alter_table('letter', schema=None) as batch_op:
        for column in ('created_at', 'invitation_id', 'person_id', 'printed_at', 'series_id', 'session_id'):
            batch_op.create_index(batch_op.f(f'ix_letter_{column}'), [column], unique=False)

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('short_code', sa.String(length=8), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_invitation_short_code'), ['short_code'])

    # A code for every invitation already made, so its letters printed again carry one too.
    invitation = sa.table('invitation', sa.column('id', sa.Integer), sa.column('short_code', sa.String))
    connection = op.get_bind()
    ids = [row.id for row in connection.execute(sa.select(invitation.c.id).order_by(invitation.c.id))]
    codes: set[str] = set()
    while len(codes) < len(ids):
        codes.add("".join(secrets.choice(CODE_ALPHABET) for _ in range(8)))
    for invitation_id, code in zip(ids, sorted(codes)):
        connection.execute(invitation.update().where(invitation.c.id == invitation_id).values(short_code=code))

    with op.batch_alter_table('failed_login', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_failed_login_kind_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_failed_login_kind_known'), "kind IN ('login', 'check_in', 'letter_code')")

    # Answers an organiser types in from a reply slip say so.
    with op.batch_alter_table('rsvp', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_rsvp_answered_via_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_rsvp_answered_via_known'), "answered_via IN ('calendar', 'paper')")


def downgrade():
    op.execute(sa.text("UPDATE rsvp SET answered_via = NULL WHERE answered_via = 'paper'"))
    with op.batch_alter_table('rsvp', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_rsvp_answered_via_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_rsvp_answered_via_known'), "answered_via IN ('calendar')")

    op.execute(sa.text("DELETE FROM failed_login WHERE kind = 'letter_code'"))
    with op.batch_alter_table('failed_login', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_failed_login_kind_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_failed_login_kind_known'), "kind IN ('login', 'check_in')")

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_invitation_short_code'), type_='unique')
        batch_op.drop_column('short_code')

    with op.batch_alter_table('letter', schema=None) as batch_op:
        for column in ('session_id', 'series_id', 'printed_at', 'person_id', 'invitation_id', 'created_at'):
            batch_op.drop_index(batch_op.f(f'ix_letter_{column}'))
    op.drop_table('letter')
