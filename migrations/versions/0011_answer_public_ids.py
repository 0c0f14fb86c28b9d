"""Evaluation answers get a random public id for pages and URLs

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02

"""
import uuid

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('evaluation_answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_id', sa.String(length=32), nullable=True))
    answers = sa.table('evaluation_answer', sa.column('id', sa.Integer), sa.column('public_id', sa.String))
    connection = op.get_bind()
    ids = [row[0] for row in connection.execute(sa.select(answers.c.id))]
    for answer_id in ids:
        connection.execute(answers.update().where(answers.c.id == answer_id).values(public_id=uuid.uuid4().hex))
    with op.batch_alter_table('evaluation_answer', schema=None) as batch_op:
        batch_op.alter_column('public_id', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_evaluation_answer_public_id'), ['public_id'])


def downgrade():
    with op.batch_alter_table('evaluation_answer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_evaluation_answer_public_id'), type_='unique')
        batch_op.drop_column('public_id')
