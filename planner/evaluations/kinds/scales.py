"""The scales: smileys, agree 1–5 (with "not applicable") and the mark 0–10."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from planner.evaluations.errors import EvaluationError
from planner.evaluations.kinds.base import Answer, Choice, ScaleKind, whole_number
from planner.evaluations.models import Moment, QuestionKind

# An agree question's "not applicable": the value the form posts and the summary's cell. It is
# stored as ``EvaluationAnswer.not_applicable``, never as this text.
NOT_APPLICABLE = "na"
NOT_APPLICABLE_CODE = 9  # in the SPSS and Stata downloads (marked missing in SPSS)
SMILEY_SIZES = (3, 5)
AGREE_LABELS = (_l("Strongly disagree"), _l("Disagree"), _l("Neutral"), _l("Agree"), _l("Strongly agree"))
NOT_APPLICABLE_LABEL = _l("Not applicable")


def face_mouth(position: int, count: int) -> str:
    """The SVG path of a smiley's mouth: a frown for the first face, a smile for the last."""
    bend = -1 + 2 * (position - 1) / (count - 1) if count > 1 else 0
    return f"M7 15.5 Q12 {15.5 + 5 * bend:.1f} 17 15.5"


class SmileyKind(ScaleKind):
    kind = QuestionKind.SMILEY
    label = _l("Smileys (3 or 5 faces)")
    takes_options = True
    layout = "faces"

    def check_option_count(self, count):
        if count not in SMILEY_SIZES:
            raise EvaluationError("smiley_labels", count=count)

    def choices(self, question, language):
        count = len(question.options)
        return [Choice(str(o.position), o.label(language), face_mouth(o.position, count)) for o in question.options]

    def parse(self, question, raw):
        option = next((o for o in question.options if str(o.position) == raw), None)
        return Answer(question, value=option.position, option=option) if option is not None else None

    def scale_range(self, options):
        return 1, max(len(options), 2)

    def cell_keys(self, options, seen):
        low, high = self.scale_range(options)
        # A face an older version had (e.g. five faces, now three) keeps its cell, after the others.
        older = sorted(v for v in seen if isinstance(v, int) and not low <= v <= high)
        return list(range(low, high + 1)) + older

    def cell_label(self, cell, options, language):
        option = next((o for o in options if o.position == cell), None)
        return f"{cell} · {option.label(language)}" if option is not None else str(cell)

    def export_value(self, answers, language):
        answer = answers[0]
        if answer.value is not None:
            return answer.value
        return answer.option.position if answer.option is not None else ""

    def value_labels(self, options, language):
        return {o.position: o.label(language) for o in options}

    def coded(self, answers, options):
        return [self.export_value(answers, "nl") if answers else None]

    def answer_text(self, answer, question, language):
        if answer.option is None and answer.value is not None:
            face = next((o for o in question.options if o.position == answer.value), None)
            if face is not None:
                return face.label(language)
        return super().answer_text(answer, question, language)

    def demo_answer(self, question, rng, mood, remarks):
        top = len(question.options)
        return str(min(top, max(1, round(1 + (top - 1) * mood + rng.uniform(-1.2, 1.2)))))


class AgreeKind(ScaleKind):
    kind = QuestionKind.AGREE
    label = _l("Agree scale 1–5, with “not applicable”")
    layout = "scale"
    summary_hint = _l("The mean and median leave out “not applicable”.")
    values = range(1, 6)

    def choices(self, question, language):
        scale = [Choice(str(value), str(label)) for value, label in zip(self.values, AGREE_LABELS, strict=True)]
        return [*scale, Choice(NOT_APPLICABLE, str(NOT_APPLICABLE_LABEL))]

    def parse(self, question, raw):
        if raw == NOT_APPLICABLE:
            return Answer(question, not_applicable=True)
        value = whole_number(raw, self.values)
        return Answer(question, value=value) if value is not None else None

    def scale_range(self, options):
        return self.values[0], self.values[-1]

    def cell(self, option_key, value, not_applicable):
        return NOT_APPLICABLE if not_applicable else value

    def cell_keys(self, options, seen):
        return [*self.values, NOT_APPLICABLE]

    def cell_label(self, cell, options, language):
        if cell == NOT_APPLICABLE:
            return str(NOT_APPLICABLE_LABEL)
        if cell in self.values:
            return f"{cell} · {AGREE_LABELS[cell - 1]}"
        return str(cell)

    def value_labels(self, options, language):
        labels = {value: str(label) for value, label in zip(self.values, AGREE_LABELS, strict=True)}
        return {**labels, NOT_APPLICABLE_CODE: str(NOT_APPLICABLE_LABEL)}

    def coded(self, answers, options):
        if not answers:
            return [None]
        return [NOT_APPLICABLE_CODE if answers[0].not_applicable else answers[0].value]

    def export_value(self, answers, language):
        if answers[0].not_applicable:
            return str(NOT_APPLICABLE_LABEL)
        return answers[0].value

    def answer_text(self, answer, question, language):
        if answer.not_applicable:
            return str(NOT_APPLICABLE_LABEL)
        return super().answer_text(answer, question, language)

    def demo_answer(self, question, rng, mood, remarks):
        level = mood - (0.35 if question.moment == Moment.BEFORE else 0)
        if rng.random() < 0.05:
            return NOT_APPLICABLE
        return str(min(5, max(1, round(1 + 4 * level + rng.uniform(-1, 1)))))


class MarkKind(ScaleKind):
    kind = QuestionKind.MARK
    label = _l("Mark 0–10")
    layout = "marks"
    lists_choices = False  # 0 to 10 says itself
    values = range(11)

    def choices(self, question, language):
        return [Choice(str(n), str(n)) for n in self.values]

    def parse(self, question, raw):
        value = whole_number(raw, self.values)
        return Answer(question, value=value) if value is not None else None

    def scale_range(self, options):
        return self.values[0], self.values[-1]

    def cell_keys(self, options, seen):
        return list(self.values)

    def value_labels(self, options, language):
        return None

    def coded(self, answers, options):
        return [answers[0].value if answers else None]

    def demo_answer(self, question, rng, mood, remarks):
        return str(min(10, max(0, round(5 + 4.5 * mood + rng.uniform(-1.5, 1.5)))))
