"""Evaluations, consent, audit trail and retention

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=False),
    sa.Column('detail', sa.String(length=300), nullable=False),
    sa.Column('ip_address', sa.String(length=45), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.CheckConstraint("action IN ('view', 'export', 'change', 'delete')", name=op.f('ck_audit_event_action_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_object_type'), ['object_type'], unique=False)

    op.create_table('consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('given', sa.Boolean(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("purpose IN ('participation', 'photos', 'contact_shared', 'research')", name=op.f('ck_consent_purpose_known')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_consent_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff_user.id'], name=op.f('fk_consent_recorded_by_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent')),
    sa.UniqueConstraint('person_id', 'purpose', name=op.f('uq_consent_person_id_purpose'))
    )
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_person_id'), ['person_id'], unique=False)

    op.create_table('evaluation_form',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('lineage', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('builtin_key', sa.String(length=40), nullable=True),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('title_nl', sa.String(length=160), nullable=False),
    sa.Column('title_en', sa.String(length=160), nullable=False),
    sa.Column('intro_nl', sa.Text(), nullable=False),
    sa.Column('intro_en', sa.Text(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('superseded', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("purpose IN ('session', 'end_of_series', 'residents')", name=op.f('ck_evaluation_form_purpose_known')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_evaluation_form_version_positive')),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_evaluation_form_created_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_evaluation_form_programme_id_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_form')),
    sa.UniqueConstraint('lineage', 'version', name=op.f('uq_evaluation_form_lineage_version'))
    )
    with op.batch_alter_table('evaluation_form', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_form_lineage'), ['lineage'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_form_programme_id'), ['programme_id'], unique=False)

    op.create_table('evaluation_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('text_nl', sa.String(length=500), nullable=False),
    sa.Column('text_en', sa.String(length=500), nullable=False),
    sa.Column('hint_nl', sa.String(length=300), nullable=False),
    sa.Column('hint_en', sa.String(length=300), nullable=False),
    sa.Column('condition', sa.String(length=30), nullable=True),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('pair_key', sa.String(length=40), nullable=True),
    sa.Column('moment', sa.String(length=10), nullable=True),
    sa.CheckConstraint("condition IS NULL OR condition IN ('socio_economic_security', 'social_inclusion', 'social_cohesion', 'social_empowerment')", name=op.f('ck_evaluation_question_condition_known')),
    sa.CheckConstraint("kind IN ('smiley', 'agree', 'mark', 'yes_no', 'choice', 'multiple', 'open')", name=op.f('ck_evaluation_question_kind_known')),
    sa.CheckConstraint("moment IS NULL OR moment IN ('before', 'now')", name=op.f('ck_evaluation_question_moment_known')),
    sa.CheckConstraint('(moment IS NULL) = (pair_key IS NULL)', name=op.f('ck_evaluation_question_moment_with_pair')),
    sa.ForeignKeyConstraint(['form_id'], ['evaluation_form.id'], name=op.f('fk_evaluation_question_form_id_evaluation_form'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_question')),
    sa.UniqueConstraint('form_id', 'key', name=op.f('uq_evaluation_question_form_id_key')),
    sa.UniqueConstraint('form_id', 'position', name=op.f('uq_evaluation_question_form_id_position'))
    )
    with op.batch_alter_table('evaluation_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_question_form_id'), ['form_id'], unique=False)

    op.create_table('evaluation_option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('label_nl', sa.String(length=200), nullable=False),
    sa.Column('label_en', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['evaluation_question.id'], name=op.f('fk_evaluation_option_question_id_evaluation_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_option')),
    sa.UniqueConstraint('question_id', 'key', name=op.f('uq_evaluation_option_question_id_key')),
    sa.UniqueConstraint('question_id', 'position', name=op.f('uq_evaluation_option_question_id_position'))
    )
    with op.batch_alter_table('evaluation_option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_option_question_id'), ['question_id'], unique=False)

    op.create_table('evaluation_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_evaluation_request_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], name=op.f('fk_evaluation_request_session_id_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_request')),
    sa.UniqueConstraint('session_id', 'person_id', name=op.f('uq_evaluation_request_session_id_person_id')),
    sa.UniqueConstraint('token', name=op.f('uq_evaluation_request_token'))
    )
    with op.batch_alter_table('evaluation_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_request_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_request_session_id'), ['session_id'], unique=False)

    op.create_table('evaluation_response',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=30), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("channel IN ('mail', 'screen', 'paper')", name=op.f('ck_evaluation_response_channel_known')),
    sa.CheckConstraint("role IS NULL OR role IN ('resident', 'volunteer', 'professional', 'expert', 'student', 'lecturer', 'researcher', 'policy_officer')", name=op.f('ck_evaluation_response_role_known')),
    sa.CheckConstraint('NOT anonymous OR (person_id IS NULL AND role IS NULL AND submitted_at IS NULL)', name=op.f('ck_evaluation_response_anonymous_is_unlinked')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['staff_user.id'], name=op.f('fk_evaluation_response_entered_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['form_id'], ['evaluation_form.id'], name=op.f('fk_evaluation_response_form_id_evaluation_form'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_evaluation_response_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], name=op.f('fk_evaluation_response_session_id_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_response')),
    sa.UniqueConstraint('session_id', 'person_id', name=op.f('uq_evaluation_response_session_id_person_id'))
    )
    with op.batch_alter_table('evaluation_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_response_form_id'), ['form_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_response_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_response_session_id'), ['session_id'], unique=False)

    op.create_table('session_evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('short_code', sa.String(length=16), nullable=False),
    sa.Column('screen_open', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['form_id'], ['evaluation_form.id'], name=op.f('fk_session_evaluation_form_id_evaluation_form'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['session_id'], ['session.id'], name=op.f('fk_session_evaluation_session_id_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_evaluation')),
    sa.UniqueConstraint('session_id', name=op.f('uq_session_evaluation_session_id')),
    sa.UniqueConstraint('short_code', name=op.f('uq_session_evaluation_short_code'))
    )
    with op.batch_alter_table('session_evaluation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_evaluation_form_id'), ['form_id'], unique=False)

    op.create_table('evaluation_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.String(length=32), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=True),
    sa.Column('option_id', sa.Integer(), nullable=True),
    sa.Column('not_applicable', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('moderation', sa.String(length=10), nullable=False),
    sa.Column('redacted_text', sa.Text(), nullable=True),
    sa.Column('moderated_by_id', sa.Integer(), nullable=True),
    sa.Column('moderated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('starred', sa.Boolean(), nullable=False),
    sa.Column('starred_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("moderation IN ('pending', 'approved', 'hidden')", name=op.f('ck_evaluation_answer_moderation_known')),
    sa.CheckConstraint('(value IS NOT NULL) OR (option_id IS NOT NULL) OR (text IS NOT NULL) OR not_applicable', name=op.f('ck_evaluation_answer_has_content')),
    sa.CheckConstraint('value IS NULL OR (value >= 0 AND value <= 10)', name=op.f('ck_evaluation_answer_value_in_range')),
    sa.ForeignKeyConstraint(['moderated_by_id'], ['staff_user.id'], name=op.f('fk_evaluation_answer_moderated_by_id_staff_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['option_id'], ['evaluation_option.id'], name=op.f('fk_evaluation_answer_option_id_evaluation_option'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['question_id'], ['evaluation_question.id'], name=op.f('fk_evaluation_answer_question_id_evaluation_question'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['response_id'], ['evaluation_response.id'], name=op.f('fk_evaluation_answer_response_id_evaluation_response'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['starred_by_id'], ['staff_user.id'], name=op.f('fk_evaluation_answer_starred_by_id_staff_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_answer'))
    )
    with op.batch_alter_table('evaluation_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_answer_option_id'), ['option_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_answer_question_id'), ['question_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_answer_response_id'), ['response_id'], unique=False)

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.alter_column('token',
               existing_type=sa.VARCHAR(length=64),
               nullable=True)

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mail_withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deletion_requested_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint(op.f('ck_person_under_16_needs_consent'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_person_under_16_needs_consent'),
            "NOT under_16 OR anonymised_at IS NOT NULL"
            " OR (guardian_consent_on IS NOT NULL AND guardian_consent_by <> '')",
        )

    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_months', sa.Integer(), server_default='12', nullable=False))
        batch_op.create_check_constraint(
            op.f('ck_programme_retention_in_range'), 'retention_months >= 1 AND retention_months <= 120'
        )

    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evaluation_delay_hours', sa.Integer(), server_default='2', nullable=False))
        batch_op.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_series_evaluation_delay_in_range'),
            'evaluation_delay_hours >= 0 AND evaluation_delay_hours <= 336',
        )



def downgrade():
    with op.batch_alter_table('series', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_series_evaluation_delay_in_range'), type_='check')
        batch_op.drop_column('purged_at')
        batch_op.drop_column('evaluation_delay_hours')

    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_programme_retention_in_range'), type_='check')
        batch_op.drop_column('retention_months')

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_person_under_16_needs_consent'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_person_under_16_needs_consent'),
            "NOT under_16 OR (guardian_consent_on IS NOT NULL AND guardian_consent_by <> '')",
        )
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('deletion_requested_at')
        batch_op.drop_column('mail_withdrawn_at')

    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.alter_column('token',
               existing_type=sa.VARCHAR(length=64),
               nullable=False)

    with op.batch_alter_table('evaluation_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_answer_response_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_answer_question_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_answer_option_id'))

    op.drop_table('evaluation_answer')
    with op.batch_alter_table('session_evaluation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_evaluation_form_id'))

    op.drop_table('session_evaluation')
    with op.batch_alter_table('evaluation_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_response_session_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_response_person_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_response_form_id'))

    op.drop_table('evaluation_response')
    with op.batch_alter_table('evaluation_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_request_session_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_request_person_id'))

    op.drop_table('evaluation_request')
    with op.batch_alter_table('evaluation_option', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_option_question_id'))

    op.drop_table('evaluation_option')
    with op.batch_alter_table('evaluation_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_question_form_id'))

    op.drop_table('evaluation_question')
    with op.batch_alter_table('evaluation_form', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_form_programme_id'))
        batch_op.drop_index(batch_op.f('ix_evaluation_form_lineage'))

    op.drop_table('evaluation_form')
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_person_id'))

    op.drop_table('consent')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_object_type'))
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_actor_id'))

    op.drop_table('audit_event')
