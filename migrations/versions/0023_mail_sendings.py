"""Mass sendings, and what the mail log of a series needs on every outbox row

Revision ID: 0023
Revises: 0021
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'mail_sending',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('series_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('mail_count', sa.Integer(), nullable=False),
        sa.Column('letter_count', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint(
            'mail_count >= 0 AND letter_count >= 0', name=op.f('ck_mail_sending_counts_not_negative')
        ),
        sa.ForeignKeyConstraint(
            ['series_id'], ['series.id'], name=op.f('fk_mail_sending_series_id_series'), ondelete='CASCADE'
        ),
        sa.ForeignKeyConstraint(
            ['created_by_id'], ['staff_user.id'], name=op.f('fk_mail_sending_created_by_id_staff_user'),
            ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_sending')),
    )
    with op.batch_alter_table('mail_sending') as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_sending_series_id'), ['series_id'], unique=False)
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('series_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sending_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_message_series_id'), ['series_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_sending_id'), ['sending_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_outbox_message_sending_id_mail_sending'), 'mail_sending', ['sending_id'], ['id'],
            ondelete='SET NULL',
        )
    # Mails queued before this revision: their kind and series follow from what they are about.
    op.execute(
        "UPDATE outbox_message SET series_id = (SELECT invitation.series_id FROM invitation "
        "WHERE 'invitation:' || CAST(invitation.id AS VARCHAR(20)) = outbox_message.reference), "
        "person_id = (SELECT invitation.person_id FROM invitation "
        "WHERE 'invitation:' || CAST(invitation.id AS VARCHAR(20)) = outbox_message.reference) "
        "WHERE reference LIKE 'invitation:%'"
    )


def downgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_message_sending_id_mail_sending'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_message_sending_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_message_person_id'))
        batch_op.drop_index(batch_op.f('ix_outbox_message_series_id'))
        batch_op.drop_column('sending_id')
        batch_op.drop_column('person_id')
        batch_op.drop_column('series_id')
        batch_op.drop_column('kind')
    with op.batch_alter_table('mail_sending') as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_sending_series_id'))
    op.drop_table('mail_sending')
