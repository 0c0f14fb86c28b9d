"""Demo evaluations: two finished series with attendance and answers, so summaries have something to show.

The answers are drawn from a fixed seed and go through the same code as a participant's form.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from planner.attendance.models import Attendance, Presence, Via
from planner.evaluations.answering import field_name, read_answers, save_response
from planner.evaluations.catalogue import END_OF_SERIES, SESSION, ensure_builtin_forms
from planner.evaluations.kinds import kind_of
from planner.evaluations.models import Channel, EvaluationAnswer, Moderation
from planner.evaluations.services import evaluation_of
from planner.extensions import db
from planner.people.models import Person
from planner.people.services import create_person
from planner.programmes.models import Programme
from planner.series.models import Series
from planner.series.scheduling import Rhythm, RhythmKind, dutch_holidays
from planner.series.services import SeriesPlan, create_series, publish_series
from planner.timekeeping import planning_zone, utcnow

# Two earlier rounds of the Ontmoetingenreeks, so a trekker can compare them side by side.
ROUNDS = [("Ontmoeting Bemmel", "Lingewaard", 20), ("Ontmoeting Huissen", "Lingewaard", 12)]

ROLES = ["resident"] * 5 + ["volunteer"] * 4 + ["professional"] * 5 + ["expert"] * 2
FIRST_NAMES = [
    "Aukje",
    "Bas",
    "Carla",
    "Daan",
    "Esra",
    "Freek",
    "Gonnie",
    "Hamid",
    "Iris",
    "Jan",
    "Karin",
    "Lotte",
    "Mustafa",
    "Nel",
    "Oscar",
    "Petra",
]

GOOD = [
    "Dat ik mijn eigen verhaal kon vertellen.",
    "Het gesprek met de ervaringsdeskundige opende mijn ogen.",
    "Fijne sfeer, iedereen luisterde naar elkaar.",
    "Ik weet nu beter waar ik mensen naartoe kan sturen.",
    "De casus was heel herkenbaar.",
]
BETTER = [
    "Iets meer tijd voor de pauze.",
    "Graag de volgende keer ook iemand van de gemeente erbij.",
    "De zaal was wat koud.",
]


def _answers(form, rng: random.Random, mood: float) -> MultiDict:
    """A plausible filled-in form: scales lean to ``mood`` (0 = low, 1 = high)."""
    data: MultiDict = MultiDict()
    for question in form.questions:
        remarks = BETTER if question.key in ("better", "next") else GOOD
        value = kind_of(question).demo_answer(question, rng, mood, remarks)
        if value is not None:
            data[field_name(question)] = value
    return data


def _past_series(programme: Programme, title: str, municipality: str, weeks_ago: int, organiser) -> Series:
    first = utcnow().date() - timedelta(weeks=weeks_ago)
    first += timedelta(days=(1 - first.weekday()) % 7)  # a Tuesday
    planned_at = datetime.combine(first - timedelta(days=30), time(9), tzinfo=UTC)
    plan = _weekly_evenings("ontmoetingenreeks", title, municipality, first, count=4)
    return _published(programme, plan, organiser, holidays=dutch_holidays("nl"), planned_at=planned_at)


def _weekly_evenings(template_key: str, title: str, municipality: str, first: date, *, count: int) -> SeriesPlan:
    """A demo series of weekly evenings, 19:30 to 21:30, with no venue yet."""
    return SeriesPlan(
        template_key=template_key,
        title=title,
        municipality=municipality,
        venue=None,
        first_day=first,
        start=time(19, 30),
        end=time(21, 30),
        rhythm=Rhythm(RhythmKind.WEEKLY),
        count=count,
    )


def _published(programme: Programme, plan: SeriesPlan, organiser, *, holidays, planned_at: datetime) -> Series:
    """The series made and published at ``planned_at``, as an organiser would have then."""
    series = create_series(programme, plan, organiser, holidays=holidays, now=planned_at)
    publish_series(series, now=planned_at)
    return series


# A meeting that ended last night, with e-mail addresses for those who came and no answers yet:
# its evaluation mails are due, so the debug mailbox's button (or `flask evaluations send`) has
# something to send whose links still work.
RECENT = "Terugkomavond Ontmoeting Huissen"
RECENT_PEOPLE = ["Ruben", "Sanne", "Tijmen", "Umay", "Vera", "Wessel"]


def _recent_meeting(programme: Programme, organiser) -> Series:
    yesterday = utcnow().astimezone(planning_zone()).date() - timedelta(days=1)
    planned_at = datetime.combine(yesterday - timedelta(days=21), time(9), tzinfo=UTC)
    plan = _weekly_evenings("thematic", RECENT, "Lingewaard", yesterday, count=1)
    series = _published(programme, plan, organiser, holidays={}, planned_at=planned_at)  # holiday or not
    db.session.flush()
    [session] = series.sessions
    for name in RECENT_PEOPLE:
        person = create_person(name=f"{name} (demo)", email=f"{name.lower()}.huissen@example.org", role="resident")
        db.session.add(
            Attendance(session_id=session.id, person_id=person.id, status=Presence.PRESENT, via=Via.ORGANISER)
        )
    return series


def load_demo_evaluations(organiser) -> bool:
    """Add the finished demo rounds with answers; False when they are already there."""
    if db.session.scalar(select(Series).where(Series.title == ROUNDS[0][0])) is not None:
        return False
    programme = db.session.scalar(select(Programme).where(Programme.name == "Armoede"))
    if programme is None:
        return False
    forms = ensure_builtin_forms()
    rng = random.Random(2026)
    people: list[Person] = []
    for name, role in zip(FIRST_NAMES, ROLES, strict=True):
        people.append(create_person(name=f"{name} (demo)", email=None, role=role, municipality="Lingewaard"))
    db.session.flush()
    for round_number, (title, municipality, weeks_ago) in enumerate(ROUNDS):
        series = _past_series(programme, title, municipality, weeks_ago, organiser)
        db.session.flush()
        for number, session in enumerate(series.sessions):
            form = forms[END_OF_SERIES] if number == len(series.sessions) - 1 else forms[SESSION]
            evaluation = evaluation_of(session)  # made with the session; the last gets the end-of-series form
            evaluation.form, evaluation.screen_open = form, False
            came = rng.sample(people, rng.randint(11, len(people)))
            for person in came:
                db.session.add(
                    Attendance(session_id=session.id, person_id=person.id, status=Presence.PRESENT, via=Via.ORGANISER)
                )
            mood = 0.55 + 0.08 * number + 0.05 * round_number
            for person in came[: rng.randint(6, len(came))]:
                answers, _problems = read_answers(form, _answers(form, rng, mood))
                save_response(
                    session,
                    form,
                    answers,
                    channel=Channel.MAIL,
                    person=person,
                    now=session.ends_at + timedelta(hours=2),
                )
    db.session.flush()
    # Half of the open answers approved by the organiser (so trekkers see them), one starred.
    open_answers = db.session.scalars(
        select(EvaluationAnswer).where(EvaluationAnswer.text.is_not(None)).order_by(EvaluationAnswer.id)
    ).all()
    for index, answer in enumerate(open_answers):
        if index % 2 == 0:
            answer.moderation = Moderation.APPROVED
            answer.moderated_by_id = organiser.id
            answer.moderated_at = utcnow()
    if open_answers:
        open_answers[0].starred = True
    _recent_meeting(programme, organiser)
    db.session.flush()
    return True
