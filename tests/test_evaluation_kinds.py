"""Each kind of question, in its class: built, read, shown, labelled, counted, scaled, exported, demoed.

And a check that nothing outside the registry (``planner/evaluations/kinds/``) asks which kind a
question is, so a new kind or a changed rule is written in one place.
"""

from __future__ import annotations

import ast
import random
import re
from pathlib import Path

import pytest
from flask_babel import force_locale

from planner.errors import DomainError
from planner.evaluations.answering import read_answers
from planner.evaluations.kinds import (
    FREE_TEXT_KINDS,
    KINDS,
    MAX_OPEN_ANSWER,
    NOT_ADDITIVE_KINDS,
    NOT_APPLICABLE,
    kind_of,
)
from planner.evaluations.models import (
    EvaluationAnswer,
    EvaluationForm,
    EvaluationOption,
    EvaluationQuestion,
    Moderation,
    QuestionKind,
)
from planner.evaluations.questions import QuestionSpec, validate_question

PLANNER = Path(__file__).resolve().parent.parent / "planner"
REGISTRY = PLANNER / "evaluations" / "kinds"

FIVE_FACES = [
    ("Heel slecht", "Very bad"),
    ("Slecht", "Bad"),
    ("Gaat wel", "Okay"),
    ("Goed", "Good"),
    ("Heel goed", "Very good"),
]
THREE_FACES = [("Niet leuk", "Not nice"), ("Gewoon", "Okay"), ("Leuk", "Nice")]
OPTIONS = [("Fiets", "Bike"), ("Bus", ""), ("Lopen", "Walking")]


def make_question(kind: str, *, options=(), required: bool = False, question_id: int = 1, moment=None):
    return EvaluationQuestion(
        id=question_id,
        key=f"k{question_id}",
        position=question_id,
        kind=kind,
        text_nl="Vraag",
        required=required,
        moment=moment,
        options=[
            EvaluationOption(position=n, key=f"o{n}", label_nl=nl, label_en=en)
            for n, (nl, en) in enumerate(options, start=1)
        ],
    )


@pytest.fixture
def in_language(app):
    """Run the rest of the test in a request, in the given language."""

    def speak(language: str):
        return force_locale(language)

    with app.test_request_context("/"):
        yield speak


# --- The registry itself.


def test_every_kind_has_one_class_in_the_order_organisers_see_them():
    assert list(KINDS) == list(QuestionKind)
    for kind, spec in KINDS.items():
        assert spec.kind == kind, f"{type(spec).__name__} is registered as {kind}"
        assert kind_of(make_question(kind)) is spec
        assert kind_of(str(kind)) is spec
    assert len({type(spec) for spec in KINDS.values()}) == len(QuestionKind), "one class per kind"


def test_what_the_kinds_are_is_said_once():
    scales = {QuestionKind.SMILEY, QuestionKind.AGREE, QuestionKind.MARK}
    assert {k for k, s in KINDS.items() if s.scale} == scales
    assert NOT_ADDITIVE_KINDS == (QuestionKind.MULTIPLE,), "only ticking several options breaks the sums"
    assert FREE_TEXT_KINDS == (QuestionKind.OPEN,)
    assert {k for k, s in KINDS.items() if s.takes_options} == {
        QuestionKind.SMILEY,
        QuestionKind.CHOICE,
        QuestionKind.MULTIPLE,
    }
    assert {k: s.input_type for k, s in KINDS.items() if s.input_type != "radio"} == {
        QuestionKind.MULTIPLE: "checkbox",
        QuestionKind.OPEN: "textarea",
    }


# --- The form builder.


@pytest.mark.parametrize(
    ("kind", "labels", "problem"),
    [
        (QuestionKind.SMILEY, ["a", "b", "c"], None),
        (QuestionKind.SMILEY, ["a", "b", "c", "d", "e"], None),
        (QuestionKind.SMILEY, ["a", "b", "c", "d"], ("smiley_labels", {"count": 4})),
        (QuestionKind.SMILEY, ["a", "b"], ("smiley_labels", {"count": 2})),
        (QuestionKind.SMILEY, [], ("smiley_labels", {"count": 0})),
        (QuestionKind.CHOICE, ["Alleen deze"], ("choice_needs_options", {})),
        (QuestionKind.MULTIPLE, ["a", "b"], None),
        (QuestionKind.CHOICE, [f"optie {n}" for n in range(21)], ("too_many_options", {"maximum": 20})),
        (QuestionKind.MULTIPLE, ["Fiets", "fiets "], ("duplicate_option", {})),
        (QuestionKind.CHOICE, ["a", "x" * 201], ("too_long", {"field": "option", "maximum": 200})),
    ],
)
def test_the_builder_asks_each_kind_for_its_options(kind, labels, problem):
    spec = QuestionSpec(kind, "Vraag?", options_nl=labels)
    if problem is None:
        assert validate_question(spec).options_nl == labels
        return
    with pytest.raises(DomainError) as raised:
        validate_question(spec)
    assert (raised.value.code, raised.value.params) == problem


def test_options_are_cleaned_and_the_english_ones_must_match():
    spec = validate_question(
        QuestionSpec(QuestionKind.CHOICE, "Vraag?", options_nl=[" Fiets ", "", "Bus"], options_en=["Bike", " ", "Bus"])
    )
    assert (spec.options_nl, spec.options_en) == (["Fiets", "Bus"], ["Bike", "Bus"])
    with pytest.raises(DomainError) as raised:
        validate_question(QuestionSpec(QuestionKind.SMILEY, "Vraag?", options_nl=["a", "b", "c"], options_en=["a"]))
    assert raised.value.code == "english_options_count"
    assert raised.value.params == {"count": 3}


@pytest.mark.parametrize(
    "kind",
    [
        QuestionKind.AGREE,
        QuestionKind.MARK,
        QuestionKind.YES_NO,
        QuestionKind.OPEN,
    ],
)
def test_kinds_without_options_drop_what_was_typed_in_the_options_box(kind):
    spec = validate_question(QuestionSpec(kind, "Vraag?", options_nl=["a", "b"], options_en=["c"]))
    assert (spec.options_nl, spec.options_en) == ([], [])


def test_an_unknown_kind_is_refused():
    with pytest.raises(DomainError) as raised:
        validate_question(QuestionSpec("slider", "Vraag?"))
    assert raised.value.code == "unknown_question_kind"


# --- Reading a posted form.


def _read(question, *posted):
    answers, problem = kind_of(question).read(question, list(posted))
    shown = [(a.value, a.option.label_nl if a.option else None, a.not_applicable, a.text) for a in answers]
    return shown, problem


@pytest.mark.parametrize(
    ("kind", "options", "posted", "expected"),
    [
        (QuestionKind.SMILEY, FIVE_FACES, ["4"], [(4, "Goed", False, None)]),
        (QuestionKind.SMILEY, FIVE_FACES, ["6"], "answer_unknown_option"),
        (QuestionKind.SMILEY, THREE_FACES, ["3"], [(3, "Leuk", False, None)]),
        (QuestionKind.SMILEY, THREE_FACES, ["4"], "answer_unknown_option"),
        (QuestionKind.AGREE, (), [NOT_APPLICABLE], [(None, None, True, None)]),
        (QuestionKind.AGREE, (), [" 5 "], [(5, None, False, None)]),
        (QuestionKind.AGREE, (), ["0"], "answer_unknown_option"),
        (QuestionKind.AGREE, (), ["6"], "answer_unknown_option"),
        (QuestionKind.AGREE, (), ["n/a"], "answer_unknown_option"),
        (QuestionKind.MARK, (), ["0"], [(0, None, False, None)]),
        (QuestionKind.MARK, (), ["10"], [(10, None, False, None)]),
        (QuestionKind.MARK, (), ["11"], "answer_unknown_option"),
        (QuestionKind.MARK, (), ["-1"], "answer_unknown_option"),
        (QuestionKind.MARK, (), ["7.5"], "answer_unknown_option"),
        (QuestionKind.MARK, (), [NOT_APPLICABLE], "answer_unknown_option"),
        (QuestionKind.YES_NO, (), ["yes"], [(1, None, False, None)]),
        (QuestionKind.YES_NO, (), ["no"], [(0, None, False, None)]),
        (QuestionKind.YES_NO, (), ["ja"], "answer_unknown_option"),
        (QuestionKind.CHOICE, OPTIONS, ["o2"], [(None, "Bus", False, None)]),
        (QuestionKind.CHOICE, OPTIONS, ["Bus"], "answer_unknown_option"),
        (QuestionKind.MULTIPLE, OPTIONS, ["o3", "o1"], [(None, "Fiets", False, None), (None, "Lopen", False, None)]),
        (QuestionKind.MULTIPLE, OPTIONS, ["o1", "o9"], "answer_unknown_option"),
        (QuestionKind.OPEN, (), ["  De casus  "], [(None, None, False, "De casus")]),
        (QuestionKind.OPEN, (), ["x" * MAX_OPEN_ANSWER], [(None, None, False, "x" * MAX_OPEN_ANSWER)]),
        (QuestionKind.OPEN, (), ["x" * (MAX_OPEN_ANSWER + 1)], "answer_too_long"),
    ],
)
def test_each_kind_reads_its_own_values(kind, options, posted, expected):
    answers, problem = _read(make_question(kind, options=options), *posted)
    if isinstance(expected, str):
        assert (answers, problem) == ([], expected)
    else:
        assert (answers, problem) == (expected, None)


@pytest.mark.parametrize("kind", list(QuestionKind))
def test_an_empty_answer_is_refused_only_when_required(kind):
    options = FIVE_FACES if kind == QuestionKind.SMILEY else OPTIONS
    for posted in ([], [""], ["   "]):
        required = make_question(kind, options=options, required=True)
        assert _read(required, *posted) == ([], "answer_required"), posted
        assert _read(make_question(kind, options=options), *posted) == ([], None), posted


def test_a_whole_form_is_read_question_by_question(app):
    from werkzeug.datastructures import MultiDict

    form = EvaluationForm(
        title_nl="Evaluatie",
        questions=[
            make_question(QuestionKind.AGREE, question_id=1, required=True),
            make_question(QuestionKind.MULTIPLE, options=OPTIONS, question_id=2),
            make_question(QuestionKind.MARK, question_id=3, required=True),
        ],
    )
    answers, problems = read_answers(form, MultiDict([("q1", NOT_APPLICABLE), ("q2", "o1"), ("q2", "o2")]))
    assert problems == {3: "answer_required"}
    assert [(a.question.id, a.not_applicable, a.option.key if a.option else None) for a in answers] == [
        (1, True, None),
        (2, False, "o1"),
        (2, False, "o2"),
    ]


# --- The participant's form.


def test_the_form_offers_exactly_what_each_kind_accepts(in_language):
    for kind in QuestionKind:
        question = make_question(kind, options=THREE_FACES if kind == QuestionKind.SMILEY else OPTIONS)
        for choice in kind_of(question).choices(question, "nl"):
            answers, problem = kind_of(question).read(question, [choice.value])
            assert problem is None, f"{kind}: the choice {choice.value!r} is refused"
            assert len(answers) == 1, f"{kind}: the choice {choice.value!r} is refused"


def test_agree_and_yes_no_choices_speak_both_languages(in_language):
    agree, yes_no = make_question(QuestionKind.AGREE), make_question(QuestionKind.YES_NO)
    with in_language("nl"):
        assert [(c.value, c.label) for c in kind_of(agree).choices(agree, "nl")] == [
            ("1", "Helemaal mee oneens"),
            ("2", "Mee oneens"),
            ("3", "Niet eens, niet oneens"),
            ("4", "Mee eens"),
            ("5", "Helemaal mee eens"),
            (NOT_APPLICABLE, "Niet van toepassing"),
        ]
        assert [c.label for c in kind_of(yes_no).choices(yes_no, "nl")] == ["Ja", "Nee"]
    with in_language("en"):
        assert [c.label for c in kind_of(agree).choices(agree, "en")] == [
            "Strongly disagree",
            "Disagree",
            "Neutral",
            "Agree",
            "Strongly agree",
            "Not applicable",
        ]
        assert [c.label for c in kind_of(yes_no).choices(yes_no, "en")] == ["Yes", "No"]


def test_smileys_show_their_labels_on_faces_from_a_frown_to_a_smile(in_language):
    for faces in (THREE_FACES, FIVE_FACES):
        question = make_question(QuestionKind.SMILEY, options=faces)
        choices = kind_of(question).choices(question, "en")
        assert [c.value for c in choices] == [str(n) for n in range(1, len(faces) + 1)]
        assert [c.label for c in choices] == [en for _, en in faces]
        bends = [float(c.face.split()[3]) for c in choices]  # the mouth's control point: low is a smile
        assert bends == sorted(bends), "saddest face first"
        assert bends[0] < 15.5 < bends[-1], "saddest face first"


def test_choices_fall_back_to_dutch_and_marks_are_not_listed_in_the_builder(in_language):
    question = make_question(QuestionKind.CHOICE, options=OPTIONS)
    assert [c.label for c in kind_of(question).choices(question, "en")] == ["Bike", "Bus", "Walking"]
    assert not KINDS[QuestionKind.MARK].lists_choices
    assert KINDS[QuestionKind.AGREE].lists_choices


# --- Summaries: cells, labels, counting, scaling.


def test_the_summary_labels_are_the_forms_labels(in_language):
    agree, yes_no = KINDS[QuestionKind.AGREE], KINDS[QuestionKind.YES_NO]
    question = make_question(QuestionKind.AGREE)
    for language in ("nl", "en"):
        with in_language(language):
            offered = {c.value: c.label for c in agree.choices(question, language)}
            assert [agree.cell_label(c, [], language) for c in agree.cell_keys([], set())] == [
                f"{n} · {offered[str(n)]}" for n in range(1, 6)
            ] + [offered[NOT_APPLICABLE]]
            yes, no = (c.label for c in yes_no.choices(make_question(QuestionKind.YES_NO), language))
            assert [yes_no.cell_label(c, [], language) for c in yes_no.cell_keys([], set())] == [yes, no]
    with in_language("nl"):
        assert agree.cell_label(1, [], "nl") == "1 · Helemaal mee oneens"
        assert agree.cell_label(NOT_APPLICABLE, [], "nl") == "Niet van toepassing"


def test_smiley_and_choice_cells_follow_their_options(in_language):
    smiley = KINDS[QuestionKind.SMILEY]
    three = make_question(QuestionKind.SMILEY, options=THREE_FACES).options
    five = make_question(QuestionKind.SMILEY, options=FIVE_FACES).options
    assert smiley.cell_keys(three, {1, 2}) == [1, 2, 3]
    assert smiley.cell_keys(five, set()) == [1, 2, 3, 4, 5]
    assert smiley.cell_keys(three, {2, 5}) == [1, 2, 3, 5], "a face of an older version keeps its cell"
    assert [smiley.cell_label(c, three, "en") for c in (1, 3, 5)] == ["1 · Not nice", "3 · Nice", "5"]
    choice = KINDS[QuestionKind.MULTIPLE]
    options = make_question(QuestionKind.MULTIPLE, options=OPTIONS).options
    assert choice.cell_keys(options, set()) == ["o1", "o2", "o3"]
    assert [choice.cell_label(k, options, "en") for k in ("o1", "o2")] == ["Bike", "Bus"]


@pytest.mark.parametrize(
    ("kind", "row", "cell"),
    [
        (QuestionKind.AGREE, ("x", None, True), NOT_APPLICABLE),
        (QuestionKind.AGREE, (None, 4, False), 4),
        (QuestionKind.SMILEY, ("o2", 2, False), 2),
        (QuestionKind.MARK, (None, 0, False), 0),
        (QuestionKind.YES_NO, (None, 0, False), 0),
        (QuestionKind.CHOICE, ("o2", 2, False), "o2"),
        (QuestionKind.MULTIPLE, ("o3", 3, False), "o3"),
        (QuestionKind.OPEN, (None, None, False), None),
    ],
)
def test_a_grouped_answer_row_counts_in_its_kinds_cell(kind, row, cell):
    assert KINDS[kind].cell(*row) == cell


@pytest.mark.parametrize(
    ("kind", "options", "mean", "score"),
    [
        (QuestionKind.AGREE, (), 1, 0),
        (QuestionKind.AGREE, (), 3, 50),
        (QuestionKind.AGREE, (), 5, 100),
        (QuestionKind.MARK, (), 7.5, 75),
        (QuestionKind.MARK, (), 0, 0),
        (QuestionKind.SMILEY, THREE_FACES, 2, 50),
        (QuestionKind.SMILEY, FIVE_FACES, 2, 25),
        (QuestionKind.SMILEY, FIVE_FACES, 5, 100),
    ],
)
def test_scales_score_from_0_to_100(kind, options, mean, score):
    spec = KINDS[kind]
    assert spec.scaled(mean, make_question(kind, options=options).options) == pytest.approx(score)


def test_not_applicable_does_not_count_for_the_mean():
    table = {1: 2, 5: 3, NOT_APPLICABLE: 4}
    assert KINDS[QuestionKind.AGREE].statistic_values(table) == {1: 2, 5: 3}


# --- Downloads and a person's own data.


def test_each_kind_exports_one_cell_per_response(in_language):
    choice = make_question(QuestionKind.MULTIPLE, options=OPTIONS)
    face = make_question(QuestionKind.SMILEY, options=THREE_FACES).options[1]
    with in_language("nl"):
        assert KINDS[QuestionKind.AGREE].export_value([EvaluationAnswer(not_applicable=True)], "nl") == (
            "Niet van toepassing"
        )
        assert KINDS[QuestionKind.AGREE].export_value([EvaluationAnswer(value=4)], "nl") == 4
        assert KINDS[QuestionKind.MARK].export_value([EvaluationAnswer(value=8)], "nl") == 8
        assert KINDS[QuestionKind.YES_NO].export_value([EvaluationAnswer(value=1)], "nl") == 1
        assert KINDS[QuestionKind.SMILEY].export_value([EvaluationAnswer(value=None, option=face)], "nl") == 2
        ticked = [EvaluationAnswer(option=o) for o in choice.options[::2]]
        assert KINDS[QuestionKind.MULTIPLE].export_value(ticked, "en") == "Bike; Walking"
        open_kind = KINDS[QuestionKind.OPEN]
        approved = EvaluationAnswer(text="Jan was er", redacted_text="[naam] was er", moderation=Moderation.APPROVED)
        pending = EvaluationAnswer(text="Geheim", moderation=Moderation.PENDING)
        assert open_kind.export_value([approved, pending], "nl") == "[naam] was er"
        assert open_kind.export_value([pending], "nl") == "(niet getoond: niet goedgekeurd)"


def test_a_person_reads_their_own_answers_in_words(in_language):
    faces = make_question(QuestionKind.SMILEY, options=THREE_FACES)
    with in_language("nl"):

        def text(kind, answer, question=None):
            return KINDS[kind].answer_text(answer, question or make_question(kind), "nl")

        assert text(QuestionKind.YES_NO, EvaluationAnswer(value=1)) == "Ja"
        assert text(QuestionKind.YES_NO, EvaluationAnswer(value=0)) == "Nee"
        assert text(QuestionKind.AGREE, EvaluationAnswer(not_applicable=True)) == "Niet van toepassing"
        assert text(QuestionKind.AGREE, EvaluationAnswer(value=4)) == "4"
        assert text(QuestionKind.SMILEY, EvaluationAnswer(value=3), faces) == "Leuk"
        chosen = EvaluationAnswer(value=2, option=faces.options[1])
        assert text(QuestionKind.SMILEY, chosen, faces) == "Gewoon"
        assert text(QuestionKind.MARK, EvaluationAnswer(value=0)) == "0"
        assert text(QuestionKind.OPEN, EvaluationAnswer(text="Fijn")) == "Fijn"


# --- The demo.


def test_demo_answers_are_answers_the_form_accepts():
    rng = random.Random(7)
    remarks = ["Fijn", "Koud"]
    for kind in QuestionKind:
        for moment in (None, "before"):
            question = make_question(
                kind, options=FIVE_FACES if kind == QuestionKind.SMILEY else OPTIONS, moment=moment
            )
            for mood in (0, 0.3, 0.55, 0.8, 1):
                value = kind_of(question).demo_answer(question, rng, mood, remarks)
                if value is None:
                    continue
                assert kind_of(question).read(question, [value])[1] is None, f"{kind}: demo posts {value!r}"
                if kind == QuestionKind.OPEN:
                    assert value in remarks


# --- One place: nothing outside the registry asks which kind a question is.


KIND_NAMES = {k.value for k in QuestionKind}


def _is_kind_member(node) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "QuestionKind"


def _names_a_kind(node) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in KIND_NAMES
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_names_a_kind(e) or _is_kind_member(e) for e in node.elts)
    return _is_kind_member(node)


def _is_kind(node) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "kind") or (
        isinstance(node, ast.Name) and node.id == "kind"
    )


def kind_questions_in_python(source: str, *, members_allowed: bool = False) -> list[int]:
    """Lines that compare a kind with a kind's name or member, or name a QuestionKind member at all."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(_is_kind(s) for s in sides) and any(_names_a_kind(s) for s in sides):
                found.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            sql_test = node.func.attr in ("in_", "not_in", "__eq__") and _is_kind(node.func.value)
            if sql_test and any(_names_a_kind(a) for a in node.args):
                found.append(node.lineno)
        if not members_allowed and _is_kind_member(node):
            found.append(node.lineno)
    return sorted(set(found))


TEMPLATE_TAG = re.compile(r"{%.*?%}|{{.*?}}", re.S)
QUOTED = re.compile(r"""["']([a-z_]+)["']""")


def kind_questions_in_template(source: str) -> list[str]:
    """Template tags that mention a kind together with a kind's name, e.g. ``q.kind == "agree"``."""
    return [
        tag
        for tag in TEMPLATE_TAG.findall(source)
        if re.search(r"\bkind\b", tag) and KIND_NAMES & set(QUOTED.findall(tag))
    ]


def test_the_checker_finds_the_chains_it_is_meant_to_forbid():
    assert kind_questions_in_python("if q.kind == QuestionKind.OPEN:\n    pass") == [1]
    assert kind_questions_in_python("x = kind in ('choice', 'multiple')") == [1]
    assert kind_questions_in_python("select(Q).where(Q.kind == 'multiple')") == [1]
    in_sql = "select(Q).where(Q.kind.in_([QuestionKind.OPEN]))"
    assert kind_questions_in_python(in_sql, members_allowed=True) == [1]
    assert kind_questions_in_python("SCALES = (QuestionKind.SMILEY, QuestionKind.AGREE)") == [1]
    assert kind_questions_in_python("if spec.free_text and rhythm.kind == RhythmKind.MANUAL:\n    pass") == []
    assert kind_questions_in_python("if kind == 'csv':\n    pass") == []
    chain = '{% if q.kind == "multiple" %}'
    assert kind_questions_in_template(chain + "x{% endif %}") == [chain]
    asked = '{% if move.kind == "holiday" %}{{ q.spec.summary_hint }}{% endif %}'
    assert kind_questions_in_template(asked) == []


def test_no_kind_chains_outside_the_registry():
    # The model defines the kinds and the built-in forms are data: both may name a kind.
    may_name_members = {PLANNER / "evaluations" / "models.py", PLANNER / "evaluations" / "catalogue.py"}
    found = []
    for path in sorted(PLANNER.rglob("*.py")):
        if REGISTRY in path.parents:
            continue
        for line in kind_questions_in_python(path.read_text(), members_allowed=path in may_name_members):
            found.append(f"{path.relative_to(PLANNER.parent)}:{line}")
    for path in sorted((PLANNER / "templates").rglob("*.html")):
        for tag in kind_questions_in_template(path.read_text()):
            found.append(f"{path.relative_to(PLANNER.parent)}: {tag}")
    assert not found, "ask the question's kind (planner/evaluations/kinds/) instead: " + ", ".join(found)
