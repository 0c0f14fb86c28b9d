"""What the edit page previews a mail text with: a real series and person of the studio when it
has one, else an example. The personal link is always an example: the real one is a key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import force_locale, gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.extensions import db
from planner.invitations.mails import SessionLine, change_lines, session_lines, signature_of
from planner.invitations.models import Invitation
from planner.links import external_url
from planner.mail.compose import Composed, Signature, compose_text
from planner.mail.kinds import MailKind
from planner.mail.services import statement_urls
from planner.mail.texts import TextSource, check_text
from planner.people.models import Person
from planner.programmes.models import Programme
from planner.series.hooks import Change
from planner.series.models import Series, Session
from planner.series.presentation import session_when

EXAMPLE_TOKEN = "voorbeeld"


@dataclass(frozen=True)
class ExampleSeries:
    title: str
    description: str = ""


@dataclass(frozen=True)
class ExamplePerson:
    name: str


@dataclass(frozen=True)
class PreviewData:
    context: dict
    real_series: bool
    real_person: bool


def _latest_series(programme: Programme) -> Series | None:
    return db.session.scalar(
        select(Series)
        .where(Series.programme_id == programme.id, Series.sessions.any())
        .options(selectinload(Series.sessions).selectinload(Session.venue))
        .order_by(Series.id.desc())
        .limit(1)
    )


def _someone_invited(series: Series) -> Person | None:
    return db.session.scalar(
        select(Person)
        .join(Invitation, Invitation.person_id == Person.id)
        .where(Invitation.series_id == series.id, Invitation.revoked_at.is_(None), Person.anonymised_at.is_(None))
        .order_by(Invitation.id)
        .limit(1)
    )


def preview_data(programme: Programme, kind: MailKind, language: str) -> PreviewData:
    series = _latest_series(programme)
    person = _someone_invited(series) if series is not None else None
    link = external_url("participant.personal_page", token=EXAMPLE_TOKEN)
    with force_locale(language):
        reason = _("The room is not available that evening.")
        if series is None:
            shown: Series | ExampleSeries = ExampleSeries(_("Meeting series (example)"))
            example = _("Tuesday 2 March, 19:30–21:30 (example)")
            lines = [SessionLine(example, _("Community centre (example)"), "", False)]
            when, changes = lines[0].when, [_("Date and time") + ": … → " + lines[0].when]
            signature = Signature(name=programme.name, studio=programme.name)
        else:
            shown = series
            sessions = sorted(series.sessions, key=lambda s: (s.starts_at, s.id))
            chosen = sessions if kind.key in ("invitation", "reminder") else sessions[:1]
            lines, when = session_lines(chosen, language), session_when(sessions[0])
            first = sessions[0]
            week = timedelta(days=7)
            moved = Change("when", (first.starts_at - week, first.ends_at - week), (first.starts_at, first.ends_at))
            changes = change_lines([moved], language)
            signature = signature_of(series)
    name = person.name if person is not None else _example_name(language)
    context = statement_urls() | {
        "person": ExamplePerson(name),
        "series": shown,
        "sessions": lines,
        "changes": changes,
        "reason": reason,
        "when": when,
        "link": link,
        "signature": signature,
        "note": "",
    }
    return PreviewData(context, real_series=series is not None, real_person=person is not None)


def _example_name(language: str) -> str:
    with force_locale(language):
        return _("Sam (example)")


def preview(kind: MailKind, language: str, source: TextSource, data: PreviewData) -> Composed:
    """The mail as this studio's participants would get it; a ``MailTextError`` (in the reader's
    language) when it cannot be."""
    check_text(kind, language, source.subject, source.body)
    return compose_text(kind, language, source, data.context, strict=True)
