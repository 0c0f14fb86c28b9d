"""What the planning rules refuse (series, sessions, scheduling), and what each means to a person."""

from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

from planner.errors import DomainError, ErrorCode, when


class SeriesCode(ErrorCode):
    ALREADY_CANCELLED = "already_cancelled", _l("This session has already been cancelled.")
    ALREADY_PUBLISHED = "already_published", _l("This series has already been published.")
    CAPACITY_TOO_LOW = "capacity_too_low", _l("Capacity must be at least 1.")
    END_BEFORE_START = "end_before_start", _l("The end time must be after the start time.")
    IN_THE_PAST = "in_the_past", lambda p: _("%(day)s has already passed. Choose a date in the future.", **when(p))
    INVALID_URL = "invalid_url", _l("Enter a full web address starting with https://.")
    LAST_SESSION = "last_session", _l("A series needs at least one session.")
    NOTHING_TO_PUBLISH = "nothing_to_publish", _l("Add at least one session before publishing.")
    REASON_REQUIRED = "reason_required", _l("Give a reason for the cancellation.")
    REMOVE_PUBLISHED = (
        "remove_published",
        _l("Sessions of a published series cannot be removed: cancel the session instead, so participants are told."),
    )
    TITLE_REQUIRED = "title_required", _l("Enter a title.")
    TOO_FAR_AHEAD = (
        "too_far_ahead",
        lambda p: _("Sessions can be planned up to %(years)s years ahead. Check the year.", **p),
    )
    UNKNOWN_TEMPLATE = "unknown_template", _l("Choose one of the templates.")
    COUNT_MISMATCH = "count_mismatch", lambda p: _("You chose %(count)s sessions but entered %(dates)s dates.", **p)
    COUNT_OUT_OF_RANGE = (
        "count_out_of_range",
        lambda p: _("This template has between %(minimum)s and %(maximum)s sessions.", **p),
    )
    DUPLICATE_DATE = "duplicate_date", _l("The same date is entered twice.")
    NO_DATES = "no_dates", _l("Enter at least one date.")
    NO_FREE_DATE = (
        "no_free_date",
        lambda p: _(
            "No free dates could be found after %(day)s: too many dates are holidays or blocked.",
            **when(p),
        ),
    )
    ON_HOLIDAY = (
        "on_holiday",
        lambda p: _(
            "%(day)s is a public holiday (%(name)s). Choose another date, or plan it on this day anyway.", **when(p)
        ),
    )
    ON_BLOCKED_DATE = (
        "on_blocked_date",
        lambda p: _(
            "%(day)s is a blocked date of this learning studio (%(reason)s). "
            "Choose another date, or plan it on this day anyway.",
            **when({**p, "reason": p.get("reason") or _("no reason given")}),
        ),
    )
    HAND_PICKED_CONFLICT = (
        "hand_picked_conflict",
        _l(
            "Some dates you chose are public holidays or blocked dates (marked below). "
            "Change them, or plan on them anyway."
        ),
    )
    ARCHIVED = (
        "archived",
        _l("This series is archived: bring it back from the archive before changing it."),
    )
    NOT_FINISHED = (
        "not_finished",
        _l("Only a series whose sessions are all over can be archived."),
    )
    NOT_ARCHIVED = "not_archived", _l("This series is not archived.")
    NOT_CANCELLED = "not_cancelled", _l("This session is not cancelled.")
    SESSION_OVER = "session_over", _l("This session is over: it cannot be planned again.")
    DATES_MISMATCH = (
        "dates_mismatch",
        lambda p: _("Give a date for each of the %(count)s sessions.", **p),
    )
    NONEXISTENT_TIME = (
        "nonexistent_time",
        lambda p: _(
            "%(time)s does not exist on %(day)s: the clocks go forward that night. Choose another time.",
            **when(p),
        ),
    )


class SeriesError(DomainError):
    """A refusal by the series and session rules."""

    codes = SeriesCode


class SchedulingError(DomainError):
    """A refusal by the date rules of scheduling.py (no database needed)."""

    codes = SeriesCode
