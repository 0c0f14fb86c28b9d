"""The standard mails an organiser can put in their own words, with their default texts.

The defaults are the words these mails always had, with placeholders where the values went; they
are written in the language asked for (call them inside ``force_locale``), so a default is never
stored and follows every correction of the translations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import LazyString, get_locale, gettext as _, lazy_gettext as _l

from planner.mail.placeholders import PLACEHOLDERS

LANGUAGES = ("nl", "en")


def ph(key: str) -> str:
    """A placeholder as written in the current language, e.g. ``{naam}``."""
    return PLACEHOLDERS[key].written(str(get_locale() or "nl"))


def _hello() -> str:
    return _("Hello %(name)s,", name=ph("name"))


PERSONAL_PAGE = _l("Open your personal page")


@dataclass(frozen=True)
class MailKind:
    key: str  # also the name callers queue it by, e.g. "invitation"
    label: LazyString
    placeholders: tuple[str, ...]
    default_subject: Callable[[], str]
    default_paragraphs: Callable[[], list[str]]
    button_label: LazyString = PERSONAL_PAGE
    link_required: bool = True

    def default_body(self) -> str:
        return "\n\n".join(self.default_paragraphs())


PERSONAL = ("name", "series", "sessions", "link")
EVALUATION_FORM = _l("Fill in the form")

KINDS: dict[str, MailKind] = {
    kind.key: kind
    for kind in (
        MailKind(
            "invitation",
            _l("Invitation"),
            (*PERSONAL, "description"),
            lambda: ph("series"),
            lambda: [
                _hello(),
                _("You are invited to %(title)s.", title=ph("series")),
                ph("description"),
                _("The meetings:"),
                ph("sessions"),
                _("Please tell us for each meeting if you will come. Use your personal link:"),
                ph("link"),
                _("This link is only for you. You do not need an account or password."),
            ],
        ),
        MailKind(
            "reminder",
            _l("Reminder to answer"),
            PERSONAL,
            lambda: ph("series") + ": " + _("will you come?"),
            lambda: [
                _hello(),
                _("We have not heard from you yet. Will you come to these meetings of %(title)s?", title=ph("series")),
                ph("sessions"),
                _("Please answer with your personal link:"),
                ph("link"),
            ],
        ),
        MailKind(
            "session_reminder",
            _l("Reminder before a meeting"),
            PERSONAL,
            lambda: ph("series") + ": " + _("see you soon"),
            lambda: [
                _hello(),
                _("A reminder: soon there is a meeting of %(title)s.", title=ph("series")),
                ph("sessions"),
                _("Can you not come? Please tell us with your personal link:"),
                ph("link"),
            ],
        ),
        MailKind(
            "session_changed",
            _l("Update: a meeting has changed"),
            (*PERSONAL, "changes"),
            lambda: ph("series") + ": " + _("a meeting has changed"),
            lambda: [
                _hello(),
                _("A meeting of %(title)s has changed. What changed:", title=ph("series")),
                ph("changes"),
                _("The meeting now:"),
                ph("sessions"),
                _(
                    "Your calendar is updated with this mail. Can you not come now? "
                    "Please tell us with your personal link:"
                ),
                ph("link"),
            ],
        ),
        MailKind(
            "session_cancelled",
            _l("Cancellation"),
            (*PERSONAL, "reason"),
            lambda: ph("series") + ": " + _("a meeting is cancelled"),
            lambda: [
                _hello(),
                _("This meeting of %(title)s is cancelled:", title=ph("series")),
                ph("sessions"),
                _("Reason") + ": " + ph("reason"),
                _("It is taken out of your calendar with this mail. We are sorry."),
            ],
            link_required=False,
        ),
        MailKind(
            "moved_up",
            _l("Waiting list: you have a place"),
            PERSONAL,
            lambda: ph("series") + ": " + _("you have a place"),
            lambda: [
                _hello(),
                _(
                    "Good news: a place has become free. You are now registered for this meeting of %(title)s:",
                    title=ph("series"),
                ),
                ph("sessions"),
                _(
                    "Can you not come after all? Please tell us with your personal link, "
                    "so someone else can take your place:"
                ),
                ph("link"),
            ],
        ),
        MailKind(
            "evaluation",
            _l("Evaluation"),
            ("name", "series", "when", "link"),
            lambda: ph("series"),
            lambda: [
                _hello(),
                _("Thank you for coming to the meeting of %(when)s.", when=ph("when")),
                _("What did you think of it? Filling in the short form takes about two minutes:"),
                ph("link"),
                _("This link is only for you."),
            ],
            button_label=EVALUATION_FORM,
        ),
        MailKind(
            "evaluation_reminder",
            _l("Evaluation reminder"),
            ("name", "series", "when", "link"),
            lambda: ph("series"),
            lambda: [
                _hello(),
                _("A few days ago we asked what you thought of the meeting of %(when)s.", when=ph("when")),
                _("Do you still have two minutes? Your answers help us a lot:"),
                ph("link"),
                _(
                    "Already filled it in, or would you rather not? Then you can ignore this mail. "
                    "We will not send another one."
                ),
            ],
            button_label=EVALUATION_FORM,
        ),
    )
}
