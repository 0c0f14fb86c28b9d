"""The planning rules, called directly, with a fixed clock."""

from datetime import UTC, date, datetime, time

import pytest

from planner.errors import DomainError
from planner.series.models import Session, SessionStatus
from planner.series.overview import series_overview
from planner.series.scheduling import Rhythm, RhythmKind, dutch_holidays
from planner.series.services import (
    SessionDetails,
    add_session,
    cancel_session,
    create_series,
    publish_series,
    remove_session,
    update_session,
)
from tests.factories import details_of, make_plan, make_series

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_series_from_template_is_a_draft_with_themes_and_audiences(programme, organiser, db):
    series = make_series(programme, organiser, now=NOW, first_day=date(2027, 4, 20))
    assert series.status == "draft"
    assert [s.local_start.date() for s in series.sessions] == [
        date(2027, 4, 20),
        date(2027, 5, 4),
        date(2027, 5, 11),
        date(2027, 5, 18),
        date(2027, 5, 25),
    ]
    first = series.sessions[0]
    # Titles and themes are copied in the default language, Dutch.
    assert first.title == "Ontmoeting 1"
    assert first.theme == "Kennismaken en signalen herkennen"
    assert {a.value for a in first.audiences} == {"residents", "volunteers", "professionals", "experts"}
    assert first.timezone == "Europe/Amsterdam"
    assert first.sequence == 0
    assert len({s.uid for s in series.sessions}) == 5


def test_programme_blocked_dates_are_skipped(programme, organiser, db):
    from planner.programmes.services import block_date

    block_date(programme, date(2027, 2, 9), "Studiedag")
    series = make_series(programme, organiser, now=NOW, first_day=date(2027, 2, 2))
    assert date(2027, 2, 9) not in [s.local_start.date() for s in series.sessions]


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"first_day": date(2026, 10, 27)}, "in_the_past"),
        ({"template_key": "bingo"}, "unknown_template"),
        ({"title": "   "}, "title_required"),
        ({"start": time(21, 0), "end": time(19, 0)}, "end_before_start"),
        ({"count": 9}, "count_out_of_range"),
        ({"first_day": date(2028, 3, 26), "start": time(2, 30), "end": time(4, 0), "count": 4}, "nonexistent_time"),
    ],
)
def test_invalid_plans_are_refused_and_nothing_is_saved(programme, organiser, db, overrides, code):
    with pytest.raises(DomainError) as error:
        create_series(programme, make_plan(**overrides), organiser, holidays=dutch_holidays("nl"), now=NOW)
    assert error.value.code == code
    db.session.rollback()
    assert db.session.query(Session).count() == 0


def test_moving_a_session_bumps_its_sequence_and_keeps_its_uid(programme, organiser, db):
    series = make_series(programme, organiser, now=NOW, first_day=date(2027, 2, 2))
    session = series.sessions[1]
    uid = session.uid
    update_session(session, details_of(session, start=time(19, 0), end=time(21, 0)))
    assert (session.sequence, session.uid) == (1, uid)
    assert session.local_start.time() == time(19, 0)
    update_session(session, details_of(session, theme="Praten erover", capacity=12, audiences=["residents"]))
    assert session.sequence == 1, "a change no calendar shows leaves the sequence alone"
    assert session.capacity == 12
    assert [a.value for a in session.audiences] == ["residents"]


def test_session_edits_are_validated(programme, organiser, db):
    series = make_series(programme, organiser, now=NOW, first_day=date(2027, 2, 2))
    session = series.sessions[0]
    for overrides, code in [
        ({"end": time(18, 0)}, "end_before_start"),
        ({"capacity": 0}, "capacity_too_low"),
        ({"online_url": "javascript://example.org/%0aalert(1)"}, "invalid_url"),
        ({"title": ""}, "title_required"),
        ({"day": date(2028, 3, 26), "start": time(2, 15), "end": time(3, 30)}, "nonexistent_time"),
    ]:
        with pytest.raises(DomainError) as error:
            update_session(session, details_of(session, **overrides))
        assert error.value.code == code


def test_add_remove_cancel_and_publish(programme, organiser, db):
    series = make_series(programme, organiser, now=NOW, first_day=date(2027, 2, 2))
    extra = add_session(
        series,
        SessionDetails(day=date(2027, 3, 16), start=time(19, 30), end=time(21, 30), title="Terugkomavond"),
        now=NOW,
    )
    assert series.sessions[-1] is extra
    assert len(series.sessions) == 6
    remove_session(extra)
    assert len(series.sessions) == 5

    publish_series(series, now=NOW)
    assert series.is_published
    assert series.published_at == NOW
    with pytest.raises(DomainError) as error:
        remove_session(series.sessions[0])
    assert error.value.code == "remove_published"

    session = series.sessions[2]
    with pytest.raises(DomainError) as error:
        cancel_session(session, "  ")
    assert error.value.code == "reason_required"
    cancel_session(session, "Sneeuw")
    assert (session.status, session.cancel_reason, session.sequence) == (SessionStatus.CANCELLED, "Sneeuw", 1)
    with pytest.raises(DomainError) as error:
        cancel_session(session, "nog eens")
    assert error.value.code == "already_cancelled"


def test_new_session_in_the_past_is_refused(programme, organiser, db):
    series = make_series(programme, organiser, now=NOW, first_day=date(2027, 2, 2))
    with pytest.raises(DomainError) as error:
        add_session(
            series,
            SessionDetails(day=date(2026, 10, 1), start=time(19, 30), end=time(21, 30), title="Te laat"),
            now=NOW,
        )
    assert error.value.code == "in_the_past"


def test_overview_counts_only_scheduled_sessions_in_one_query(programme, organiser, db):
    series = make_series(programme, organiser, now=NOW, first_day=date(2027, 2, 2))
    cancel_session(series.sessions[-1], "Ziek")
    make_series(programme, organiser, now=NOW, first_day=date(2027, 9, 7), title="Ontmoeting Elst")
    db.session.commit()
    rows = {row.series.title: row for row in series_overview(programme)}
    assert rows["Ontmoeting Gendt"].session_count == 4
    assert rows["Ontmoeting Gendt"].first_start == datetime(2027, 2, 2, 18, 30, tzinfo=UTC)
    assert rows["Ontmoeting Elst"].session_count == 5


def test_database_refuses_a_session_that_ends_before_it_starts(programme, organiser, db):
    from sqlalchemy.exc import IntegrityError

    series = make_series(programme, organiser, now=NOW, first_day=date(2027, 2, 2))
    session = series.sessions[0]
    session.ends_at = session.starts_at
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_manual_rhythm_through_the_service(programme, organiser, db):
    plan = make_plan(
        template_key="action_learning",
        rhythm=Rhythm.manual([date(2027, 6, 1), date(2027, 6, 22), date(2027, 7, 6)]),
        count=3,
    )
    series = create_series(programme, plan, organiser, holidays=dutch_holidays("nl"), now=NOW)
    assert [s.title for s in series.sessions] == ["Aftrap", "Bijeenkomst 1", "Slotbijeenkomst"]
    assert series.sessions[0].local_start.date() == date(2027, 6, 1)
    assert plan.rhythm.kind == RhythmKind.MANUAL


def test_a_cancelled_session_cannot_be_edited(programme, organiser, db):
    series = make_series(programme, organiser, now=NOW, first_day=date(2027, 2, 2))
    session = series.sessions[0]
    cancel_session(session, "Storm")
    with pytest.raises(DomainError) as error:
        update_session(session, details_of(session, title="Toch wel"))
    assert error.value.code == "already_cancelled"
