"""The next round, through the services: a series copied to new dates, a cancelled session planned
again (with its calendar invites over SMTP), a finished series archived; and the date rules
(holidays and blocked dates warn, hand-picked dates never move), also on the DST weekends."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from planner.errors import DomainError
from planner.evaluations.catalogue import ensure_builtin_forms
from planner.evaluations.models import SessionEvaluation
from planner.evaluations.services import FormDetails, choose_forms, create_form, evaluation_of
from planner.invitations.listeners import reinstate_notice
from planner.invitations.models import Answer, Invitation, Seat
from planner.invitations.services import answer, new_token, resend_invitation
from planner.mail.models import OutboxMessage
from planner.series.models import Series, SeriesStatus, Venue
from planner.series.overview import series_overview
from planner.series.rounds import (
    CopyPlan,
    archive_series,
    duplicate_series,
    propose_copy,
    reinstate_session,
    restore_series,
)
from planner.series.scheduling import Rhythm, RhythmKind, dutch_holidays
from planner.series.services import (
    SeriesDetails,
    add_session,
    cancel_session,
    create_series,
    sessions_between,
    update_series_details,
    update_session,
)
from tests import factories
from tests.calendar_reading import method_of, read_events
from tests.evaluation_factories import past_series
from tests.factories import details_of, future_tuesday, make_plan

NL = dutch_holidays("nl")
NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def code_of(call) -> str:
    with pytest.raises(DomainError) as error:
        call()
    return error.value.code


def _plan(source, **overrides) -> CopyPlan:
    values = {"title": "Ontmoeting Gendt, ronde 2", "first_day": date(2027, 4, 20), "rhythm": RhythmKind.WEEKLY}
    values.update(overrides)
    return CopyPlan(**values)


# --- Duplicate.


def test_a_copy_proposes_dates_by_the_rules_and_carries_every_session_and_its_form(db, programme, organiser):
    source = factories.make_series(programme, organiser, now=NOW, first_day=date(2027, 2, 2), count=4)
    source.sessions[1].agenda = "Koffie, casus, afspraken"
    source.sessions[2].capacity = 12
    update_session(source.sessions[3], details_of(source.sessions[3], start=time(14, 0), end=time(16, 30)), now=NOW)
    ensure_builtin_forms()
    own = create_form(programme, FormDetails(title_nl="Na de casus"))
    choose_forms(source, {source.sessions[2].id: own.id}, delay_hours=5)
    factories.make_blocked_date(programme, date(2027, 5, 4), "Studiedag")
    db.session.commit()

    plan = _plan(source)
    proposals = propose_copy(source, plan, holidays=NL, now=NOW)
    # 27 April is Koningsdag, 4 May blocked: the rhythm steps over both, saying why.
    assert [p.starts.date() for p in proposals] == [
        date(2027, 4, 20),
        date(2027, 5, 11),
        date(2027, 5, 18),
        date(2027, 5, 25),
    ]
    assert [(m.kind, m.reason) for m in proposals[1].moves] == [("holiday", "Koningsdag"), ("blocked", "Studiedag")]

    copy = duplicate_series(source, plan, [p.starts.date() for p in proposals], organiser, holidays=NL, now=NOW)
    db.session.commit()
    assert copy.status == SeriesStatus.DRAFT
    assert copy.id != source.id
    assert copy.title == "Ontmoeting Gendt, ronde 2"
    assert [s.title for s in copy.sessions] == [s.title for s in source.sessions]
    assert [s.theme for s in copy.sessions] == [s.theme for s in source.sessions]
    assert copy.sessions[1].agenda == "Koffie, casus, afspraken"
    assert copy.sessions[2].capacity == 12
    assert [s.audiences for s in copy.sessions] == [s.audiences for s in source.sessions]
    assert [(s.local_start.time(), s.local_end.time()) for s in copy.sessions][3] == (time(14, 0), time(16, 30))
    assert {s.uid for s in copy.sessions}.isdisjoint({s.uid for s in source.sessions})
    assert all(s.sequence == 0 for s in copy.sessions)
    forms = [evaluation_of(s, create=False).form for s in copy.sessions]
    assert forms[2].title_nl == "Na de casus"
    assert forms[0].id == evaluation_of(source.sessions[0]).form_id
    assert copy.evaluation_delay_hours == 5
    assert db.session.scalar(select(func.count(Invitation.id)).where(Invitation.series_id == copy.id)) == 0


def test_a_copy_to_another_municipality_takes_its_venue_and_the_dates_as_changed(db, programme, organiser):
    source = factories.make_series(programme, organiser, now=NOW, first_day=date(2027, 2, 2), count=4)
    hall = Venue(name="Dorpshuis", municipality="Beuningen", capacity=30)
    db.session.add(hall)
    days = [date(2027, 9, 7), date(2027, 9, 14), date(2027, 9, 28), date(2027, 10, 5)]
    plan = _plan(source, title="Ontmoeting Beuningen", municipality="Beuningen", venue=hall)
    copy = duplicate_series(source, plan, days, organiser, holidays=NL, now=NOW)
    db.session.commit()
    assert copy.municipality == "Beuningen"
    assert copy.venue.name == "Dorpshuis"
    assert [s.local_start.date() for s in copy.sessions] == days
    assert all(s.local_start.time() == time(19, 30) for s in copy.sessions)


def test_a_copy_on_a_holiday_asks_first_and_saves_nothing_until_then(db, programme, organiser):
    source = factories.make_series(programme, organiser, now=NOW, first_day=date(2027, 2, 2), count=4)
    days = [date(2027, 4, 20), date(2027, 4, 27), date(2027, 5, 4), date(2027, 5, 11)]
    before = db.session.scalar(select(func.count(Series.id)))
    assert code_of(lambda: duplicate_series(source, _plan(source), days, organiser, holidays=NL, now=NOW)) == (
        "hand_picked_conflict"
    )
    db.session.rollback()
    assert db.session.scalar(select(func.count(Series.id))) == before
    copy = duplicate_series(source, _plan(source), days, organiser, holidays=NL, plan_anyway=True, now=NOW)
    assert copy.sessions[1].local_start.date() == date(2027, 4, 27), "kept where the organiser chose it"


@pytest.mark.parametrize(
    ("days", "code"),
    [
        ([date(2027, 4, 20)], "dates_mismatch"),
        ([date(2026, 10, 6), date(2027, 4, 27), date(2027, 5, 4), date(2027, 5, 11)], "in_the_past"),
        ([date(2099, 1, 6), date(2099, 1, 13), date(2099, 1, 20), date(2099, 1, 27)], "too_far_ahead"),
    ],
)
def test_a_copy_refuses_bad_dates_whole(db, programme, organiser, days, code):
    source = factories.make_series(programme, organiser, now=NOW, first_day=date(2027, 2, 2), count=4)
    before = db.session.scalar(select(func.count(Series.id)))
    got = code_of(
        lambda: duplicate_series(source, _plan(source), days, organiser, holidays={}, plan_anyway=True, now=NOW)
    )
    assert got == code
    db.session.rollback()
    assert db.session.scalar(select(func.count(Series.id))) == before


def test_a_copy_over_the_dst_weekends_keeps_the_wall_clock_times(db, programme, organiser):
    # Sunday sessions at 19:30, copied onto the last Sundays of March and October 2028.
    source = factories.make_series(
        programme,
        organiser,
        now=NOW,
        holidays={},
        template_key="action_learning",
        count=3,
        first_day=date(2027, 1, 3),
        rhythm=Rhythm(RhythmKind.WEEKLY),
    )
    days = [date(2028, 3, 19), date(2028, 3, 26), date(2028, 10, 29)]
    copy = duplicate_series(source, _plan(source), days, organiser, holidays=NL, now=NOW)
    assert [s.local_start.strftime("%H:%M") for s in copy.sessions] == ["19:30"] * 3
    assert copy.sessions[0].starts_at == datetime(2028, 3, 19, 18, 30, tzinfo=UTC)  # winter time
    assert copy.sessions[1].starts_at == datetime(2028, 3, 26, 17, 30, tzinfo=UTC)  # summer time
    assert copy.sessions[2].starts_at == datetime(2028, 10, 29, 18, 30, tzinfo=UTC)  # winter again
    assert all(s.ends_at - s.starts_at == timedelta(hours=2) for s in copy.sessions)


def test_a_copy_at_a_time_the_clocks_skip_is_refused(db, programme, organiser):
    source = factories.make_series(
        programme,
        organiser,
        now=NOW,
        holidays={},
        template_key="thematic",
        count=1,
        first_day=date(2027, 1, 3),
        start=time(2, 30),
        end=time(4, 0),
    )
    assert (
        code_of(lambda: duplicate_series(source, _plan(source), [date(2028, 3, 26)], organiser, holidays={}, now=NOW))
        == "nonexistent_time"
    )


# --- Reinstate.


def test_reinstating_sends_fresh_invites_over_smtp_and_fills_free_seats(app, db, smtp_server, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    session = series.sessions[0]
    update_session(session, details_of(session, capacity=1))
    anna = factories.make_invitation(series, name="Anna", email="anna@example.org")
    ben = factories.make_invitation(series, name="Ben", email="ben@example.org", language="en")
    cas = factories.make_invitation(series, name="Cas", email="cas@example.org")
    dirk = factories.make_invitation(series, name="Dirk", email="dirk@example.org")
    answer(anna, session, Answer.YES)
    answer(ben, session, Answer.MAYBE)
    answer(cas, session, Answer.NO)
    answer(dirk, session, Answer.YES)  # waits: one seat
    cancel_session(session, "Storm")
    db.session.commit()
    assert app.test_cli_runner().invoke(args=["mail", "deliver"]).exit_code == 0
    smtp_server.messages.clear()
    sequence = session.sequence
    queued = db.session.scalar(select(func.count(OutboxMessage.id)))
    notice = reinstate_notice(session)  # what the preview before sending would list
    assert {language: [p.name for p in people] for language, people in notice.mails.items()} == {
        "nl": ["Anna"],
        "en": ["Ben"],
    }
    assert notice.not_mailed == []
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == queued, "listing queues nothing"

    reinstate_session(session)
    db.session.commit()
    assert session.status == "scheduled"
    assert session.cancel_reason == ""
    assert session.sequence == sequence + 1
    assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "queued")) == 2
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    received = {m["To"].addresses[0].addr_spec: m for m in smtp_server.messages}
    assert set(received) == {"anna@example.org", "ben@example.org"}, "yes with a seat and maybe; not no, not waiting"
    for message in received.values():
        calendars = [p.get_payload(decode=True) for p in message.walk() if p.get_content_type() == "text/calendar"]
        assert calendars, message.as_string()
        assert len(set(calendars)) == 1, "the invite inline and attached, the same"
        body = calendars[0]
        assert method_of(body) == "REQUEST"
        [event] = read_events(body)
        assert (event["uid"], event["sequence"]) == (session.uid, sequence + 1)
        assert event.get("status") != "CANCELLED"
    assert "gaat toch door" in received["anna@example.org"].get_body(("plain",)).get_content()
    assert "goes ahead after all" in received["ben@example.org"].get_body(("plain",)).get_content()


def test_reinstating_with_room_moves_the_waiting_list_up(db, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    session = series.sessions[0]
    update_session(session, details_of(session, capacity=1))
    first = factories.make_invitation(series, email="first@example.org")
    second = factories.make_invitation(series, email="second@example.org")
    answer(first, session, Answer.YES)
    answer(second, session, Answer.YES)
    cancel_session(session, "Storm")
    first.revoked_at = first.rsvps[0].answered_at  # gone while it was cancelled
    first.rsvps[0].seat = None
    db.session.commit()
    reinstate_session(session)
    db.session.commit()
    db.session.refresh(second.rsvps[0])
    assert second.rsvps[0].seat == Seat.CONFIRMED
    moved_up = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == "second@example.org").order_by(OutboxMessage.id.desc())
    ).first()
    assert "plek vrijgekomen" in moved_up.body_text


def test_only_a_cancelled_coming_session_can_be_reinstated(db, programme, organiser):
    series = factories.make_series(programme, organiser, count=4)
    assert code_of(lambda: reinstate_session(series.sessions[0])) == "not_cancelled"
    done = past_series(programme, organiser)
    cancel_session(done.sessions[0], "Ziek", now=done.sessions[0].starts_at - timedelta(days=1))
    assert code_of(lambda: reinstate_session(done.sessions[0])) == "session_over"


# --- Archive.


def test_a_finished_series_is_archived_out_of_the_lists_and_read_only(db, programme, organiser):
    done = past_series(programme, organiser, title="Ontmoeting Bemmel")
    coming = factories.make_series(programme, organiser, title="Ontmoeting Gendt")
    assert code_of(lambda: archive_series(coming)) == "not_finished"
    archive_series(done)
    db.session.commit()
    assert [s.series.title for s in series_overview(programme)] == ["Ontmoeting Gendt"]
    assert {s.series.title for s in series_overview(programme, include_archived=True)} == {
        "Ontmoeting Gendt",
        "Ontmoeting Bemmel",
    }
    start = done.sessions[0].starts_at - timedelta(days=1)

    def of_done(**archived):
        return [
            s
            for s in sessions_between(organiser, start, start + timedelta(days=30), **archived)
            if s.series_id == done.id
        ]

    assert of_done() == []
    assert len(of_done(include_archived=True)) == 4

    session = done.sessions[0]
    assert code_of(lambda: update_series_details(done, SeriesDetails(title="Anders"))) == "archived"
    assert code_of(lambda: update_session(session, details_of(session, title="Anders"))) == "archived"
    assert code_of(lambda: cancel_session(session, "Weg")) == "archived"
    assert code_of(lambda: add_session(done, details_of(session, day=future_tuesday()))) == "archived"
    assert code_of(lambda: archive_series(done)) == "archived"
    person = factories.make_person(email="ooit@example.org")
    invitation = Invitation(series=done, person=person, token=new_token())
    db.session.add(invitation)
    db.session.flush()
    assert code_of(lambda: resend_invitation(invitation)) == "archived"

    restore_series(done)
    assert done.status == SeriesStatus.PUBLISHED
    assert code_of(lambda: restore_series(done)) == "not_archived"


def test_a_draft_comes_back_from_the_archive_as_a_draft(db, programme, organiser):
    planned = datetime(2026, 1, 1, 9, tzinfo=UTC)
    draft = create_series(
        programme, make_plan(first_day=date(2026, 2, 3), count=4), organiser, holidays={}, now=planned
    )
    archive_series(draft)
    restore_series(draft)
    assert draft.status == SeriesStatus.DRAFT


# --- Date rules.


def test_moving_a_session_onto_christmas_or_a_blocked_date_asks_first(db, programme, organiser):
    series = factories.make_series(programme, organiser, now=NOW, first_day=date(2027, 11, 30), count=4)
    session = series.sessions[0]
    christmas = details_of(session, day=date(2027, 12, 25))
    assert code_of(lambda: update_session(session, christmas, holidays=NL, now=NOW)) == "on_holiday"
    db.session.rollback()
    assert session.local_start.date() == date(2027, 11, 30), "nothing saved before the confirmation"
    update_session(session, christmas, holidays=NL, plan_anyway=True, now=NOW)
    assert session.local_start.date() == date(2027, 12, 25)
    # Saving it again without changing the date does not ask again.
    update_session(session, details_of(session, agenda="Kerstborrel"), holidays=NL, now=NOW)

    factories.make_blocked_date(programme, date(2028, 1, 11), "Studiedag")
    extra = details_of(session, day=date(2028, 1, 11), title="Extra")
    assert code_of(lambda: add_session(series, extra, holidays=NL, now=NOW)) == "on_blocked_date"
    added = add_session(series, extra, holidays=NL, plan_anyway=True, now=NOW)
    assert added.local_start.date() == date(2028, 1, 11)


def test_hand_picked_dates_are_never_moved_silently(db, programme, organiser):
    plan = make_plan(
        template_key="action_learning",
        rhythm=Rhythm.manual([date(2027, 4, 20), date(2027, 4, 27), date(2027, 5, 4)]),
        count=3,
    )
    assert code_of(lambda: create_series(programme, plan, organiser, holidays=NL, now=NOW)) == "hand_picked_conflict"
    db.session.rollback()
    from dataclasses import replace

    series = create_series(programme, replace(plan, plan_anyway=True), organiser, holidays=NL, now=NOW)
    assert [s.local_start.date() for s in series.sessions] == [date(2027, 4, 20), date(2027, 4, 27), date(2027, 5, 4)]


@pytest.mark.parametrize("sunday", [date(2028, 3, 26), date(2027, 10, 31)])  # (28 March 2027 is Easter)
def test_a_session_moved_onto_a_dst_sunday_keeps_its_clock_time(db, programme, organiser, sunday):
    series = factories.make_series(programme, organiser, now=NOW, first_day=date(2027, 2, 2), count=4)
    session = series.sessions[0]
    update_session(session, details_of(session, day=sunday), holidays=NL, now=NOW)
    assert session.local_start.strftime("%H:%M") == "19:30"
    assert session.ends_at - session.starts_at == timedelta(hours=2)


def test_the_evaluation_row_of_a_copy_is_its_own(db, programme, organiser):
    source = factories.make_series(programme, organiser, now=NOW, first_day=date(2027, 2, 2), count=4)
    copy = duplicate_series(
        source,
        _plan(source),
        [date(2027, 9, 7), date(2027, 9, 14), date(2027, 9, 21), date(2027, 9, 28)],
        organiser,
        holidays=NL,
        now=NOW,
    )
    db.session.commit()
    codes = db.session.scalars(
        select(SessionEvaluation.short_code).where(SessionEvaluation.session_id.in_([s.id for s in copy.sessions]))
    ).all()
    assert len(set(codes)) == 4
