"""Reminders: due some days before, once, following moves, dropped on cancel or a no."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from planner.invitations.models import Answer, SentReminder
from planner.invitations.reminders import send_due_reminders
from planner.invitations.services import answer
from planner.mail.models import OutboxMessage
from tests import factories
from tests.test_calendar_invites import cancel, change


def reminders() -> list[OutboxMessage]:
    rows = factories.db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return [r for r in rows if not r.calendar_method and r.subject.endswith(("see you soon", "tot snel"))]


def _setup(db, programme, organiser, *answers):
    series = factories.make_series(programme, organiser, title="Ontmoeting Gendt")
    people = []
    for n, choice in enumerate(answers):
        invitation = factories.make_invitation(series, email=f"p{n}@example.org", language="en")
        answer(invitation, series.sessions[0], choice)
        people.append(invitation)
    db.session.commit()
    return series, series.sessions[0], people


def test_reminders_go_two_days_before_to_yes_and_maybe_and_never_twice(db, programme, organiser):
    _series, session, _ = _setup(db, programme, organiser, Answer.YES, Answer.MAYBE, Answer.NO)
    assert send_due_reminders(now=session.starts_at - timedelta(days=3)) == 0
    assert send_due_reminders(now=session.starts_at - timedelta(days=2)) == 2
    db.session.commit()
    assert send_due_reminders(now=session.starts_at - timedelta(days=1)) == 0
    db.session.commit()
    assert sorted(m.to_address for m in reminders()) == ["p0@example.org", "p1@example.org"]
    assert "Ontmoeting Gendt" in reminders()[0].subject


def test_the_command_is_idempotent(app, db, programme, organiser):
    _series, session, _ = _setup(db, programme, organiser, Answer.YES)
    at = (session.starts_at - timedelta(days=1)).isoformat()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["reminders", "send", "--now", at])
    second = runner.invoke(args=["reminders", "send", "--now", at])
    assert "Queued 1 reminder" in first.output
    assert "Queued 0 reminder" in second.output
    assert len(reminders()) == 1
    bad = runner.invoke(args=["reminders", "send", "--now", "yesterday"])
    assert bad.exit_code == 2


def test_a_reminder_follows_a_move(db, programme, organiser):
    _series, session, _ = _setup(db, programme, organiser, Answer.YES)
    old_start = session.starts_at
    change(session, day=session.local_start.date() + timedelta(days=10))
    assert send_due_reminders(now=old_start - timedelta(days=1)) == 0
    assert send_due_reminders(now=session.starts_at - timedelta(days=2)) == 1


def test_no_reminder_after_a_cancel_or_a_no(db, programme, organiser):
    _series, session, (_yes, later_no) = _setup(db, programme, organiser, Answer.YES, Answer.YES)
    answer(later_no, session, Answer.NO)
    db.session.commit()
    assert send_due_reminders(now=session.starts_at - timedelta(days=1)) == 1
    db.session.rollback()
    cancel(session)
    assert send_due_reminders(now=session.starts_at - timedelta(days=1)) == 0


def test_a_series_sets_its_own_days_and_zero_sends_none(db, programme, organiser):
    series, session, _ = _setup(db, programme, organiser, Answer.YES)
    series.reminder_days = 0
    db.session.commit()
    assert send_due_reminders(now=session.starts_at - timedelta(hours=1)) == 0
    series.reminder_days = 7
    db.session.commit()
    assert send_due_reminders(now=session.starts_at - timedelta(days=6)) == 1
    db.session.commit()
    assert db.session.scalar(select(SentReminder.session_sequence)) == 0


def test_a_second_worker_cannot_record_the_same_reminder(db, programme, organiser, monkeypatch):
    from planner.invitations import reminders as module

    _series, session, (invitation,) = _setup(db, programme, organiser, Answer.YES)
    rsvp = invitation.rsvps[0]
    db.session.add(SentReminder(rsvp_id=rsvp.id, session_sequence=0))
    db.session.commit()
    # As if another worker recorded it between our query and our insert: the constraint says no.
    monkeypatch.setattr(module, "due_reminders", lambda now: [rsvp])
    assert send_due_reminders(now=session.starts_at - timedelta(days=1)) == 0
    db.session.commit()
    assert reminders() == []


def test_the_job_asks_the_database_as_often_for_twelve_reminders_as_for_two(app, db, programme, organiser):
    from tests.test_query_counts import counted_queries

    def run(count):
        series = factories.make_series(programme, organiser, title=f"Ontmoeting {count}")
        session = series.sessions[0]
        for n in range(count):
            invitation = factories.make_invitation(series, email=f"r{count}-{n}@example.org", language="en")
            answer(invitation, session, Answer.YES)
        db.session.commit()
        with counted_queries(app) as statements:
            assert send_due_reminders(now=session.starts_at - timedelta(days=2)) == count
            db.session.commit()
        return len(statements)

    assert run(12) == run(2)
    assert len(reminders()) == 14
