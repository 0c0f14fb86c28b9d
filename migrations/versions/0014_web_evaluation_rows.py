"""Every session has its evaluation row, and the built-in forms exist, before any page reads them

Until now a page made them when it was first read (a GET that wrote). From now on they are made
when a session is added (planner/evaluations/listeners.py); this makes them for what exists.

The built-in forms are written out here as they were when this migration was made (the same
texts as planner/evaluations/catalogue.py then), with lightweight tables and plain SQL, so the
migration never changes with the application's models.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02

"""
import secrets
import uuid
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

SHORT_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
SHORT_CODE_LENGTH = 8
SESSION = "session"

form_table = sa.table(
    "evaluation_form",
    sa.column("id", sa.Integer),
    sa.column("lineage", sa.String),
    sa.column("version", sa.Integer),
    sa.column("programme_id", sa.Integer),
    sa.column("builtin_key", sa.String),
    sa.column("purpose", sa.String),
    sa.column("title_nl", sa.String),
    sa.column("title_en", sa.String),
    sa.column("intro_nl", sa.Text),
    sa.column("intro_en", sa.Text),
    sa.column("anonymous", sa.Boolean),
    sa.column("superseded", sa.Boolean),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
question_table = sa.table(
    "evaluation_question",
    sa.column("id", sa.Integer),
    sa.column("form_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("key", sa.String),
    sa.column("kind", sa.String),
    sa.column("text_nl", sa.String),
    sa.column("text_en", sa.String),
    sa.column("hint_nl", sa.String),
    sa.column("hint_en", sa.String),
    sa.column("condition", sa.String),
    sa.column("required", sa.Boolean),
    sa.column("pair_key", sa.String),
    sa.column("moment", sa.String),
)
option_table = sa.table(
    "evaluation_option",
    sa.column("question_id", sa.Integer),
    sa.column("position", sa.Integer),
    sa.column("key", sa.String),
    sa.column("label_nl", sa.String),
    sa.column("label_en", sa.String),
)
evaluation_table = sa.table(
    "session_evaluation",
    sa.column("session_id", sa.Integer),
    sa.column("form_id", sa.Integer),
    sa.column("short_code", sa.String),
    sa.column("screen_open", sa.Boolean),
)
session_table = sa.table("session", sa.column("id", sa.Integer))

FIVE_FACES = [
    ("Heel slecht", "Very bad"),
    ("Slecht", "Bad"),
    ("Gaat wel", "Okay"),
    ("Goed", "Good"),
    ("Heel goed", "Very good"),
]
THREE_FACES = [("Niet leuk", "Not nice"), ("Gewoon", "Okay"), ("Leuk", "Nice")]
THREE_FACES_YES_NO = [("Nee", "No"), ("Een beetje", "A little"), ("Ja", "Yes")]


def _q(key, kind, text_nl, text_en, *, condition=None, required=False, options=(), hint=("", ""),
       pair_key=None, moment=None):
    return {
        "key": key, "kind": kind, "text_nl": text_nl, "text_en": text_en, "condition": condition,
        "required": required, "options": list(options), "hint_nl": hint[0], "hint_en": hint[1],
        "pair_key": pair_key, "moment": moment,
    }


def _pair(key, condition, before_nl, before_en, now_nl, now_en):
    return [
        _q(f"{key}_before", "agree", before_nl, before_en, condition=condition, pair_key=key, moment="before"),
        _q(f"{key}_now", "agree", now_nl, now_en, condition=condition, pair_key=key, moment="now"),
    ]


BUILTIN_FORMS = {
    SESSION: {
        "purpose": "session",
        "anonymous": False,
        "title_nl": "Korte evaluatie van de bijeenkomst",
        "title_en": "Short evaluation of the meeting",
        "intro_nl": "Wat vond je van de bijeenkomst? Je antwoorden helpen ons de volgende keer beter te maken.",
        "intro_en": "What did you think of the meeting? Your answers help us make the next one better.",
        "questions": [
            _q("overall", "smiley", "Hoe vond je de bijeenkomst?", "How did you like the meeting?",
               required=True, options=FIVE_FACES),
            _q("learned", "agree", "Ik heb iets geleerd dat ik kan gebruiken.",
               "I learned something I can use.", condition="social_empowerment"),
            _q("welcome", "agree", "Ik voelde me welkom en gehoord.", "I felt welcome and heard.",
               condition="social_inclusion"),
            _q("contacts", "agree", "Ik heb mensen leren kennen met wie ik verder kan.",
               "I met people I can work with.", condition="social_cohesion"),
            _q("mark", "mark", "Welk cijfer geef je de bijeenkomst?",
               "What mark do you give the meeting?", hint=("0 is heel slecht, 10 is heel goed.",
                                                           "0 is very bad, 10 is very good.")),
            _q("good", "open", "Wat was goed?", "What was good?"),
            _q("better", "open", "Wat kan beter?", "What could be better?"),
        ],
    },
    "end_of_series": {
        "purpose": "end_of_series",
        "anonymous": False,
        "title_nl": "Terugblik op de reeks",
        "title_en": "Looking back on the series",
        "intro_nl": "Denk terug aan het begin van de reeks. Hoe was het toen? En hoe is het nu?",
        "intro_en": "Think back to the start of the series. How was it then? And how is it now?",
        "questions": [
            *_pair("signals", "socio_economic_security",
                   "Vóór de reeks: ik herkende signalen van armoede.",
                   "Before the series: I recognised signs of poverty.",
                   "Nu: ik herken signalen van armoede.", "Now: I recognise signs of poverty."),
            *_pair("talk", "social_empowerment",
                   "Vóór de reeks: ik durfde armoede bespreekbaar te maken.",
                   "Before the series: I dared to talk about poverty.",
                   "Nu: ik durf armoede bespreekbaar te maken.", "Now: I dare to talk about poverty."),
            *_pair("network", "social_cohesion",
                   "Vóór de reeks: ik wist bij wie ik terecht kon in de wijk.",
                   "Before the series: I knew whom to turn to in the neighbourhood.",
                   "Nu: ik weet bij wie ik terecht kan in de wijk.",
                   "Now: I know whom to turn to in the neighbourhood."),
            *_pair("involve", "social_inclusion",
                   "Vóór de reeks: ik betrok mensen met ervaringskennis bij mijn werk.",
                   "Before the series: I involved people with lived experience in my work.",
                   "Nu: ik betrek mensen met ervaringskennis bij mijn werk.",
                   "Now: I involve people with lived experience in my work."),
            _q("mark", "mark", "Welk cijfer geef je de hele reeks?",
               "What mark do you give the whole series?"),
            _q("take_away", "open", "Wat neem je mee uit de reeks?",
               "What do you take with you from the series?"),
            _q("next", "open", "Wat ga je nu anders doen?", "What will you do differently now?"),
        ],
    },
    "residents": {
        "purpose": "residents",
        "anonymous": True,
        "title_nl": "Hoe was het vandaag?",
        "title_en": "How was today?",
        "intro_nl": "Drie korte vragen. Je naam staat er niet bij.",
        "intro_en": "Three short questions. Your name is not stored.",
        "questions": [
            _q("today", "smiley", "Hoe vond je het vandaag?", "How did you like today?",
               required=True, options=THREE_FACES),
            _q("welcome", "smiley", "Voelde je je welkom?", "Did you feel welcome?",
               condition="social_inclusion", options=THREE_FACES_YES_NO),
            _q("again", "smiley", "Kom je de volgende keer weer?", "Will you come again next time?",
               condition="social_cohesion", options=THREE_FACES_YES_NO),
            _q("say", "open", "Wil je nog iets zeggen?", "Is there anything else you want to say?"),
        ],
    },
}


def _now(connection):
    now = datetime.now(UTC)
    return now.replace(tzinfo=None) if connection.dialect.name == "sqlite" else now  # as UTCDateTime stores it


def _add_form(connection, key, spec) -> int:
    form_id = connection.execute(
        form_table.insert().values(
            lineage=uuid.uuid4().hex, version=1, programme_id=None, builtin_key=key, purpose=spec["purpose"],
            title_nl=spec["title_nl"], title_en=spec["title_en"], intro_nl=spec["intro_nl"],
            intro_en=spec["intro_en"], anonymous=spec["anonymous"], superseded=False, created_at=_now(connection),
        ).returning(form_table.c.id)
    ).scalar_one()
    for position, question in enumerate(spec["questions"], start=1):
        question_id = connection.execute(
            question_table.insert().values(
                form_id=form_id, position=position,
                **{name: value for name, value in question.items() if name != "options"},
            ).returning(question_table.c.id)
        ).scalar_one()
        for n, (nl, en) in enumerate(question["options"], start=1):
            connection.execute(
                option_table.insert().values(question_id=question_id, position=n, key=str(n), label_nl=nl, label_en=en)
            )
    return form_id


def _new_short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def upgrade():
    connection = op.get_bind()
    builtin = dict(
        connection.execute(
            sa.select(form_table.c.builtin_key, form_table.c.id)
            .where(form_table.c.builtin_key.is_not(None))
            .order_by(form_table.c.version)  # the newest version last, so it wins
        ).all()
    )
    for key, spec in BUILTIN_FORMS.items():
        if key not in builtin:
            builtin[key] = _add_form(connection, key, spec)
    have = set(connection.execute(sa.select(evaluation_table.c.session_id)).scalars())
    codes = set(connection.execute(sa.select(evaluation_table.c.short_code)).scalars())
    for session_id in connection.execute(sa.select(session_table.c.id).order_by(session_table.c.id)).scalars().all():
        if session_id in have:
            continue
        code = _new_short_code()
        while code in codes:
            code = _new_short_code()
        codes.add(code)
        connection.execute(
            evaluation_table.insert().values(
                session_id=session_id, form_id=builtin[SESSION], short_code=code, screen_open=True
            )
        )


def downgrade():
    pass  # the rows are what the pages made before; they stay
