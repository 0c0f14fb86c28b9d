"""People: participants kept once, with role, organisation and language

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('municipality', sa.String(length=80), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('under_16', sa.Boolean(), nullable=False),
    sa.Column('guardian_consent_on', sa.Date(), nullable=True),
    sa.Column('guardian_consent_by', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("NOT under_16 OR (guardian_consent_on IS NOT NULL AND guardian_consent_by <> '')", name=op.f('ck_person_under_16_needs_consent')),
    sa.CheckConstraint("language IN ('nl', 'en')", name=op.f('ck_person_language_known')),
    sa.CheckConstraint("role IN ('resident', 'volunteer', 'professional', 'expert', 'student', 'lecturer', 'researcher', 'policy_officer')", name=op.f('ck_person_role_known')),
    sa.CheckConstraint('email IS NULL OR email = lower(email)', name=op.f('ck_person_email_lowercase')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_person_organisation_id_organisation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('email', name=op.f('uq_person_email'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_organisation_id'))

    op.drop_table('person')
