"""A learning studio's own mail texts: find the one in use, check a new one, save it, reset it.

A text is checked in full before it is stored (``check_text``): unknown placeholders, stray
brackets, a block inside a sentence, a missing personal link or a mail that would be empty are
refused with a ``MailTextError``. Nothing else is ever stored, so every stored text composes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from sqlalchemy import select

from planner.extensions import db
from planner.mail.errors import MailTextError
from planner.mail.kinds import KINDS, LANGUAGES, MailKind
from planner.mail.models import MailText
from planner.mail.placeholders import PLACEHOLDERS, Paragraph, Segment, parse_body, parse_subject
from planner.timekeeping import utcnow

SUBJECT_LIMIT = 200
BODY_LIMIT = 5000


@dataclass(frozen=True)
class TextSource:
    subject: str
    body: str
    custom: bool = False  # the studio's own words, not the default


@dataclass(frozen=True)
class CheckedText:
    subject: tuple[Segment, ...]
    body: tuple[Paragraph, ...]


def kind_or_refuse(key: str) -> MailKind:
    if key not in KINDS:
        raise MailTextError("unknown_kind")
    return KINDS[key]


def default_text(kind: MailKind, language: str) -> TextSource:
    with force_locale(language):
        return TextSource(kind.default_subject(), kind.default_body())


def check_text(kind: MailKind, language: str, subject: str, body: str) -> CheckedText:
    """The text read and checked, or a ``MailTextError`` (messages in the reader's language)."""
    if len(subject) > SUBJECT_LIMIT:
        raise MailTextError("too_long", form_field="subject", limit=SUBJECT_LIMIT)
    if len(body) > BODY_LIMIT:
        raise MailTextError("too_long", form_field="body", limit=BODY_LIMIT)
    checked = CheckedText(
        parse_subject(subject, kind.placeholders, language), parse_body(body, kind.placeholders, language)
    )
    if kind.link_required and not any("link" in p.fields() for p in checked.body):
        written = PLACEHOLDERS["link"].written(language)
        raise MailTextError("link_required", form_field="body", placeholder=written)
    return checked


def stored_text(programme_id: int, kind: str, language: str) -> MailText | None:
    return db.session.scalar(
        select(MailText).where(
            MailText.programme_id == programme_id, MailText.kind == kind, MailText.language == language
        )
    )


def text_in_use(programme_id: int | None, kind: MailKind, language: str) -> TextSource:
    """The studio's own text when it has one, else the default."""
    row = stored_text(programme_id, kind.key, language) if programme_id is not None else None
    if row is None:
        return default_text(kind, language)
    return TextSource(row.subject, row.body, custom=True)


def texts_of(programme_id: int) -> dict[tuple[str, str], MailText]:
    """(kind, language) → the studio's own text, in one query (for the overview page)."""
    rows = db.session.scalars(select(MailText).where(MailText.programme_id == programme_id))
    return {(row.kind, row.language): row for row in rows}


def save_text(
    programme_id: int,
    kind_key: str,
    language: str,
    subject: str,
    body: str,
    *,
    actor_id: int | None,
    now: datetime | None = None,
) -> MailText | None:
    """Store the studio's text after checking it; the default itself is stored as no row."""
    kind = kind_or_refuse(kind_key)
    if language not in LANGUAGES:
        raise MailTextError("unknown_kind")
    subject, body = subject.strip(), body.replace("\r\n", "\n").strip()
    check_text(kind, language, subject, body)
    row = stored_text(programme_id, kind.key, language)
    default = default_text(kind, language)
    if (subject, body) == (default.subject, default.body):
        if row is not None:
            db.session.delete(row)
        return None
    if row is None:
        row = MailText(programme_id=programme_id, kind=kind.key, language=language)
        db.session.add(row)
    row.subject, row.body = subject, body
    row.updated_at, row.updated_by_id = now or utcnow(), actor_id
    db.session.flush()
    return row


def reset_text(programme_id: int, kind_key: str, language: str) -> None:
    kind = kind_or_refuse(kind_key)
    row = stored_text(programme_id, kind.key, language)
    if row is not None:
        db.session.delete(row)
        db.session.flush()
