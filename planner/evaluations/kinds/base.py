"""The base classes of the kinds of question, and what the kinds share."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from planner.evaluations.errors import EvaluationError
from planner.evaluations.models import EvaluationAnswer, EvaluationOption, EvaluationQuestion, QuestionKind

MAX_OPTIONS = 20
MAX_OPTION_LENGTH = 200

# The problems a posted answer can have (their messages are EvaluationCode members, planner/evaluations/errors.py).
REQUIRED = "answer_required"
UNKNOWN_OPTION = "answer_unknown_option"
TOO_LONG = "answer_too_long"

Options = Sequence[EvaluationOption]


@dataclass
class Answer:
    """One answer read from a form, before it is stored (one per option ticked)."""

    question: EvaluationQuestion
    value: int | None = None
    option: EvaluationOption | None = None
    not_applicable: bool = False
    text: str | None = None


@dataclass
class Choice:
    """One answer the participant's form offers: the value it posts and the label it shows."""

    value: str
    label: str
    face: str = ""  # the mouth of a smiley face, as an SVG path


def whole_number(raw: str, allowed: range) -> int | None:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if value in allowed else None


def first_value(posted: list[str]) -> str:
    """The one value a single-answer question posts, without surrounding spaces."""
    return ((posted[0] if posted else "") or "").strip()


def _lines(lines) -> list[str]:
    return [line.strip() for line in lines if line and line.strip()]


class QuestionKindSpec:
    """What every kind answers; the defaults fit a question with one answer from a list."""

    kind: QuestionKind
    label: str  # in the form builder's list of kinds (a lazy text)
    takes_options = False  # the organiser enters the options (or the smiley labels)
    input_type = "radio"  # on the participant's form: "radio", "checkbox" or "textarea"
    layout = "list"  # css class of the choices: "faces", "scale", "marks", "list", "open"
    lists_choices = True  # the form builder lists the choices under the question
    scale = False  # has a mean and median, a trend across sessions, a social-quality score
    additive = True  # the cells add up to the people who answered
    free_text = False  # typed text: moderated and read as quotes, not counted in cells
    summary_hint = None  # shown under the question's chart

    # --- The form builder.

    def clean_options(self, labels_nl: list[str], labels_en: list[str]) -> tuple[list[str], list[str]]:
        """The options an organiser entered (one per line), cleaned and checked; raises an EvaluationError."""
        if not self.takes_options:
            return [], []
        labels_nl, labels_en = _lines(labels_nl), _lines(labels_en)
        self.check_option_count(len(labels_nl))
        if len(labels_nl) > MAX_OPTIONS:
            raise EvaluationError("too_many_options", maximum=MAX_OPTIONS)
        if labels_en and len(labels_en) != len(labels_nl):
            raise EvaluationError("english_options_count", count=len(labels_nl))
        if len({o.casefold() for o in labels_nl}) != len(labels_nl):
            raise EvaluationError("duplicate_option")
        if any(len(o) > MAX_OPTION_LENGTH for o in labels_nl + labels_en):
            raise EvaluationError("too_long", field="option", maximum=MAX_OPTION_LENGTH)
        return labels_nl, labels_en

    def check_option_count(self, count: int) -> None:
        """Raises an EvaluationError when a question of this kind cannot have this many options."""

    # --- The participant's form.

    def choices(self, question: EvaluationQuestion, language: str) -> list[Choice]:
        return []

    def read(self, question: EvaluationQuestion, posted: list[str]) -> tuple[list[Answer], str | None]:
        """The answers in the posted values of this question, or the problem's code."""
        raw = first_value(posted)
        if not raw:
            return [], (REQUIRED if question.required else None)
        answer = self.parse(question, raw)
        return ([answer], None) if answer is not None else ([], UNKNOWN_OPTION)

    def parse(self, question: EvaluationQuestion, raw: str) -> Answer | None:
        """One posted value as an answer; None when it is not one of the answers."""
        return None

    # --- Summaries: what a grouped answer row counts as, and the cells in reading order.

    def cell(self, option_key: str | None, value: int | None, not_applicable: bool):
        """The cell an answer row counts in (value: its value, or its option's position)."""
        return value

    def cell_keys(self, options: Options, seen: set) -> list:
        return []

    def cell_label(self, cell, options: Options, language: str) -> str:
        return str(cell)

    # --- Downloads and a person's own data.

    def export_value(self, answers: list[EvaluationAnswer], language: str):
        """One response's answers to this question, as one spreadsheet cell."""
        return answers[0].value

    def answer_text(self, answer: EvaluationAnswer, question: EvaluationQuestion, language: str) -> str:
        """One stored answer as the person who gave it reads it."""
        if answer.option is not None:
            return answer.option.label(language)
        if answer.value is not None:
            return str(answer.value)
        return answer.text or ""

    # --- Research downloads (SPSS, Stata): coded numbers with value labels.

    def variables(self, options: Options) -> list[str | None]:
        """The suffix of each variable one question becomes (None: just one, named after the question)."""
        return [None]

    def value_labels(self, options: Options, language: str) -> dict | None:
        """Code → label of this kind's coded answers; None: the numbers say themselves (or text)."""
        return {n: o.label(language) for n, o in enumerate(options, start=1)}

    def coded(self, answers: list[EvaluationAnswer], options: Options) -> list:
        """One response's answers, one value per variable (None: not answered)."""
        keys = [o.key for o in options]
        answer = answers[0] if answers else None
        if answer is None or answer.option is None or answer.option.key not in keys:
            return [None]
        return [keys.index(answer.option.key) + 1]

    # --- The demo.

    def demo_answer(
        self, question: EvaluationQuestion, rng: random.Random, mood: float, remarks: Sequence[str]
    ) -> str | None:
        """A plausible posted value: scales lean to ``mood`` (0 = low, 1 = high); None: left empty."""
        return None


class ScaleKind(QuestionKindSpec):
    """A scale: numbers with a mean and median, scaled to 0–100 for the social-quality profile."""

    scale = True

    def scale_range(self, options: Options) -> tuple[int, int]:
        raise NotImplementedError

    def statistic_values(self, table: dict) -> dict[int, int]:
        """The cells that count for the mean and median (numbers: never "not applicable")."""
        return {v: n for v, n in table.items() if isinstance(v, int)}

    def scaled(self, mean: float, options: Options) -> float:
        low, high = self.scale_range(options)
        return (mean - low) / (high - low) * 100
