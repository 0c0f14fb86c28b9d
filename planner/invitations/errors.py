"""What the invitation rules refuse, and what each refusal means to a person."""

from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

from planner.errors import DomainError, ErrorCode


class InvitationCode(ErrorCode):
    INVALID_EMAILS = (
        "invalid_emails",
        lambda p: _("These are not valid e-mail addresses: %(emails)s. Nobody was invited.", **p),
    )
    NAMES_NEEDED = (
        "names_needed",
        lambda p: _("Give these new addresses a name first: %(addresses)s. Nobody was invited.", **p),
    )
    NEWCOMER_REFUSED = (
        "newcomer_refused",
        lambda p: _("%(address)s: %(reason)s Nobody was invited.", **p),
    )
    INVITATION_REVOKED = "invitation_revoked", _l("This invitation has been withdrawn.")
    NO_SESSIONS_CHOSEN = "no_sessions_chosen", _l("Choose at least one session.")
    NOBODY_CHOSEN = (
        "nobody_chosen",
        _l("Choose at least one person, an organisation, a role or enter e-mail addresses."),
    )
    NOT_INVITED_TO_SESSION = "not_invited_to_session", _l("You are not invited to this meeting.")
    SAME_SESSION = "same_session", _l("Choose another session to move to.")
    SERIES_NOT_PUBLISHED = "series_not_published", _l("Publish the series before you invite people.")
    SESSION_CANCELLED = "session_cancelled", lambda p: _("The meeting “%(title)s” has been cancelled.", **p)
    SESSION_NOT_IN_SERIES = "session_not_in_series", _l("This session is not part of this series.")
    SESSION_NOT_OPEN = (
        "session_not_open",
        lambda p: _("“%(title)s” has already started or was cancelled: nobody can be invited to it.", **p),
    )
    SESSION_STARTED = (
        "session_started",
        lambda p: _("The meeting “%(title)s” has already started. You can no longer change your answer.", **p),
    )
    NOBODY_CHOSEN_IN_GRID = "nobody_chosen_in_grid", _l("Tick at least one person in the list.")
    UNKNOWN_INVITATIONS = (
        "unknown_invitations",
        _l("Some of the chosen people are not invited to this series (any more). Nothing was changed."),
    )
    CHOSEN_REVOKED = (
        "chosen_revoked",
        lambda p: _("The invitation to %(name)s has already been withdrawn. Nothing was changed.", **p),
    )
    CHOSEN_NOT_INVITED = (
        "chosen_not_invited",
        lambda p: _("%(name)s is not invited to “%(title)s”. Nothing was changed.", **p),
    )
    NOTHING_TO_REMIND = (
        "nothing_to_remind",
        _l("None of the chosen people has a coming session without an answer: no reminder was sent."),
    )
    SESSION_FULL = (
        "session_full",
        lambda p: _(
            "“%(title)s” has %(free)s free places for %(needed)s people. Nothing was changed. "
            "Tick “also over the maximum” to place them anyway.",
            **p,
        ),
    )
    UNKNOWN_BULK_ACTION = "unknown_bulk_action", _l("Choose what to do with the chosen people.")
    TEXT_TOO_LONG = "text_too_long", _l("The text is too long.")
    UNKNOWN_ANSWER = "unknown_answer", _l("Choose yes, no or maybe.")
    UNKNOWN_ORGANISATION = "unknown_organisation", _l("This organisation no longer exists.")
    UNKNOWN_PERSON = "unknown_person", _l("One of the chosen people no longer exists. Search again.")
    UNKNOWN_ROLE = "unknown_role", lambda p: _("Unknown role: %(role)s.", **p)
    NO_EMAIL = "no_email", lambda p: _("%(name)s has no e-mail address: print a letter instead.", **p)
    MAIL_WITHDRAWN = "mail_withdrawn", lambda p: _("%(name)s does not want to receive mails any more.", **p)
    DELETION_REQUESTED = (
        "deletion_requested",
        lambda p: _("%(name)s asked for their data to be deleted, so we send them no more mails.", **p),
    )
    CODE_THROTTLED = (
        "code_throttled",
        lambda p: _("Too many codes were tried from here. Please try again in %(minutes)s minutes.", **p),
    )
    ANONYMISED_NOT_MAILED = (
        "anonymised_not_mailed",
        _l("The data of this person has been deleted, so we send them no more mails."),
    )


class InvitationError(DomainError):
    """A refusal by the invitation and answer rules."""

    codes = InvitationCode
