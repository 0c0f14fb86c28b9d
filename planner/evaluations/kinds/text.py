"""The open question: typed text, moderated before anyone reads it, never counted in cells."""

from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

from planner.evaluations.kinds.base import TOO_LONG, Answer, QuestionKindSpec, first_value
from planner.evaluations.models import Moderation, QuestionKind

MAX_OPEN_ANSWER = 2000


class OpenKind(QuestionKindSpec):
    kind = QuestionKind.OPEN
    label = _l("Open answer")
    input_type = "textarea"
    layout = "open"
    free_text = True

    def parse(self, question, raw):
        return Answer(question, text=raw)

    def read(self, question, posted):
        raw = first_value(posted)
        if len(raw) > MAX_OPEN_ANSWER:
            return [], TOO_LONG
        return super().read(question, [raw])

    def cell(self, option_key, value, not_applicable):
        return None  # read, not counted

    def export_value(self, answers, language):
        shown = [a.shown_text for a in answers if a.moderation == Moderation.APPROVED]
        return " / ".join(shown) if shown else _("(not shown: not approved)")

    def value_labels(self, options, language):
        return None

    def coded(self, answers, options):
        shown = [a.shown_text for a in answers if a.moderation == Moderation.APPROVED]
        return [" / ".join(shown) if shown else ""]

    def demo_answer(self, question, rng, mood, remarks):
        return rng.choice(remarks) if rng.random() < 0.35 else None
