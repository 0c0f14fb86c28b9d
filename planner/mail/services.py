"""Queue mail: render it in the recipient's language and add it to the outbox.

Nothing is sent here. The row is part of the caller's transaction, so a mail exists
exactly when the change that caused it was committed; `flask mail deliver` sends it.
"""

from __future__ import annotations

import uuid

from flask import current_app, render_template
from flask_babel import force_locale

from planner.extensions import db
from planner.mail.models import OutboxMessage


# The public statements, linked from every mail. Paths, not endpoints: mail knows no other area.
STATEMENT_PATHS = {"privacy_url": "/privacy", "accessibility_url": "/toegankelijkheid"}


def _with_footer(body_text: str, body_html: str) -> tuple[str, str]:
    """Both bodies with the footer linking the statements, in the language already forced."""
    base = current_app.config["BASE_URL"].rstrip("/")
    links = {name: base + path for name, path in STATEMENT_PATHS.items()}
    body_text = body_text.rstrip("\n") + "\n" + render_template("mail/_footer.txt", **links)
    footer_html = render_template("mail/_footer.html", **links)
    at = body_html.lower().rfind("</body>")
    body_html = body_html[:at] + footer_html + "\n" + body_html[at:] if at >= 0 else body_html + footer_html
    return body_text, body_html


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

    ``calendar`` is an optional iTIP part: (method, iCalendar bytes), sent as text/calendar.
    """
    with force_locale(language):
        subject = render_template(f"mail/{template}.subject.txt", **context).strip()
        body_text = render_template(f"mail/{template}.txt", **context)
        body_html = render_template(f"mail/{template}.html", **context)
        body_text, body_html = _with_footer(body_text, body_html)
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
