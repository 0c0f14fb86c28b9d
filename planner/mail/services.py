"""Queue mail: compose it in the recipient's language and add it to the outbox.

Nothing is sent here. The row is part of the caller's transaction, so a mail exists
exactly when the change that caused it was committed; `flask mail deliver` sends it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import cast

from flask import current_app
from sqlalchemy import Table, insert

from planner.extensions import Model, db
from planner.links import external_url
from planner.mail.compose import Composed, Signature, compose_template, compose_text
from planner.mail.kinds import KINDS
from planner.mail.models import OutboxMessage
from planner.mail.sending import Queued, current_sending
from planner.mail.texts import TextSource, text_in_use

# The public statements every mail links to in its footer, by endpoint: mail knows no other area.
STATEMENT_ENDPOINTS = {"privacy_url": "statements.privacy", "accessibility_url": "statements.accessibility"}


SUBJECT_LENGTH = 250  # outbox_message.subject


def statement_urls(cache: dict | None = None) -> dict[str, str]:
    if cache is not None and "statement-urls" in cache:
        return cache["statement-urls"]
    urls = {name: external_url(endpoint) for name, endpoint in STATEMENT_ENDPOINTS.items()}
    if cache is not None:
        cache["statement-urls"] = urls
    return urls


def text_for_round(programme_id: int | None, kind: str, language: str, cache: dict | None) -> TextSource:
    """The text in use, looked up once per round (``cache``) rather than once per mail."""
    key = ("mail-text", programme_id, kind, language)
    if cache is not None and key in cache:
        return cache[key]
    source = text_in_use(programme_id, KINDS[kind], language)
    if cache is not None:
        cache[key] = source
    return source


def compose(
    template: str,
    language: str,
    context: dict,
    *,
    programme_id: int | None = None,
    signature: Signature | None = None,
    cache: dict | None = None,
) -> Composed:
    """The mail as it would be queued: the studio's text for the standard mails
    (``planner.mail.kinds``), else ``mail/<template>.*``; always in ``mail/_layout``."""
    context = statement_urls(cache) | {"signature": signature, "note": ""} | context
    if template in KINDS:
        source = text_for_round(programme_id, template, language, cache)
        return compose_text(KINDS[template], language, source, context, cache)
    return compose_template(template, language, context)


def queue_mail(
    *,
    to_address: str,
    to_name: str,
    language: str,
    template: str,
    context: dict,
    reference: str = "",
    calendar: tuple[str, bytes] | None = None,
    programme_id: int | None = None,
    signature: Signature | None = None,
    cache: dict | None = None,
    series_id: int | None = None,
    person_id: int | None = None,
) -> OutboxMessage | None:
    """Compose the message (see ``compose``) and queue it, with Reply-To the signer's address.

    ``calendar`` is an optional iTIP part: (method, iCalendar bytes), sent as text/calendar;
    its ORGANIZER (where calendars send their replies) is the caller's business. ``series_id``
    and ``person_id`` put it in that series' mail log. Inside a sending (``planner.mail.sending``)
    the mail carries the sending's note and counts in it; in a preview its personal link is masked.
    Inside ``queued_together`` it returns None: the row is written when that block ends.
    """
    under_way = current_sending()
    if under_way is not None:
        context = {"note": under_way.note} | context
        if under_way.dry and context.get("link"):
            context = context | {"link": masked_link(context["link"])}
    mail = compose(template, language, context, programme_id=programme_id, signature=signature, cache=cache)
    domain = current_app.config["MAIL_MESSAGE_ID_DOMAIN"]
    subject = mail.subject[:SUBJECT_LENGTH]  # a long title and name in an own subject still fit
    values = {
        "message_id": f"<{uuid.uuid4()}@{domain}>",
        "to_address": to_address,
        "to_name": to_name,
        "language": language,
        "subject": subject,
        "body_text": mail.text,
        "body_html": mail.html,
        "reply_to": signature.email if signature is not None else "",
        "reference": reference,
        "calendar_method": calendar[0] if calendar else "",
        "calendar_body": calendar[1].decode("utf-8") if calendar else "",
        "kind": template,
        "series_id": series_id,
        "person_id": person_id,
        "sending_id": under_way.record_id if under_way is not None else None,
    }
    if under_way is not None:
        under_way.mails.append(Queued(language, to_name, subject, mail.text, mail.html))
    if written_together(OutboxMessage, values):
        return None
    message = OutboxMessage(**values)
    db.session.add(message)
    return message


_together: ContextVar[dict[type[Model], list[dict]] | None] = ContextVar("reeks_mail_together", default=None)


@contextmanager
def queued_together() -> Iterator[None]:
    """The mails ``queue_mail`` queues in this block, and the rows ``written_together`` is given
    (the letters for those without e-mail), go in with one multi-row INSERT per table when it
    ends, in the caller's transaction as ever: for a round of thousands, the unit of work's
    bookkeeping per row cost more than the rows themselves. Nothing is returned meanwhile to
    change: a row is written as it was given."""
    rows: dict[type[Model], list[dict]] = {}
    token = _together.set(rows)
    try:
        yield
    finally:
        _together.reset(token)
    for model, values in rows.items():  # the columns' defaults fill in the rest, row by row
        db.session.execute(insert(cast(Table, model.__table__)), values)


def written_together(model: type[Model], values: dict) -> bool:
    """Keep the row for the INSERT at the end of ``queued_together``; False outside one."""
    rows = _together.get()
    if rows is None:
        return False
    rows.setdefault(model, []).append(values)
    return True


def masked_link(link: str) -> str:
    """A personal link with its secret left out, for a preview the organiser reads."""
    base, _slash, _secret = link.rpartition("/")
    return f"{base}/{'•' * 8}" if base else link
