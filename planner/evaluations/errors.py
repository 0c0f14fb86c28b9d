"""What the evaluation rules refuse (forms, answering, moderation), and what each means to a person."""

from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

from planner.errors import DomainError, ErrorCode


class EvaluationCode(ErrorCode):
    BUILTIN_FORM_READ_ONLY = (
        "builtin_form_read_only",
        _l("A built-in form cannot be changed. Make a copy and change the copy."),
    )
    CHOICE_NEEDS_OPTIONS = (
        "choice_needs_options",
        _l("A choice question needs at least 2 options, one per line."),
    )
    DELAY_OUT_OF_RANGE = "delay_out_of_range", lambda p: _("The waiting time is from 0 to %(maximum)s hours.", **p)
    DUPLICATE_OPTION = "duplicate_option", _l("The same option is entered twice.")
    ENGLISH_OPTIONS_COUNT = (
        "english_options_count",
        lambda p: _("Enter as many English labels as Dutch ones (%(count)s), or leave the English labels empty.", **p),
    )
    FORM_CHANGED_MEANWHILE = (
        "form_changed_meanwhile",
        _l("Someone changed this form at the same moment. Please try again."),
    )
    EVALUATION_NOT_SENDABLE = (
        "evaluation_not_sendable",
        lambda p: _(
            "The evaluation of “%(title)s” can be sent from its end until two weeks after, in a published series.", **p
        ),
    )
    FORM_SUPERSEDED = "form_superseded", _l("There is a newer version of this form. Change that one.")
    FORM_TITLE_REQUIRED = "form_title_required", _l("Enter a title for the form.")
    NOBODY_TO_EVALUATE = (
        "nobody_to_evaluate",
        lambda p: _(
            "Nobody at “%(title)s” is left to ask: all present were asked, or nobody is marked present.",
            **p,
        ),
    )
    PAIR_INCOMPLETE = (
        "pair_incomplete",
        _l("A before / now pair needs both a pair name and a moment (before or now)."),
    )
    QUESTION_TEXT_REQUIRED = "question_text_required", _l("Enter the question in Dutch.")
    SESSION_HAS_RESPONSES = (
        "session_has_responses",
        lambda p: _("“%(title)s” already has answers, so its form can no longer be changed.", **p),
    )
    SESSION_NOT_IN_SERIES = "session_not_in_series", _l("This session is not part of this series.")
    SMILEY_LABELS = (
        "smiley_labels",
        lambda p: _(
            "A smiley scale has 3 or 5 faces: enter 3 or 5 labels, one per line, saddest first. You entered %(count)s.",
            **p,
        ),
    )
    TOO_LONG = "too_long", lambda p: _("%(field)s is too long: at most %(maximum)s characters.", **p)
    TOO_MANY_OPTIONS = "too_many_options", lambda p: _("At most %(maximum)s options.", **p)
    UNKNOWN_CONDITION = "unknown_condition", _l("Choose one of the four conditions, or none.")
    UNKNOWN_FORM = "unknown_form", _l("Choose one of the forms of this learning studio.")
    UNKNOWN_PURPOSE = "unknown_purpose", _l("Choose what the form is for.")
    UNKNOWN_QUESTION = "unknown_question", _l("This question is no longer on the form.")
    UNKNOWN_QUESTION_KIND = "unknown_question_kind", _l("Choose a type of question.")
    QUOTE_NOT_APPROVED = "quote_not_approved", _l("Only approved answers can be starred.")
    REDACTION_REQUIRED = (
        "redaction_required",
        _l("Enter the text as it may be shown, with the name taken out."),
    )
    REDACTION_TOO_LONG = "redaction_too_long", lambda p: _("The text can be at most %(maximum)s characters.", **p)
    UNKNOWN_MODERATION = "unknown_moderation", _l("Choose approve, hide or redact.")
    ALREADY_ANSWERED = "already_answered", _l("This form has already been filled in. Thank you!")
    ANSWER_REQUIRED = "answer_required", _l("Please answer this question.")
    ANSWER_UNKNOWN_OPTION = "answer_unknown_option", _l("Choose one of the answers.")
    ANSWER_TOO_LONG = "answer_too_long", _l("Your answer is too long: at most 2000 characters.")
    NOT_PRESENT = "not_present", _l("This person was not marked present at this session.")


class EvaluationError(DomainError):
    """A refusal by the evaluation rules."""

    codes = EvaluationCode


class ModerationError(DomainError):
    """A refusal by the moderation of open answers."""

    codes = EvaluationCode
