"""Every session has its evaluation row, and the built-in forms exist, before any page reads them

Until now a page made them when it was first read (a GET that wrote). From now on they are made
when a session is added (planner/evaluations/listeners.py); this makes them for what exists.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.orm import Session


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    from planner.evaluations.catalogue import BUILTIN_FORMS, SESSION, build_question
    from planner.evaluations.models import EvaluationForm, SessionEvaluation
    from planner.evaluations.services import new_short_code
    from planner.series.models import Session as PlannedSession

    session = Session(bind=op.get_bind())
    builtin = {
        form.builtin_key: form
        for form in session.scalars(
            sa.select(EvaluationForm).where(EvaluationForm.builtin_key.is_not(None)).order_by(EvaluationForm.version)
        )
    }
    for key, spec in BUILTIN_FORMS.items():
        if key not in builtin:
            form = EvaluationForm(
                builtin_key=key, programme_id=None, purpose=spec["purpose"], anonymous=spec["anonymous"],
                title_nl=spec["title_nl"], title_en=spec["title_en"], intro_nl=spec["intro_nl"],
                intro_en=spec["intro_en"],
            )
            form.questions = [build_question(q, n) for n, q in enumerate(spec["questions"], start=1)]
            session.add(form)
            builtin[key] = form
    session.flush()
    have = set(session.scalars(sa.select(SessionEvaluation.session_id)))
    codes = set(session.scalars(sa.select(SessionEvaluation.short_code)))
    for session_id in session.scalars(sa.select(PlannedSession.id).order_by(PlannedSession.id)).all():
        if session_id in have:
            continue
        code = new_short_code()
        while code in codes:
            code = new_short_code()
        codes.add(code)
        session.add(SessionEvaluation(session_id=session_id, form_id=builtin[SESSION].id, short_code=code))
    session.flush()


def downgrade():
    pass  # the rows are what the pages made before; they stay
