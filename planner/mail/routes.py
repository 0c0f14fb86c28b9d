"""The debug mailbox: what the outbox holds, for developers. Only exists in debug mode, for admins.

Its mails carry every participant's personal link: whoever reads them can act as those people.
"""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template
from sqlalchemy import select

from planner.extensions import db
from planner.mail.debug import debug_only_and_admins_only
from planner.mail.forms import DebugSendForm
from planner.mail.models import OutboxMessage

bp = Blueprint("mail", __name__, url_prefix="/debug/mailbox")

MAILBOX_SIZE = 200

# The mail's own HTML runs in an opaque, script-less sandbox and may only be framed by us.
MAIL_HTML_POLICY = "; ".join(
    [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "sandbox",
        "frame-ancestors 'self'",
    ]
)


bp.before_request(debug_only_and_admins_only)


def message_or_404(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return message


@bp.get("/")
def index():
    messages = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(MAILBOX_SIZE)).all()
    return render_template("mail/mailbox/index.html", messages=messages, limit=MAILBOX_SIZE, send_form=DebugSendForm())


@bp.get("/<int:message_id>")
def show(message_id: int):
    return render_template("mail/mailbox/show.html", message=message_or_404(message_id))


@bp.get("/<int:message_id>/html")
def html_part(message_id: int):
    response = make_response(message_or_404(message_id).body_html)
    response.mimetype = "text/html"
    response.headers["Content-Security-Policy"] = MAIL_HTML_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    return response
