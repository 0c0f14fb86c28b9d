"""A mass sending: what one organiser's action mails, seen before it goes.

An action that mails several people (invite, remind, a moved or cancelled session) runs inside
``sending(kind, ...)``. Every mail ``queue_mail`` queues there, and every letter recorded for
someone without e-mail (``letter_recorded``), belongs to it: the note the organiser added goes
into each mail, and when the block ends a ``MailSending`` row says how many went, for the mail
log and the reminder button.

``dry_run`` runs the same action to show it first: the mails as each language group receives
them and "N mails, M letters". It then rolls the whole transaction back, so a preview changes
nothing; sending afterwards runs the action again, for real, against the data as it is then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from planner.extensions import db
from planner.mail.models import MailSending
from planner.timekeeping import utcnow

NOTE_LENGTH = 2000  # a few paragraphs; the form field says so too


@dataclass(frozen=True, slots=True)
class Queued:
    """What a preview shows of one mail queued."""

    language: str
    to_name: str
    subject: str
    body_text: str
    body_html: str


@dataclass
class Sending:
    """The sending under way: its note, and what it queued so far."""

    kind: str
    series_id: int | None
    note: str = ""
    dry: bool = False  # a preview: rolled back afterwards
    mails: list[Queued] = field(default_factory=list)
    letters: int = 0
    record_id: int | None = None  # the MailSending row its mails point to (none in a preview)


_current: ContextVar[Sending | None] = ContextVar("reeks_mail_sending", default=None)


def current_sending() -> Sending | None:
    return _current.get()


def letter_recorded() -> None:
    """A letter was recorded instead of a mail: it counts in the sending under way, if any."""
    under_way = _current.get()
    if under_way is not None:
        under_way.letters += 1


@contextmanager
def _collecting(kind: str, series_id: int | None, note: str, dry: bool = False) -> Iterator[Sending]:
    under_way = Sending(kind, series_id, note.strip()[:NOTE_LENGTH], dry=dry)
    token = _current.set(under_way)
    try:
        yield under_way
    finally:
        _current.reset(token)


@contextmanager
def sending(kind: str, *, series_id: int | None, note: str = "", actor=None) -> Iterator[Sending]:
    """Run the block as one sending: its mails point to its ``MailSending`` row as they are
    queued, and afterwards the row says how many went (and goes again when nothing did).
    Part of the caller's transaction, as the mails are."""
    with _collecting(kind, series_id, note) as under_way:
        record = MailSending(
            kind=kind,
            series_id=series_id,
            note=under_way.note,
            mail_count=0,
            letter_count=0,
            created_at=utcnow(),
            created_by_id=getattr(actor, "id", None),
        )
        db.session.add(record)
        db.session.flush()
        under_way.record_id = record.id
        yield under_way
    if not under_way.mails and not under_way.letters:
        db.session.delete(record)
        return
    record.mail_count, record.letter_count = len(under_way.mails), under_way.letters


@dataclass(frozen=True)
class Sample:
    """One mail as a language group receives it."""

    language: str
    count: int
    to_name: str
    subject: str
    body_text: str
    body_html: str


@dataclass(frozen=True)
class Preview:
    kind: str
    mail_count: int
    letter_count: int
    samples: list[Sample]
    note: str

    @property
    def reach(self) -> int:
        """How many people it reaches, by mail or by letter."""
        return self.mail_count + self.letter_count

    @property
    def is_empty(self) -> bool:
        return not self.reach


def dry_run(action: Callable[[], object], kind: str, *, series_id: int | None, note: str = "") -> Preview:
    """What ``action`` would send, without sending or keeping anything: the transaction is rolled
    back afterwards, whether the action succeeded or refused (its ``DomainError`` goes on up)."""
    try:
        with _collecting(kind, series_id, note, dry=True) as under_way:
            action()
            db.session.flush()
        groups: dict[str, list[Queued]] = {}
        for message in under_way.mails:
            groups.setdefault(message.language, []).append(message)
        samples = [
            Sample(language, len(group), group[0].to_name, group[0].subject, group[0].body_text, group[0].body_html)
            for language, group in sorted(groups.items(), key=lambda item: item[0] != "nl")  # Dutch first
        ]
        return Preview(kind, len(under_way.mails), under_way.letters, samples, under_way.note)
    finally:
        db.session.rollback()


# What was sent before.

RECENT = timedelta(hours=1)  # a second sending of the same kind this soon is asked about first


def last_sending(series_id: int, kind: str) -> MailSending | None:
    return db.session.scalars(
        select(MailSending)
        .where(MailSending.series_id == series_id, MailSending.kind == kind)
        .order_by(MailSending.created_at.desc(), MailSending.id.desc())
        .limit(1)
    ).first()


def recent_sending(series_id: int | None, kind: str, now: datetime | None = None) -> MailSending | None:
    """The same sending made within the hour, which a second click should be warned about."""
    if series_id is None:
        return None
    last = last_sending(series_id, kind)
    if last is None or last.created_at < (now or utcnow()) - RECENT:
        return None
    return last
