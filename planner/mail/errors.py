"""What the mail-text rules refuse, and what each refusal means to the organiser."""

from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

from planner.errors import DomainError, ErrorCode


class MailTextCode(ErrorCode):
    UNKNOWN_PLACEHOLDER = (
        "unknown_placeholder",
        lambda p: _("%(placeholder)s is not a placeholder of this mail. Use one of: %(known)s.", **p),
    )
    STRAY_BRACE = (
        "stray_brace",
        _l("Curly brackets { } are only for placeholders, like {naam}. Remove the bracket that stands alone."),
    )
    BLOCK_NOT_ALONE = (
        "block_not_alone",
        lambda p: _("Put %(placeholder)s on a line of its own, with an empty line above and below.", **p),
    )
    NOT_IN_SUBJECT = "not_in_subject", lambda p: _("%(placeholder)s cannot be used in the subject.", **p)
    SUBJECT_EMPTY = "subject_empty", _l("The subject would be empty. Enter a subject.")
    BODY_EMPTY = "body_empty", _l("The mail would be empty. Enter a text.")
    LINK_REQUIRED = (
        "link_required",
        lambda p: _("This mail needs %(placeholder)s: without the personal link participants cannot answer.", **p),
    )
    TOO_LONG = "too_long", lambda p: _("Keep it under %(limit)s characters.", **p)
    UNKNOWN_KIND = "unknown_kind", _l("There is no such mail.")


class MailTextError(DomainError):
    """A refusal of a mail text: nothing is saved, nothing is queued."""

    codes = MailTextCode
