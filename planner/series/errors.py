"""What the planning rules refuse (series, sessions, scheduling), and what each means to a person."""

from __future__ import annotations

from enum import auto

from flask_babel import gettext as _, lazy_gettext as _l

from planner.errors import DomainError, ErrorCode, when


class SeriesCode(ErrorCode):
    ALREADY_CANCELLED = auto(), _l("This session has already been cancelled.")
    ALREADY_PUBLISHED = auto(), _l("This series has already been published.")
    CAPACITY_TOO_LOW = auto(), _l("Capacity must be at least 1.")
    END_BEFORE_START = auto(), _l("The end time must be after the start time.")
    IN_THE_PAST = auto(), _l("%(day)s has already passed. Choose a date in the future.")
    INVALID_URL = auto(), _l("Enter a full web address starting with https://.")
    LAST_SESSION = auto(), _l("A series needs at least one session.")
    NOTHING_TO_PUBLISH = auto(), _l("Add at least one session before publishing.")
    REASON_REQUIRED = auto(), _l("Give a reason for the cancellation.")
    REMOVE_PUBLISHED = (
        auto(),
        _l("Sessions of a published series cannot be removed: cancel the session instead, so participants are told."),
    )
    TITLE_REQUIRED = auto(), _l("Enter a title.")
    TOO_FAR_AHEAD = auto(), _l("Sessions can be planned up to %(years)s years ahead. Check the year.")
    UNKNOWN_TEMPLATE = auto(), _l("Choose one of the templates.")
    COUNT_MISMATCH = auto(), _l("You chose %(count)s sessions but entered %(dates)s dates.")
    COUNT_OUT_OF_RANGE = auto(), _l("This template has between %(minimum)s and %(maximum)s sessions.")
    DUPLICATE_DATE = auto(), _l("The same date is entered twice.")
    NO_DATES = auto(), _l("Enter at least one date.")
    NO_FREE_DATE = auto(), _l("No free dates could be found after %(day)s: too many dates are holidays or blocked.")
    ON_HOLIDAY = (
        auto(),
        _l("%(day)s is a public holiday (%(name)s). Choose another date, or plan it on this day anyway."),
    )
    ON_BLOCKED_DATE = (
        auto(),
        lambda p: _(
            "%(day)s is a blocked date of this learning studio (%(reason)s). "
            "Choose another date, or plan it on this day anyway.",
            **when({**p, "reason": p.get("reason") or _("no reason given")}),
        ),
    )
    HAND_PICKED_CONFLICT = (
        auto(),
        _l(
            "Some dates you chose are public holidays or blocked dates (marked below). "
            "Change them, or plan on them anyway."
        ),
    )
    ARCHIVED = auto(), _l("This series is archived: bring it back from the archive before changing it.")
    NOT_FINISHED = auto(), _l("Only a series whose sessions are all over can be archived.")
    NOT_ARCHIVED = auto(), _l("This series is not archived.")
    NOT_CANCELLED = auto(), _l("This session is not cancelled.")
    SESSION_OVER = auto(), _l("This session is over: it cannot be planned again.")
    DATES_MISMATCH = auto(), _l("Give a date for each of the %(count)s sessions.")
    NONEXISTENT_TIME = (
        auto(),
        _l("%(time)s does not exist on %(day)s: the clocks go forward that night. Choose another time."),
    )


class SeriesError(DomainError, codes=SeriesCode):
    """A refusal by the series and session rules."""


class SchedulingError(DomainError, codes=SeriesCode):
    """A refusal by the date rules of scheduling.py (no database needed)."""
