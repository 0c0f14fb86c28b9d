"""``flask --app planner demo``: the newsletter's world, with fictional people.

Safe to run again: whatever is already there is left alone.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from planner.auth.models import StaffUser
from planner.auth.services import create_staff_user
from planner.extensions import db
from planner.invitations.demo import load_demo_invitations
from planner.people.models import Organisation
from planner.plain_text import name_key
from planner.programmes.models import Programme, ProgrammeRole
from planner.programmes.services import block_date, save_programme
from planner.series.models import Venue
from planner.series.scheduling import Rhythm, RhythmKind, dutch_holidays
from planner.series.services import SeriesPlan, create_series, publish_series
from planner.timekeeping import utcnow

DEMO_PASSWORD = "reeks-demo-2026"
ADMIN_EMAIL = "beheer@example.org"

STAFF = [
    # email, name, admin, phone
    (ADMIN_EMAIL, "Bea Beheer", True, ""),
    ("sanne.devries@example.org", "Sanne de Vries", False, "06 1234 5678"),
    ("ruud.hendriks@example.org", "Ruud Hendriks", False, "024 321 0987"),
    ("fatima.elamrani@example.org", "Fatima El Amrani", False, ""),
    ("joris.peeters@example.org", "Joris Peeters", False, ""),
    ("mirjam.kok@example.org", "Mirjam Kok", False, ""),
]

PROGRAMMES = [
    # name, description, organisers, trekkers
    (
        "Armoede",
        "Armoede signaleren, bespreekbaar maken en doorbreken, samen met mensen met ervaringskennis.",
        ["ruud.hendriks@example.org"],
        ["sanne.devries@example.org"],
    ),
    (
        "Betekenisvol contact in de wijk",
        "Sociale kwaliteit van de wijk versterken, onder meer met Welkome Wijk tegen stigma.",
        ["fatima.elamrani@example.org"],
        ["fatima.elamrani@example.org"],
    ),
    (
        "JIP",
        "Jongeren, Inclusie en Participatie: transities, talentontwikkeling en jonge mantelzorgers.",
        ["joris.peeters@example.org"],
        ["mirjam.kok@example.org"],
    ),
    (
        "Samenwerken aan Sociale Kwaliteit",
        "Vanuit de vier condities van sociale kwaliteit samenwerken in de sociale basis.",
        ["ruud.hendriks@example.org"],
        ["mirjam.kok@example.org"],
    ),
]

ORGANISATIONS = [
    ("Bindkracht10", "Nijmegen"),
    ("Rijnstad", "Arnhem"),
    ("Mantelzorg & Vrijwillige Thuishulp", "Arnhem"),
    ("Buurtteam Gendt", "Lingewaard"),
]

VENUES = {
    # key: name, address, municipality, capacity
    "gendt": ("Buurthuis De Hoek", "Dorpsstraat 12, Gendt", "Lingewaard", 20),
    "nijmegen": ("Wijkcentrum De Klif", "Klif 23, Nijmegen", "Nijmegen", 30),
    "beuningen": ("Dorpshuis De Prins", "Prinsenstraat 1, Beuningen", "Beuningen", 25),
    "heumen": ("Kulturhus Heumen", "Kerkstraat 5, Heumen", "Heumen", 25),
    "hogeschool": ("Hogeschool, zaal 1.12", "Kapittelweg 33, Nijmegen", "Nijmegen", 40),
}


def _next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7 or 7)


def load_demo(today: date | None = None) -> bool:
    """Add the demo world; False when it was already there."""
    if db.session.scalar(StaffUser.by_email(ADMIN_EMAIL)) is not None:
        return False
    today = today or utcnow().date()
    users = {
        email: create_staff_user(email, name, DEMO_PASSWORD, is_admin=admin, phone=phone)
        for email, name, admin, phone in STAFF
    }
    for name, municipality in ORGANISATIONS:
        db.session.add(Organisation(name=name, municipality=municipality))
    venues = {
        key: Venue(name=name, address=address, municipality=municipality, capacity=capacity)
        for key, (name, address, municipality, capacity) in VENUES.items()
    }
    db.session.add_all(venues.values())
    programmes = {}
    for name, description, organisers, trekkers in PROGRAMMES:
        if db.session.scalar(select(Programme).where(Programme.name_key == name_key(name))):
            continue
        programmes[name] = save_programme(
            None,
            name=name,
            description=description,
            organisers=[users[e] for e in organisers],
            trekkers=[users[e] for e in trekkers],
        )
    holidays = dutch_holidays("nl")
    tuesday = _next_weekday(today + timedelta(days=14), 1)
    block_date(programmes["Armoede"], tuesday + timedelta(weeks=2), "Studiedag team")

    def plan(programme, template, title, municipality, first, start, end, rhythm, count, venue, publish=True):
        series = create_series(
            programmes[programme],
            SeriesPlan(
                template_key=template,
                title=title,
                municipality=municipality,
                venue=venue,
                first_day=first,
                start=start,
                end=end,
                rhythm=Rhythm(rhythm),
                count=count,
            ),
            users[programmes[programme].members_with(ProgrammeRole.ORGANISER)[0].email],
            holidays=holidays,
        )
        if publish:
            publish_series(series)
        return series

    evening, late = time(19, 30), time(21, 30)
    plan(
        "Armoede",
        "ontmoetingenreeks",
        "Ontmoeting Gendt",
        "Lingewaard",
        tuesday,
        evening,
        late,
        RhythmKind.WEEKLY,
        5,
        venues["gendt"],
    )
    for offset, (municipality, venue) in enumerate(
        [("Nijmegen", venues["nijmegen"]), ("Beuningen", venues["beuningen"]), ("Heumen", venues["heumen"])]
    ):
        plan(
            "Betekenisvol contact in de wijk",
            "welkome_wijk",
            f"Welkome Wijk {municipality}",
            municipality,
            _next_weekday(today + timedelta(days=7 + offset), 2 + offset),
            time(14, 0),
            time(16, 0),
            RhythmKind.FORTNIGHTLY,
            7,
            venue,
            publish=offset == 0,
        )
    plan(
        "JIP",
        "arena",
        "ARENA-bijeenkomst JIP",
        "Nijmegen",
        _next_weekday(today + timedelta(days=30), 3),
        time(13, 0),
        time(16, 30),
        RhythmKind.WEEKLY,
        1,
        venues["hogeschool"],
    )
    plan(
        "JIP",
        "thematic",
        "Themabijeenkomst jonge mantelzorgers",
        "Nijmegen",
        _next_weekday(today + timedelta(days=45), 3),
        time(15, 0),
        time(17, 0),
        RhythmKind.WEEKLY,
        1,
        venues["hogeschool"],
    )
    plan(
        "Samenwerken aan Sociale Kwaliteit",
        "action_learning",
        "Actieleertraject Arnhem",
        "Arnhem",
        _next_weekday(today + timedelta(days=21), 0),
        time(13, 30),
        time(16, 0),
        RhythmKind.MONTHLY,
        5,
        None,
        publish=False,
    )
    load_demo_invitations()
    return True


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only load when the database has no accounts yet.")
@with_appcontext
def demo_command(if_empty: bool) -> None:
    """Load demo learning studios, series and accounts."""
    if if_empty and db.session.scalar(select(func.count(StaffUser.id))):
        click.echo("The database already has accounts; demo data not loaded.")
    elif load_demo():
        db.session.commit()
        click.echo("Demo data loaded.")
    else:
        click.echo("Demo data was already there.")
        if load_demo_invitations():  # a database loaded before invitations existed
            db.session.commit()
            click.echo("Demo invitations added.")
    from planner.evaluations.catalogue import ensure_builtin_forms
    from planner.evaluations.demo import load_demo_evaluations

    ensure_builtin_forms()  # the built-in evaluation forms, loaded once
    organiser = db.session.scalar(StaffUser.by_email("ruud.hendriks@example.org"))
    if organiser is not None and load_demo_evaluations(organiser):
        click.echo("Demo evaluations added (two finished rounds with answers).")
    db.session.commit()
    if db.session.scalar(StaffUser.by_email(ADMIN_EMAIL)) is not None:
        click.echo(f"Demo login: {ADMIN_EMAIL} / {DEMO_PASSWORD} (organiser: ruud.hendriks@example.org)")
        click.echo("In debug mode the mails the demo queued are under Mailbox: /debug/mailbox/")
