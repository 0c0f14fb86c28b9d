"""What the check-in and group rules refuse, and what each refusal means to a person."""

from __future__ import annotations

from enum import auto

from flask_babel import lazy_gettext as _l, ngettext

from planner.errors import DomainError, ErrorCode


class AttendanceCode(ErrorCode):
    BAD_GROUP_REQUEST = auto(), _l("Enter a number of groups or a group size from 1 to %(maximum)s.")
    CHECK_IN_CLOSED = auto(), _l("This session has ended; checking in is no longer possible.")
    CHECK_IN_NOT_OPEN = auto(), _l("You can check in from %(time)s.")
    NAME_REQUIRED = auto(), _l("Enter a name.")
    NO_SUCH_GROUP = auto(), _l("There is no group with this number.")
    NOBODY_TO_DIVIDE = auto(), _l("There is nobody to divide yet: nobody is present and nobody said yes.")
    NOT_IN_A_GROUP = auto(), _l("This person is not in a group.")
    NOT_ON_LIST = auto(), _l("This person is not on the list of this session.")
    SESSION_CANCELLED = auto(), _l("The meeting “%(title)s” has been cancelled.")
    UNKNOWN_PRESENCE = auto(), _l("Choose present, absent or excused.")
    DOOR_CLOSED = auto(), _l("Checking in by name is closed for this meeting. Please ask the organiser.")
    DOOR_THROTTLED = (
        auto(),
        lambda p: ngettext(
            "Too many names were typed from this network. Please ask the organiser, or try again in %(num)s minute.",
            "Too many names were typed from this network. Please ask the organiser, or try again in %(num)s minutes.",
            p["minutes"],
        ),
    )
    NO_PENDING_CHECK_IN = auto(), _l("This person has no check-in waiting to be confirmed.")


class AttendanceError(DomainError, codes=AttendanceCode):
    """A refusal by the attendance rules."""
