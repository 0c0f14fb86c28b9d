"""The forms that ship with Reeks, in plain Dutch (B1) and English.

``ensure_builtin_forms`` loads each once, by ``builtin_key``; running it again changes nothing.
Organisers do not edit these: they copy one into their learning studio and change the copy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from sqlalchemy import select

from planner.evaluations.models import (
    Condition,
    EvaluationForm,
    EvaluationOption,
    EvaluationQuestion,
    FormPurpose,
    Moment,
    QuestionKind,
)
from planner.extensions import db

SESSION = "session"
END_OF_SERIES = "end_of_series"
RESIDENTS = "residents"

# Smiley faces, saddest first: (Dutch label, English label).
FIVE_FACES = [
    ("Heel slecht", "Very bad"),
    ("Slecht", "Bad"),
    ("Gaat wel", "Okay"),
    ("Goed", "Good"),
    ("Heel goed", "Very good"),
]
THREE_FACES = [("Niet leuk", "Not nice"), ("Gewoon", "Okay"), ("Leuk", "Nice")]
THREE_FACES_YES_NO = [("Nee", "No"), ("Een beetje", "A little"), ("Ja", "Yes")]


def _q(
    key,
    kind,
    text_nl,
    text_en,
    *,
    condition=None,
    required=False,
    options=(),
    hint=("", ""),
    pair_key=None,
    moment=None,
) -> dict:
    return {
        "key": key,
        "kind": kind,
        "text_nl": text_nl,
        "text_en": text_en,
        "condition": condition,
        "required": required,
        "options": list(options),
        "hint_nl": hint[0],
        "hint_en": hint[1],
        "pair_key": pair_key,
        "moment": moment,
    }


def _pair(key, condition, before_nl, before_en, now_nl, now_en) -> list[dict]:
    return [
        _q(
            f"{key}_before",
            QuestionKind.AGREE,
            before_nl,
            before_en,
            condition=condition,
            pair_key=key,
            moment=Moment.BEFORE,
        ),
        _q(f"{key}_now", QuestionKind.AGREE, now_nl, now_en, condition=condition, pair_key=key, moment=Moment.NOW),
    ]


class FormSpec(TypedDict):
    purpose: FormPurpose
    anonymous: bool
    title_nl: str
    title_en: str
    intro_nl: str
    intro_en: str
    questions: list[dict]  # as _q makes them


BUILTIN_FORMS: dict[str, FormSpec] = {
    SESSION: {
        "purpose": FormPurpose.SESSION,
        "anonymous": False,
        "title_nl": "Korte evaluatie van de bijeenkomst",
        "title_en": "Short evaluation of the meeting",
        "intro_nl": "Wat vond je van de bijeenkomst? Je antwoorden helpen ons de volgende keer beter te maken.",
        "intro_en": "What did you think of the meeting? Your answers help us make the next one better.",
        "questions": [
            _q(
                "overall",
                QuestionKind.SMILEY,
                "Hoe vond je de bijeenkomst?",
                "How did you like the meeting?",
                required=True,
                options=FIVE_FACES,
            ),
            _q(
                "learned",
                QuestionKind.AGREE,
                "Ik heb iets geleerd dat ik kan gebruiken.",
                "I learned something I can use.",
                condition=Condition.EMPOWERMENT,
            ),
            _q(
                "welcome",
                QuestionKind.AGREE,
                "Ik voelde me welkom en gehoord.",
                "I felt welcome and heard.",
                condition=Condition.INCLUSION,
            ),
            _q(
                "contacts",
                QuestionKind.AGREE,
                "Ik heb mensen leren kennen met wie ik verder kan.",
                "I met people I can work with.",
                condition=Condition.COHESION,
            ),
            _q(
                "mark",
                QuestionKind.MARK,
                "Welk cijfer geef je de bijeenkomst?",
                "What mark do you give the meeting?",
                hint=("0 is heel slecht, 10 is heel goed.", "0 is very bad, 10 is very good."),
            ),
            _q("good", QuestionKind.OPEN, "Wat was goed?", "What was good?"),
            _q("better", QuestionKind.OPEN, "Wat kan beter?", "What could be better?"),
        ],
    },
    END_OF_SERIES: {
        "purpose": FormPurpose.END_OF_SERIES,
        "anonymous": False,
        "title_nl": "Terugblik op de reeks",
        "title_en": "Looking back on the series",
        "intro_nl": "Denk terug aan het begin van de reeks. Hoe was het toen? En hoe is het nu?",
        "intro_en": "Think back to the start of the series. How was it then? And how is it now?",
        "questions": [
            *_pair(
                "signals",
                Condition.SECURITY,
                "Vóór de reeks: ik herkende signalen van armoede.",
                "Before the series: I recognised signs of poverty.",
                "Nu: ik herken signalen van armoede.",
                "Now: I recognise signs of poverty.",
            ),
            *_pair(
                "talk",
                Condition.EMPOWERMENT,
                "Vóór de reeks: ik durfde armoede bespreekbaar te maken.",
                "Before the series: I dared to talk about poverty.",
                "Nu: ik durf armoede bespreekbaar te maken.",
                "Now: I dare to talk about poverty.",
            ),
            *_pair(
                "network",
                Condition.COHESION,
                "Vóór de reeks: ik wist bij wie ik terecht kon in de wijk.",
                "Before the series: I knew whom to turn to in the neighbourhood.",
                "Nu: ik weet bij wie ik terecht kan in de wijk.",
                "Now: I know whom to turn to in the neighbourhood.",
            ),
            *_pair(
                "involve",
                Condition.INCLUSION,
                "Vóór de reeks: ik betrok mensen met ervaringskennis bij mijn werk.",
                "Before the series: I involved people with lived experience in my work.",
                "Nu: ik betrek mensen met ervaringskennis bij mijn werk.",
                "Now: I involve people with lived experience in my work.",
            ),
            _q(
                "mark",
                QuestionKind.MARK,
                "Welk cijfer geef je de hele reeks?",
                "What mark do you give the whole series?",
            ),
            _q(
                "take_away",
                QuestionKind.OPEN,
                "Wat neem je mee uit de reeks?",
                "What do you take with you from the series?",
            ),
            _q("next", QuestionKind.OPEN, "Wat ga je nu anders doen?", "What will you do differently now?"),
        ],
    },
    RESIDENTS: {
        "purpose": FormPurpose.RESIDENTS,
        "anonymous": True,
        "title_nl": "Hoe was het vandaag?",
        "title_en": "How was today?",
        "intro_nl": "Drie korte vragen. Je naam staat er niet bij.",
        "intro_en": "Three short questions. Your name is not stored.",
        "questions": [
            _q(
                "today",
                QuestionKind.SMILEY,
                "Hoe vond je het vandaag?",
                "How did you like today?",
                required=True,
                options=THREE_FACES,
            ),
            _q(
                "welcome",
                QuestionKind.SMILEY,
                "Voelde je je welkom?",
                "Did you feel welcome?",
                condition=Condition.INCLUSION,
                options=THREE_FACES_YES_NO,
            ),
            _q(
                "again",
                QuestionKind.SMILEY,
                "Kom je de volgende keer weer?",
                "Will you come again next time?",
                condition=Condition.COHESION,
                options=THREE_FACES_YES_NO,
            ),
            _q("say", QuestionKind.OPEN, "Wil je nog iets zeggen?", "Is there anything else you want to say?"),
        ],
    },
}


# The keys of a form's and a question's spec above that are columns of the same name.
FORM_COLUMNS = ("purpose", "anonymous", "title_nl", "title_en", "intro_nl", "intro_en")
QUESTION_COLUMNS = (
    "key",
    "kind",
    "text_nl",
    "text_en",
    "hint_nl",
    "hint_en",
    "condition",
    "required",
    "pair_key",
    "moment",
)


def _columns(spec: Mapping[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: spec[name] for name in names}


def build_question(spec: dict, position: int) -> EvaluationQuestion:
    question = EvaluationQuestion(position=position, **_columns(spec, QUESTION_COLUMNS))
    question.options = [
        EvaluationOption(position=n, key=str(n), label_nl=nl, label_en=en)
        for n, (nl, en) in enumerate(spec["options"], start=1)
    ]
    return question


def ensure_builtin_forms() -> dict[str, EvaluationForm]:
    """Load the built-in forms that are missing; returns builtin_key → its newest version.

    Adds and flushes; the caller commits.
    """
    existing = {
        form.builtin_key: form
        for form in db.session.scalars(
            select(EvaluationForm).where(EvaluationForm.builtin_key.is_not(None)).order_by(EvaluationForm.version)
        )
        if form.builtin_key is not None
    }
    for key, spec in BUILTIN_FORMS.items():
        if key in existing:
            continue
        form = EvaluationForm(builtin_key=key, programme_id=None, **_columns(spec, FORM_COLUMNS))
        form.questions = [build_question(q, n) for n, q in enumerate(spec["questions"], start=1)]
        db.session.add(form)
        existing[key] = form
    db.session.flush()
    return existing


def builtin_form(key: str) -> EvaluationForm:
    return ensure_builtin_forms()[key]
