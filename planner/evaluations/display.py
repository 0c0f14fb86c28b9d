"""A form's questions as the answer page, the paper form and the typing-in page show them.

Worked out here, as plain data, so the templates only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from planner.evaluations.answering import NOT_APPLICABLE, field_name
from planner.evaluations.models import CONDITION_LABELS, Condition, EvaluationForm, EvaluationQuestion, QuestionKind

def face_mouth(position: int, count: int) -> str:
    """The SVG path of a smiley's mouth: a frown for the first face, a smile for the last."""
    bend = -1 + 2 * (position - 1) / (count - 1) if count > 1 else 0
    return f"M7 15.5 Q12 {15.5 + 5 * bend:.1f} 17 15.5"


@dataclass
class Choice:
    value: str
    label: str
    face: str = ""  # the mouth of a smiley face, as an SVG path


@dataclass
class QuestionView:
    question: EvaluationQuestion
    number: int
    name: str
    text: str
    hint: str
    input_type: str  # "radio", "checkbox" or "textarea"
    choices: list[Choice]
    layout: str  # css class: "faces", "scale", "marks", "list"
    condition: str = ""


def _agree() -> list[Choice]:
    return [
        Choice("1", _("Strongly disagree")),
        Choice("2", _("Disagree")),
        Choice("3", _("Neutral")),
        Choice("4", _("Agree")),
        Choice("5", _("Strongly agree")),
        Choice(NOT_APPLICABLE, _("Not applicable")),
    ]


def choices_of(question: EvaluationQuestion, language: str) -> tuple[list[Choice], str]:
    kind = question.kind
    if kind == QuestionKind.SMILEY:
        count = len(question.options)
        return [Choice(str(o.position), o.label(language), face_mouth(o.position, count)) for o in question.options], "faces"
    if kind == QuestionKind.AGREE:
        return _agree(), "scale"
    if kind == QuestionKind.MARK:
        return [Choice(str(n), str(n)) for n in range(11)], "marks"
    if kind == QuestionKind.YES_NO:
        return [Choice("yes", _("Yes")), Choice("no", _("No"))], "list"
    if kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE):
        return [Choice(o.key, o.label(language)) for o in question.options], "list"
    return [], "open"


def questions_view(form: EvaluationForm, language: str) -> list[QuestionView]:
    views = []
    for number, question in enumerate(form.questions, start=1):
        choices, layout = choices_of(question, language)
        input_type = {"open": "textarea"}.get(layout, "checkbox" if question.kind == QuestionKind.MULTIPLE else "radio")
        views.append(QuestionView(
            question=question, number=number, name=field_name(question), text=question.text(language),
            hint=question.hint(language), input_type=input_type, choices=choices, layout=layout,
            condition=str(CONDITION_LABELS[Condition(question.condition)]) if question.condition else "",
        ))
    return views


def kind_labels() -> dict[str, str]:
    return {
        QuestionKind.SMILEY: _("Smileys (3 or 5 faces)"),
        QuestionKind.AGREE: _("Agree scale 1–5, with “not applicable”"),
        QuestionKind.MARK: _("Mark 0–10"),
        QuestionKind.YES_NO: _("Yes / no"),
        QuestionKind.CHOICE: _("Choose one"),
        QuestionKind.MULTIPLE: _("Choose one or more"),
        QuestionKind.OPEN: _("Open answer"),
    }
