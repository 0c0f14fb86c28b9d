"""Letters for people without e-mail: one for every mail they would have had.

Wherever the invitation rules queue a mail for someone with an address (``queue_about`` in
``planner.invitations.mails``: the invitation, a moved, changed or cancelled meeting, a
reminder, a place from the waiting list) they record a ``Letter`` for someone without one,
in the same transaction; the evaluations area does the same for its paper form. What the
letter says about the change is rendered then, in the person's language; staff print the
letters to print per series or for all their series, mark them printed, and can undo that.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

import segno
from flask import render_template
from flask_babel import force_locale
from sqlalchemy import Select, func, select, update

from planner.extensions import db, rowcount
from planner.invitations.models import Invitation, Letter, LetterKind
from planner.mail.sending import current_sending, letter_recorded
from planner.mail.services import written_together
from planner.people.models import Person
from planner.series.models import Series, Session
from planner.timekeeping import utcnow

# The mail templates that have a letter: the others (calendar_invite, calendar_removed) confirm
# what the person did themselves on their page, which a letter need not repeat.
LETTER_FOR_MAIL = {
    "invitation": LetterKind.INVITATION,
    "session_changed": LetterKind.SESSION_CHANGED,
    "session_cancelled": LetterKind.SESSION_CANCELLED,
    "reminder": LetterKind.REMINDER,
    "session_reminder": LetterKind.SESSION_REMINDER,
    "moved_up": LetterKind.MOVED_UP,
}


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI, which the Content-Security-Policy allows for images."""
    return segno.make(text, error="m").svg_data_uri(scale=6, border=2)


def record_letter(
    *,
    kind: LetterKind,
    person: Person,
    series: Series,
    body_html: str,
    invitation: Invitation | None = None,
    session: Session | None = None,
    link: str = "",
    code: str | None = None,
    now: datetime | None = None,
) -> Letter | None:
    """Add a letter to print; the caller's transaction holds it, as it holds the mails.
    Inside ``queued_together`` it is written with the round's mails (and None returned)."""
    letter_recorded()
    references = {"person": person, "series": series, "invitation": invitation, "session": session}
    if all(value is None or value.id is not None for value in references.values()):
        values = {f"{name}_id": getattr(value, "id", None) for name, value in references.items()}
        values |= {"kind": kind, "body_html": body_html, "link": link, "code": code, "created_at": now or utcnow()}
        if written_together(Letter, values):
            return None
    letter = Letter(
        kind=kind,
        person=person,
        series=series,
        invitation=invitation,
        session=session,
        body_html=body_html,
        link=link,
        code=code,
        created_at=now or utcnow(),
    )
    db.session.add(letter)
    return letter


def record_letter_about(
    invitation: Invitation, template: str, sessions: Sequence, context: dict, *, session: Session | None = None
) -> Letter | None:
    """The letter for the mail ``template`` of this invitation, if that mail has one."""
    kind = LETTER_FOR_MAIL.get(template)
    if kind is None:
        return None
    person = invitation.person
    under_way = current_sending()
    with force_locale(person.language):
        body = render_template(
            "invitations/_letter_body.html",
            kind=kind,
            series=invitation.series,
            sessions=sessions,
            **({"note": under_way.note if under_way else ""} | context),
        )
    return record_letter(
        kind=kind, person=person, series=invitation.series, invitation=invitation, session=session, body_html=body
    )


# What there is to print.


def to_print(series_ids: Select | Iterable[int]) -> Select:
    """The letters not yet printed of these series, for people we may still write to, in print order."""
    return (
        select(Letter)
        .join(Letter.person)
        .where(Letter.series_id.in_(series_ids), Letter.printed_at.is_(None), Person.needs_letter)
        .order_by(Letter.series_id, Person.name, Letter.created_at, Letter.id)
    )


def letters_to_print_per_series(series_ids: Select | Iterable[int]) -> list[tuple[int, str, int]]:
    """(series id, title, number of letters to print) for the series among ``series_ids`` that have
    any, by title: the home page's to-do "letters to print", in one query."""
    rows = db.session.execute(
        select(Series.id, Series.title, func.count(Letter.id))
        .join(Letter, Letter.series_id == Series.id)
        .join(Person, Person.id == Letter.person_id)
        .where(Series.id.in_(series_ids), Letter.printed_at.is_(None), Person.needs_letter)
        .group_by(Series.id, Series.title)
        .order_by(Series.title, Series.id)
    )
    return [(sid, title, count) for sid, title, count in rows]


def count_letters_to_print(series_ids: Select | Iterable[int]) -> int:
    """How many letters wait to be printed in these series."""
    return sum(count for _sid, _title, count in letters_to_print_per_series(series_ids))


def printed_batches(series_ids: Select | Iterable[int], limit: int = 10) -> list[tuple[datetime, int | None, int]]:
    """The latest times letters were marked printed: (printed at, by whom, how many), newest first."""
    rows = db.session.execute(
        select(Letter.printed_at, Letter.printed_by_id, func.count(Letter.id))
        .where(Letter.series_id.in_(series_ids), Letter.printed_at.is_not(None))
        .group_by(Letter.printed_at, Letter.printed_by_id)
        .order_by(Letter.printed_at.desc())
        .limit(limit)
    )
    return [(at, by, count) for at, by, count in rows if at is not None]


def mark_printed(series_ids: Select | Iterable[int], letter_ids: Iterable[int], *, actor, now=None) -> int:
    """Mark these letters printed (those of these series not printed yet); how many were.

    The time is kept to the second: it names the batch that ``undo_printed`` takes back."""
    now = (now or utcnow()).replace(microsecond=0)
    ids = list(letter_ids)
    if not ids:
        return 0
    result = db.session.execute(
        update(Letter)
        .where(Letter.id.in_(ids), Letter.series_id.in_(series_ids), Letter.printed_at.is_(None))
        .values(printed_at=now, printed_by_id=getattr(actor, "id", None))
        .execution_options(synchronize_session=False)
    )
    return rowcount(result)


def undo_printed(series_ids: Select | Iterable[int], printed_at: datetime) -> int:
    """The letters of these series marked printed at ``printed_at`` are to print again; how many."""
    result = db.session.execute(
        update(Letter)
        .where(Letter.series_id.in_(series_ids), Letter.printed_at == printed_at)
        .values(printed_at=None, printed_by_id=None)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result)
