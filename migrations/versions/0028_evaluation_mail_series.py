"""Evaluation mails queued before outbox rows named their series: the series from the request

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-03

The home page counts failed mails per series from outbox_message.series_id (0023 filled it in
for invitation mails); the evaluation mails and reminders queued before then get it here.

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    op.execute(
        "UPDATE outbox_message SET series_id = (SELECT session.series_id FROM evaluation_request "
        "JOIN session ON session.id = evaluation_request.session_id "
        "WHERE 'evaluation:' || CAST(evaluation_request.id AS VARCHAR(20)) = outbox_message.reference), "
        "person_id = (SELECT evaluation_request.person_id FROM evaluation_request "
        "WHERE 'evaluation:' || CAST(evaluation_request.id AS VARCHAR(20)) = outbox_message.reference) "
        "WHERE reference LIKE 'evaluation:%' AND series_id IS NULL"
    )


def downgrade():
    pass  # the series stays known: nothing to undo
