"""What the check-in and group rules refuse, and what each refusal means to a person."""

from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l, ngettext

from planner.errors import DomainError, ErrorCode, when


class AttendanceCode(ErrorCode):
    BAD_GROUP_REQUEST = (
        "bad_group_request",
        lambda p: _("Enter a number of groups or a group size from 1 to %(maximum)s.", **p),
    )
    CHECK_IN_CLOSED = "check_in_closed", _l("This session has ended; checking in is no longer possible.")
    CHECK_IN_NOT_OPEN = "check_in_not_open", lambda p: _("You can check in from %(time)s.", **when(p))
    NAME_REQUIRED = "name_required", _l("Enter a name.")
    NO_SUCH_GROUP = "no_such_group", _l("There is no group with this number.")
    NOBODY_TO_DIVIDE = (
        "nobody_to_divide",
        _l("There is nobody to divide yet: nobody is present and nobody said yes."),
    )
    NOT_IN_A_GROUP = "not_in_a_group", _l("This person is not in a group.")
    NOT_ON_LIST = "not_on_list", _l("This person is not on the list of this session.")
    SESSION_CANCELLED = "session_cancelled", lambda p: _("The meeting “%(title)s” has been cancelled.", **p)
    UNKNOWN_PRESENCE = "unknown_presence", _l("Choose present, absent or excused.")
    DOOR_CLOSED = "door_closed", _l("Checking in by name is closed for this meeting. Please ask the organiser.")
    DOOR_THROTTLED = (
        "door_throttled",
        lambda p: ngettext(
            "Too many names were typed from this network. Please ask the organiser, or try again in %(num)s minute.",
            "Too many names were typed from this network. Please ask the organiser, or try again in %(num)s minutes.",
            p["minutes"],
        ),
    )
    NO_PENDING_CHECK_IN = "no_pending_check_in", _l("This person has no check-in waiting to be confirmed.")


class AttendanceError(DomainError):
    """A refusal by the attendance rules."""

    codes = AttendanceCode
