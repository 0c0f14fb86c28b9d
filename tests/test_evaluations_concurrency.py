"""The same personal link sent several times at once (a double tap, a retry): one response.

On PostgreSQL the threads truly race: the compare-and-set UPDATE ... WHERE answered = false lets
one through and the others see that the request is already answered; on SQLite writers queue on
the database lock. Anonymous forms have no unique person to lean on, so this is all that guards them.
"""

import threading

from sqlalchemy import func, select

from planner.errors import DomainError
from planner.evaluations.answering import read_answers, save_response
from planner.evaluations.catalogue import RESIDENTS, ensure_builtin_forms
from planner.evaluations.models import Channel, EvaluationRequest, EvaluationResponse
from planner.evaluations.sending import send_due
from planner.evaluations.services import choose_forms, evaluation_of, form_with_questions
from planner.extensions import db as _db
from planner.timekeeping import utcnow
from tests import evaluation_factories as ef

TAPS = 8


def test_submits_racing_on_one_anonymous_link_make_one_response(db, second_app, programme, organiser):
    series = ef.past_series(programme, organiser)
    session = series.sessions[-1]
    choose_forms(series, {session.id: ensure_builtin_forms()[RESIDENTS].id}, series.evaluation_delay_hours)
    ef.present(session)
    send_due(now=utcnow())
    db.session.commit()
    request_id = db.session.scalar(select(EvaluationRequest.id))
    form_id = evaluation_of(session).form_id
    barrier = threading.Barrier(TAPS, timeout=60)
    saved, refused, errors = [], [], []

    def submit():
        try:
            with second_app.app_context():
                request = _db.session.get(EvaluationRequest, request_id)
                form = form_with_questions(form_id)
                answers, problems = read_answers(form, {f"q{form.questions[0].id}": "2"})
                assert not problems
                barrier.wait()
                try:
                    save_response(request.session, form, answers, channel=Channel.MAIL, request=request)
                    _db.session.commit()
                    saved.append(1)
                except DomainError as error:
                    _db.session.rollback()
                    refused.append(error.code)
        except Exception as error:
            errors.append(repr(error))

    threads = [threading.Thread(target=submit) for _ in range(TAPS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(saved) == 1
    assert refused == ["already_answered"] * (TAPS - 1)
    assert db.session.scalar(select(func.count()).select_from(EvaluationResponse)) == 1
