"""Answers from a list: yes / no, one choice, several choices."""

from __future__ import annotations

from typing import ClassVar

from flask_babel import gettext as _, lazy_gettext as _l

from planner.evaluations.errors import EvaluationError
from planner.evaluations.kinds.base import (
    REQUIRED,
    UNKNOWN_OPTION,
    Answer,
    Choice,
    QuestionKindSpec,
)
from planner.evaluations.models import QuestionKind


class YesNoKind(QuestionKindSpec):
    kind = QuestionKind.YES_NO
    label = _l("Yes / no")
    posted: ClassVar[dict[str, int]] = {"yes": 1, "no": 0}  # posted value → stored value

    def choices(self, question, language):
        return [Choice("yes", _("Yes")), Choice("no", _("No"))]

    def parse(self, question, raw):
        return Answer(question, value=self.posted[raw]) if raw in self.posted else None

    def cell_keys(self, options, seen):
        return [1, 0]

    def cell_label(self, cell, options, language):
        return _("Yes") if cell == 1 else _("No")

    def value_labels(self, options, language):
        return {1: _("Yes"), 0: _("No")}

    def coded(self, answers, options):
        return [answers[0].value if answers else None]

    def answer_text(self, answer, question, language):
        if answer.value is not None:
            return self.cell_label(answer.value, question.options, language)
        return super().answer_text(answer, question, language)

    def demo_answer(self, question, rng, mood, remarks):
        return "yes" if rng.random() < mood else "no"


class ChoiceKind(QuestionKindSpec):
    kind = QuestionKind.CHOICE
    label = _l("Choose one")
    takes_options = True

    def check_option_count(self, count):
        if count < 2:
            raise EvaluationError("choice_needs_options")

    def choices(self, question, language):
        return [Choice(o.key, o.label(language)) for o in question.options]

    def parse(self, question, raw):
        option = next((o for o in question.options if o.key == raw), None)
        return Answer(question, option=option) if option is not None else None

    def cell(self, option_key, value, not_applicable):
        return option_key

    def cell_keys(self, options, seen):
        return [o.key for o in options]

    def cell_label(self, cell, options, language):
        return next(o for o in options if o.key == cell).label(language)

    def export_value(self, answers, language):
        return "; ".join(a.option.label(language) for a in answers if a.option is not None)


class MultipleKind(ChoiceKind):
    """Several options may be ticked: one stored answer per option, so the cells do not add up."""

    kind = QuestionKind.MULTIPLE
    label = _l("Choose one or more")
    input_type = "checkbox"
    additive = False
    summary_hint = _l("People could tick more than one answer.")

    def variables(self, options):
        return [o.key for o in options]

    def value_labels(self, options, language):
        return {1: _("Ticked"), 0: _("Not ticked")}

    def coded(self, answers, options):
        if not answers:
            return [None] * len(options)
        ticked = {a.option.key for a in answers if a.option is not None}
        return [1 if o.key in ticked else 0 for o in options]

    def read(self, question, posted):
        chosen = {value.strip() for value in posted if value and value.strip()}
        if chosen - {o.key for o in question.options}:
            return [], UNKNOWN_OPTION
        answers = [Answer(question, option=o) for o in question.options if o.key in chosen]
        if not answers and question.required:
            return [], REQUIRED
        return answers, None
