"""Demo invitations: fictional people invited to the demo series, some answered, one session full."""

from __future__ import annotations

from sqlalchemy import select

from planner.extensions import db
from planner.invitations.services import answer, invite_people
from planner.people.models import Organisation, Person
from planner.people.services import create_person, person_with_email
from planner.series.models import Series, Session
from planner.series.services import SessionDetails, cancel_session, update_session
from planner.timekeeping import utcnow

FIRST_DEMO_EMAIL = "anja.demo@example.org"

PEOPLE = [
    # name, e-mail, role, organisation, language
    ("Anja", FIRST_DEMO_EMAIL, "resident", None, "nl"),
    ("Bert van Dijk", "bert.demo@example.org", "volunteer", "Buurtteam Gendt", "nl"),
    ("Chantal Wouters", "chantal.demo@example.org", "professional", "Buurtteam Gendt", "nl"),
    ("Dennis", "dennis.demo@example.org", "expert", None, "nl"),
    ("Eline Bakker", "eline.demo@example.org", "professional", "Rijnstad", "nl"),
    ("Farid", "farid.demo@example.org", "resident", None, "en"),
    ("Gerda Smit", "gerda.demo@example.org", "volunteer", "Mantelzorg & Vrijwillige Thuishulp", "nl"),
    ("Hans", None, "resident", None, "nl"),  # no e-mail: gets a printed letter
    ("Ilse Jansen", "ilse.demo@example.org", "student", None, "nl"),
    ("Jeroen Vos", "jeroen.demo@example.org", "professional", "Bindkracht10", "nl"),
]

# Answers for the first session of Ontmoeting Gendt, which gets room for four.
FIRST_SESSION_CAPACITY = 4
FIRST_SESSION_ANSWERS = ["yes", "yes", "yes", "no", "yes", "yes", "maybe", "yes"]  # the last two yes wait


def load_demo_invitations() -> bool:
    """Add the demo invitations; False when they were already there or the series is missing."""
    if db.session.scalar(person_with_email(FIRST_DEMO_EMAIL)) is not None:
        return False
    gendt = db.session.scalar(select(Series).where(Series.title == "Ontmoeting Gendt"))
    arena = db.session.scalar(select(Series).where(Series.title == "ARENA-bijeenkomst JIP"))
    if gendt is None or not gendt.is_published:
        return False
    organisations = {o.name: o for o in db.session.scalars(select(Organisation))}
    people: list[Person] = []
    for name, email, role, organisation, language in PEOPLE:
        org = organisations.get(organisation) if organisation else None
        people.append(
            create_person(name=name, email=email, role=role, language=language, organisation_id=org.id if org else None)
        )
    first = gendt.sessions[0]
    first.capacity = FIRST_SESSION_CAPACITY
    invitations = invite_people(gendt, people).invited
    for invitation, choice in zip(invitations, FIRST_SESSION_ANSWERS, strict=False):
        answer(invitation, first, choice)
    for invitation in invitations[:5]:
        answer(invitation, gendt.sessions[1], "yes")
    if arena is not None and arena.is_published:
        for invitation in invite_people(arena, people[4:8]).invited[:2]:
            answer(invitation, arena.sessions[0], "yes")
            invitation.learning_question = "Hoe bereiken we jonge mantelzorgers eerder?"
    _calendar_examples(gendt, invitations)
    db.session.flush()
    return True


def _calendar_examples(gendt: Series, invitations) -> None:
    """Leave one of each calendar mail in the outbox: an update after a move, a cancellation
    and a reminder (the yes answers above already queued calendar invites)."""
    from datetime import timedelta

    from planner.invitations.mails import queue_about

    now = utcnow()
    second = gendt.sessions[1]
    _move(second, second.local_start.date() + timedelta(days=1), now)
    last = gendt.sessions[-1]
    answer(invitations[0], last, "yes")
    cancel_session(last, "De ruimte is die avond niet beschikbaar.", now=now)
    # A reminder goes out only days before a session (flask reminders send); show one already.
    queue_about(invitations[0], "session_reminder", [gendt.sessions[0]])


def _move(session: Session, day, now) -> None:
    details = SessionDetails(
        day=day,
        start=session.local_start.time(),
        end=session.local_end.time(),
        title=session.title,
        theme=session.theme,
        agenda=session.agenda,
        venue=session.venue,
        online_url=session.online_url,
        capacity=session.capacity,
        audiences=[a.value for a in session.audiences],
    )
    update_session(session, details, now=now)
