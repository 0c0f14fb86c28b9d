"""What the evaluation rules refuse (forms, answering, moderation), and what each means to a person."""

from __future__ import annotations

from enum import auto

from flask_babel import lazy_gettext as _l

from planner.errors import DomainError, ErrorCode


class EvaluationCode(ErrorCode):
    BUILTIN_FORM_READ_ONLY = auto(), _l("A built-in form cannot be changed. Make a copy and change the copy.")
    CHOICE_NEEDS_OPTIONS = auto(), _l("A choice question needs at least 2 options, one per line.")
    DELAY_OUT_OF_RANGE = auto(), _l("The waiting time is from 0 to %(maximum)s hours.")
    DUPLICATE_OPTION = auto(), _l("The same option is entered twice.")
    ENGLISH_OPTIONS_COUNT = (
        auto(),
        _l("Enter as many English labels as Dutch ones (%(count)s), or leave the English labels empty."),
    )
    FORM_CHANGED_MEANWHILE = auto(), _l("Someone changed this form at the same moment. Please try again.")
    EVALUATION_NOT_SENDABLE = (
        auto(),
        _l("The evaluation of “%(title)s” can be sent from its end until two weeks after, in a published series."),
    )
    FORM_SUPERSEDED = auto(), _l("There is a newer version of this form. Change that one.")
    FORM_TITLE_REQUIRED = auto(), _l("Enter a title for the form.")
    NOBODY_TO_EVALUATE = (
        auto(),
        _l("Nobody at “%(title)s” is left to ask: all present were asked, or nobody is marked present."),
    )
    PAIR_INCOMPLETE = auto(), _l("A before / now pair needs both a pair name and a moment (before or now).")
    QUESTION_TEXT_REQUIRED = auto(), _l("Enter the question in Dutch.")
    SESSION_HAS_RESPONSES = auto(), _l("“%(title)s” already has answers, so its form can no longer be changed.")
    SESSION_NOT_IN_SERIES = auto(), _l("This session is not part of this series.")
    SMILEY_LABELS = (
        auto(),
        _l("A smiley scale has 3 or 5 faces: enter 3 or 5 labels, one per line, saddest first. You entered %(count)s."),
    )
    TOO_LONG = auto(), _l("%(field)s is too long: at most %(maximum)s characters.")
    TOO_MANY_OPTIONS = auto(), _l("At most %(maximum)s options.")
    UNKNOWN_CONDITION = auto(), _l("Choose one of the four conditions, or none.")
    UNKNOWN_FORM = auto(), _l("Choose one of the forms of this learning studio.")
    UNKNOWN_PURPOSE = auto(), _l("Choose what the form is for.")
    UNKNOWN_QUESTION = auto(), _l("This question is no longer on the form.")
    UNKNOWN_QUESTION_KIND = auto(), _l("Choose a type of question.")
    QUOTE_NOT_APPROVED = auto(), _l("Only approved answers can be starred.")
    REDACTION_REQUIRED = auto(), _l("Enter the text as it may be shown, with the name taken out.")
    REDACTION_TOO_LONG = auto(), _l("The text can be at most %(maximum)s characters.")
    UNKNOWN_MODERATION = auto(), _l("Choose approve, hide or redact.")
    ALREADY_ANSWERED = auto(), _l("This form has already been filled in. Thank you!")
    ANSWER_REQUIRED = auto(), _l("Please answer this question.")
    ANSWER_UNKNOWN_OPTION = auto(), _l("Choose one of the answers.")
    ANSWER_TOO_LONG = auto(), _l("Your answer is too long: at most 2000 characters.")
    NOT_PRESENT = auto(), _l("This person was not marked present at this session.")


class EvaluationError(DomainError, codes=EvaluationCode):
    """A refusal by the evaluation rules."""


class ModerationError(DomainError, codes=EvaluationCode):
    """A refusal by the moderation of open answers."""
