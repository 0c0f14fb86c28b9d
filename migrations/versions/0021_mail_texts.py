"""Mail texts a learning studio owns, per kind and language; a Reply-To on every outbox row

Revision ID: 0021
Revises: 0016
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mail_text',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('programme_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('subject', sa.String(length=250), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("language IN ('nl', 'en')", name=op.f('ck_mail_text_language_known')),
        sa.CheckConstraint(
            'length(trim(subject)) > 0 AND length(trim(body)) > 0', name=op.f('ck_mail_text_not_empty')
        ),
        sa.ForeignKeyConstraint(
            ['programme_id'], ['programme.id'], name=op.f('fk_mail_text_programme_id_programme'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['updated_by_id'], ['staff_user.id'], name=op.f('fk_mail_text_updated_by_id_staff_user'), ondelete='SET NULL'
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_text')),
        sa.UniqueConstraint(
            'programme_id', 'kind', 'language', name=op.f('uq_mail_text_programme_id_kind_language')
        ),
    )
    with op.batch_alter_table('mail_text') as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_text_programme_id'), ['programme_id'], unique=False)
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.add_column(sa.Column('reply_to', sa.String(length=254), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.drop_column('reply_to')
    with op.batch_alter_table('mail_text') as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_text_programme_id'))
    op.drop_table('mail_text')
