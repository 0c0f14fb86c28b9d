"""One class per kind of question, found with ``kind_of(question)`` or ``KINDS[QuestionKind.X]``.

Everything that differs between the kinds lives here, in the class of the kind: what the form
builder asks of it (options? how many?), which values the participant's form offers and accepts,
how it is shown (widget and layout), which cells a summary counts it in and whether they add up
to the people who answered (not when several options may be ticked), how a cell is labelled,
which values count for the mean and median and how it scales to 0–100 for the social-quality
profile, how an answer reads in the download and on a person's own-data page, and what the demo
answers. The shape is that of indico's survey fields, each of which validates its own answers
and summarises them; here the counting itself stays in the few grouped queries of ``counting``,
and a kind only says what a grouped row means.

Nothing outside this module asks which kind a question is: callers ask the kind object.
"""

from __future__ import annotations

from planner.evaluations.kinds.base import Answer, Choice, QuestionKindSpec, ScaleKind
from planner.evaluations.kinds.lists import ChoiceKind, MultipleKind, YesNoKind
from planner.evaluations.kinds.scales import NOT_APPLICABLE, AgreeKind, MarkKind, SmileyKind
from planner.evaluations.kinds.text import MAX_OPEN_ANSWER, OpenKind
from planner.evaluations.models import EvaluationQuestion

__all__ = [
    "FREE_TEXT_KINDS",
    "KINDS",
    "MAX_OPEN_ANSWER",
    "NOT_ADDITIVE_KINDS",
    "NOT_APPLICABLE",
    "Answer",
    "Choice",
    "QuestionKindSpec",
    "ScaleKind",
    "kind_of",
]

KINDS: dict[str, QuestionKindSpec] = {
    spec.kind: spec
    for spec in (SmileyKind(), AgreeKind(), MarkKind(), YesNoKind(), ChoiceKind(), MultipleKind(), OpenKind())
}

# For the queries that pick rows by what a kind is, not by its name.
NOT_ADDITIVE_KINDS = tuple(kind for kind, spec in KINDS.items() if not spec.additive)
FREE_TEXT_KINDS = tuple(kind for kind, spec in KINDS.items() if spec.free_text)


def kind_of(question: EvaluationQuestion | str) -> QuestionKindSpec:
    """The class of a question's kind (or of a kind's name)."""
    return KINDS[question if isinstance(question, str) else question.kind]
