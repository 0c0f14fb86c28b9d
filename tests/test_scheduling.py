"""Date proposals: a pure service, tested without Flask or a database."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from planner.series.catalogue import TEMPLATES
from planner.series.scheduling import (
    AMSTERDAM,
    Rhythm,
    RhythmKind,
    SchedulingError,
    dutch_holidays,
    local_datetime,
    propose_dates,
)

ONTMOETINGEN = TEMPLATES["ontmoetingenreeks"]
ACTION = TEMPLATES["action_learning"]
HOLIDAYS = dutch_holidays("nl")
NO_HOLIDAYS: dict = {}


@pytest.fixture(autouse=True)
def db():
    """These rules need no app and no database."""
    return


def days(proposals):
    return [p.starts.date() for p in proposals]


def test_weekly_keeps_weekday_and_wall_clock_time():
    proposals = propose_dates(ONTMOETINGEN, datetime(2027, 2, 2, 19, 30), Rhythm(RhythmKind.WEEKLY), 5, {}, HOLIDAYS)
    assert days(proposals) == [date(2027, 2, d) for d in (2, 9, 16, 23)] + [date(2027, 3, 2)]
    assert {(p.starts.hour, p.starts.minute) for p in proposals} == {(19, 30)}
    assert all(p.ends - p.starts == timedelta(hours=2) for p in proposals)
    assert next(p.theme for p in proposals) == "Getting to know each other and recognising signals"


def test_fortnightly():
    proposals = propose_dates(
        ONTMOETINGEN, datetime(2027, 9, 7, 10, 0), Rhythm(RhythmKind.FORTNIGHTLY), 4, {}, HOLIDAYS
    )
    assert days(proposals) == [date(2027, 9, 7), date(2027, 9, 21), date(2027, 10, 5), date(2027, 10, 19)]


def test_monthly_on_the_same_weekday_of_the_month():
    # 9 February 2027 is the second Tuesday of the month.
    proposals = propose_dates(ACTION, datetime(2027, 2, 9, 13, 30), Rhythm(RhythmKind.MONTHLY), 4, {}, NO_HOLIDAYS)
    assert days(proposals) == [date(2027, 2, 9), date(2027, 3, 9), date(2027, 4, 13), date(2027, 5, 11)]
    assert {p.starts.weekday() for p in proposals} == {1}


def test_monthly_from_a_fifth_weekday_means_the_last_one():
    proposals = propose_dates(ACTION, datetime(2027, 3, 30, 13, 30), Rhythm(RhythmKind.MONTHLY), 3, {}, NO_HOLIDAYS)
    assert days(proposals) == [date(2027, 3, 30), date(2027, 4, 27), date(2027, 5, 25)]


def test_hand_picked_dates_are_sorted_and_kept():
    picked = [date(2027, 6, 14), date(2027, 6, 1), date(2027, 6, 9)]
    proposals = propose_dates(ACTION, datetime(2027, 6, 1, 9, 0), Rhythm.manual(picked), 3, {}, HOLIDAYS)
    assert days(proposals) == sorted(picked)
    assert [p.title for p in proposals] == ["Kick-off", "Session 1", "Closing session"]


def test_koningsdag_is_skipped_and_the_reason_given():
    proposals = propose_dates(ONTMOETINGEN, datetime(2027, 4, 20, 19, 30), Rhythm(RhythmKind.WEEKLY), 4, {}, HOLIDAYS)
    assert days(proposals) == [date(2027, 4, 20), date(2027, 5, 4), date(2027, 5, 11), date(2027, 5, 18)]
    move = proposals[1].moves[0]
    assert (move.day, move.kind, move.reason) == (date(2027, 4, 27), "holiday", "Koningsdag")
    assert proposals[0].moves == proposals[2].moves == ()


def test_easter_monday_and_ascension_day_are_skipped():
    mondays = propose_dates(ONTMOETINGEN, datetime(2027, 3, 22, 19, 30), Rhythm(RhythmKind.WEEKLY), 4, {}, HOLIDAYS)
    assert date(2027, 3, 29) not in days(mondays)
    assert mondays[1].moves[0].reason == "Tweede paasdag"

    thursdays = propose_dates(ONTMOETINGEN, datetime(2027, 4, 29, 14, 0), Rhythm(RhythmKind.WEEKLY), 4, {}, HOLIDAYS)
    assert date(2027, 5, 6) not in days(thursdays)
    assert thursdays[1].moves[0].reason == "Hemelvaartsdag"


def test_holiday_names_follow_the_language():
    proposals = propose_dates(
        ONTMOETINGEN, datetime(2027, 4, 20, 19, 30), Rhythm(RhythmKind.WEEKLY), 4, {}, dutch_holidays("en")
    )
    assert proposals[1].moves[0].reason == "King's Day"


def test_blocked_dates_are_skipped_with_their_reason():
    blocked = {date(2027, 2, 9): "Studiedag", date(2027, 2, 16): "Voorjaarsvakantie"}
    proposals = propose_dates(
        ONTMOETINGEN, datetime(2027, 2, 2, 19, 30), Rhythm(RhythmKind.WEEKLY), 4, blocked, HOLIDAYS
    )
    assert days(proposals) == [date(2027, 2, 2), date(2027, 2, 23), date(2027, 3, 2), date(2027, 3, 9)]
    assert [(m.kind, m.reason) for m in proposals[1].moves] == [
        ("blocked", "Studiedag"),
        ("blocked", "Voorjaarsvakantie"),
    ]


def test_hand_picked_date_on_a_holiday_stays_with_a_warning_and_a_free_date_suggested():
    proposals = propose_dates(
        ACTION, datetime(2027, 4, 27, 10, 0), Rhythm.manual([date(2027, 4, 27), date(2027, 5, 4)]), 2, {}, HOLIDAYS
    )
    # Never moved silently: 27 April stays, marked; a week on (4 May) is taken, so 11 May is suggested.
    assert days(proposals) == [date(2027, 4, 27), date(2027, 5, 4)]
    assert (proposals[0].conflict.kind, proposals[0].conflict.reason) == ("holiday", "Koningsdag")
    assert proposals[0].suggestion == date(2027, 5, 11)
    assert proposals[0].moves == ()
    assert proposals[1].conflict is None


def test_evening_session_keeps_local_time_when_the_clocks_go_back():
    # Clocks go back on Sunday 25 October 2026; the Sunday sessions stay at 19:30.
    proposals = propose_dates(ONTMOETINGEN, datetime(2026, 10, 18, 19, 30), Rhythm(RhythmKind.WEEKLY), 4, {}, HOLIDAYS)
    assert [p.starts.strftime("%H:%M") for p in proposals] == ["19:30"] * 4
    assert proposals[0].starts_utc == datetime(2026, 10, 18, 17, 30, tzinfo=UTC)  # summer time
    assert proposals[1].starts_utc == datetime(2026, 10, 25, 18, 30, tzinfo=UTC)  # winter time
    assert proposals[1].ends_utc - proposals[1].starts_utc == timedelta(hours=2)


def test_session_in_the_night_the_clocks_go_forward_keeps_local_time():
    proposals = propose_dates(ONTMOETINGEN, datetime(2028, 3, 19, 19, 30), Rhythm(RhythmKind.WEEKLY), 4, {}, HOLIDAYS)
    assert [p.starts_utc.hour for p in proposals] == [18, 17, 17, 17]
    assert {p.starts.hour for p in proposals} == {19}


def test_a_time_that_does_not_exist_is_refused():
    # On the last Sunday of March the clocks jump from 02:00 to 03:00.
    with pytest.raises(SchedulingError) as error:
        propose_dates(ONTMOETINGEN, datetime(2028, 3, 26, 2, 30), Rhythm(RhythmKind.WEEKLY), 4, {}, HOLIDAYS)
    assert error.value.code == "nonexistent_time"
    assert error.value.params == {"day": date(2028, 3, 26), "time": time(2, 30)}


def test_the_doubled_hour_in_october_means_the_first_one():
    local = local_datetime(date(2027, 10, 31), time(2, 30))
    assert local.astimezone(UTC) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert local.tzinfo is AMSTERDAM


@pytest.mark.parametrize("count", [3, 6])
def test_count_must_fit_the_template(count):
    with pytest.raises(SchedulingError) as error:
        propose_dates(ONTMOETINGEN, datetime(2027, 2, 2, 19, 30), Rhythm(RhythmKind.WEEKLY), count, {}, {})
    assert error.value.code == "count_out_of_range"
    assert error.value.params == {"minimum": 4, "maximum": 5}


def test_ontmoetingenreeks_of_four_drops_the_look_back():
    proposals = propose_dates(ONTMOETINGEN, datetime(2027, 2, 2, 19, 30), Rhythm(RhythmKind.WEEKLY), 4, {}, {})
    assert [p.theme for p in proposals][-1] == "Agreements to break through"


def test_welkome_wijk_has_one_session_per_audience():
    proposals = propose_dates(
        TEMPLATES["welkome_wijk"], datetime(2027, 9, 1, 14, 0), Rhythm(RhythmKind.FORTNIGHTLY), 7, {}, HOLIDAYS
    )
    assert [p.audiences for p in proposals] == [
        ("partners",),
        ("professionals",),
        ("volunteers",),
        ("residents",),
        ("professionals",),
        ("volunteers",),
        ("residents",),
    ]
    # Each focus group comes two to six weeks after the awareness meeting for its audience.
    for awareness, focus in zip(proposals[1:4], proposals[4:7], strict=True):
        assert timedelta(weeks=2) <= focus.starts - awareness.starts <= timedelta(weeks=6)


def test_hand_picked_dates_must_be_distinct_and_match_the_count():
    rhythm = Rhythm.manual([date(2027, 6, 1), date(2027, 6, 1)])
    with pytest.raises(SchedulingError) as error:
        propose_dates(ACTION, datetime(2027, 6, 1, 9, 0), rhythm, 2, {}, {})
    assert error.value.code == "duplicate_date"
    with pytest.raises(SchedulingError) as error:
        propose_dates(ACTION, datetime(2027, 6, 1, 9, 0), Rhythm.manual([date(2027, 6, 1)]), 2, {}, {})
    assert error.value.code == "count_mismatch"


def test_gives_up_when_every_date_is_blocked():
    blocked = {date(2027, 1, 5) + timedelta(weeks=k): "Dicht" for k in range(200)}
    with pytest.raises(SchedulingError) as error:
        propose_dates(ONTMOETINGEN, datetime(2027, 1, 5, 19, 30), Rhythm(RhythmKind.WEEKLY), 4, blocked, {})
    assert error.value.code == "no_free_date"
