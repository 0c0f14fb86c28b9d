"""Queue mail: render it in the recipient's language and add it to the outbox.

Nothing is sent here. The row is part of the caller's transaction, so a mail exists
exactly when the change that caused it was committed; `flask mail deliver` sends it.
"""

from __future__ import annotations

import uuid

from flask import current_app, render_template
from flask_babel import force_locale

from planner.extensions import db
from planner.links import external_url
from planner.mail.models import OutboxMessage

# The public statements every mail links to in its footer, by endpoint: mail knows no other area.
STATEMENT_ENDPOINTS = {"privacy_url": "statements.privacy", "accessibility_url": "statements.accessibility"}


def queue_mail(
    *,
    to_address: str,
    to_name: str,
    language: str,
    template: str,
    context: dict,
    reference: str = "",
    calendar: tuple[str, bytes] | None = None,
) -> OutboxMessage:
    """Render ``mail/<template>.subject.txt``, ``.txt`` and ``.html`` and queue the message.

    The bodies extend ``mail/_layout.txt`` and ``mail/_layout.html``, whose footer links the
    statements. ``calendar`` is an optional iTIP part: (method, iCalendar bytes), sent as
    text/calendar.
    """
    context = {name: external_url(endpoint) for name, endpoint in STATEMENT_ENDPOINTS.items()} | context
    with force_locale(language):
        subject = render_template(f"mail/{template}.subject.txt", **context).strip()
        body_text = render_template(f"mail/{template}.txt", **context)
        body_html = render_template(f"mail/{template}.html", **context)
    domain = current_app.config["MAIL_MESSAGE_ID_DOMAIN"]
    message = OutboxMessage(
        message_id=f"<{uuid.uuid4()}@{domain}>",
        to_address=to_address,
        to_name=to_name,
        language=language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        reference=reference,
        calendar_method=calendar[0] if calendar else "",
        calendar_body=calendar[1].decode("utf-8") if calendar else "",
    )
    db.session.add(message)
    return message
