"""What the invitation rules refuse, and what each refusal means to a person."""

from __future__ import annotations

from enum import auto

from flask_babel import lazy_gettext as _l

from planner.errors import DomainError, ErrorCode


class InvitationCode(ErrorCode):
    INVALID_EMAILS = auto(), _l("These are not valid e-mail addresses: %(emails)s. Nobody was invited.")
    NAMES_NEEDED = auto(), _l("Give these new addresses a name first: %(addresses)s. Nobody was invited.")
    NEWCOMER_REFUSED = auto(), _l("%(address)s: %(reason)s Nobody was invited.")
    INVITATION_REVOKED = auto(), _l("This invitation has been withdrawn.")
    NO_SESSIONS_CHOSEN = auto(), _l("Choose at least one session.")
    NOBODY_CHOSEN = auto(), _l("Choose at least one person, an organisation, a role or enter e-mail addresses.")
    NOT_INVITED_TO_SESSION = auto(), _l("You are not invited to this meeting.")
    SAME_SESSION = auto(), _l("Choose another session to move to.")
    SERIES_NOT_PUBLISHED = auto(), _l("Publish the series before you invite people.")
    SESSION_CANCELLED = auto(), _l("The meeting “%(title)s” has been cancelled.")
    SESSION_NOT_IN_SERIES = auto(), _l("This session is not part of this series.")
    SESSION_NOT_OPEN = auto(), _l("“%(title)s” has already started or was cancelled: nobody can be invited to it.")
    SESSION_STARTED = auto(), _l("The meeting “%(title)s” has already started. You can no longer change your answer.")
    NOBODY_CHOSEN_IN_GRID = auto(), _l("Tick at least one person in the list.")
    UNKNOWN_INVITATIONS = (
        auto(),
        _l("Some of the chosen people are not invited to this series (any more). Nothing was changed."),
    )
    CHOSEN_REVOKED = auto(), _l("The invitation to %(name)s has already been withdrawn. Nothing was changed.")
    CHOSEN_NOT_INVITED = auto(), _l("%(name)s is not invited to “%(title)s”. Nothing was changed.")
    NOTHING_TO_REMIND = (
        auto(),
        _l("None of the chosen people has a coming session without an answer: no reminder was sent."),
    )
    SESSION_FULL = (
        auto(),
        _l(
            "“%(title)s” has %(free)s free places for %(needed)s people. Nothing was changed. "
            "Tick “also over the maximum” to place them anyway."
        ),
    )
    UNKNOWN_BULK_ACTION = auto(), _l("Choose what to do with the chosen people.")
    TEXT_TOO_LONG = auto(), _l("The text is too long.")
    UNKNOWN_ANSWER = auto(), _l("Choose yes, no or maybe.")
    UNKNOWN_ORGANISATION = auto(), _l("This organisation no longer exists.")
    UNKNOWN_PERSON = auto(), _l("One of the chosen people no longer exists. Search again.")
    UNKNOWN_ROLE = auto(), _l("Unknown role: %(role)s.")
    NO_EMAIL = auto(), _l("%(name)s has no e-mail address: print a letter instead.")
    MAIL_WITHDRAWN = auto(), _l("%(name)s does not want to receive mails any more.")
    DELETION_REQUESTED = auto(), _l("%(name)s asked for their data to be deleted, so we send them no more mails.")
    CODE_THROTTLED = auto(), _l("Too many codes were tried from here. Please try again in %(minutes)s minutes.")
    ANONYMISED_NOT_MAILED = auto(), _l("The data of this person has been deleted, so we send them no more mails.")


class InvitationError(DomainError, codes=InvitationCode):
    """A refusal by the invitation and answer rules."""
