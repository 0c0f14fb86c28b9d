"""A form's questions as the answer page, the paper form, the typing-in page and the builder show them.

Worked out here, as plain data, so the templates only lay it out; what differs per kind of
question (the choices, their labels, the widget) comes from the kind (``kinds``).
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.evaluations.answering import field_name
from planner.evaluations.kinds import Choice, QuestionKindSpec, kind_of
from planner.evaluations.models import EvaluationForm, EvaluationQuestion


@dataclass
class QuestionView:
    question: EvaluationQuestion
    spec: QuestionKindSpec
    number: int
    name: str
    text: str
    hint: str
    choices: list[Choice]
    condition: str = ""

    @property
    def input_type(self) -> str:
        return self.spec.input_type

    @property
    def layout(self) -> str:
        return self.spec.layout


def questions_view(form: EvaluationForm, language: str) -> list[QuestionView]:
    views = []
    for number, question in enumerate(form.questions, start=1):
        spec = kind_of(question)
        views.append(
            QuestionView(
                question=question,
                spec=spec,
                number=number,
                name=field_name(question),
                text=question.text(language),
                hint=question.hint(language),
                choices=spec.choices(question, language),
                condition=str(question.condition.label) if question.condition else "",
            )
        )
    return views
