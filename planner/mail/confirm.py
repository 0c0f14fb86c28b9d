"""See before you send: the page between an organiser's click and a mass sending.

A route that mails several people hands its action to ``preview_or_send``::

    with service_call(form):
        done = preview_or_send("session_changed", series.id, lambda: update_session(...),
                               title=_("Move the meeting"), back_url=url_for(...))
        if not isinstance(done, Sent):
            return done  # the preview page: nothing was saved
        return _saved(...)  # the action ran, as one sending; the route commits

The first post shows the mail as each language group receives it, "N mails, M letters" and a
field for a personal note, with Send and Cancel. The page posts the same form again, with
the note and the confirmation; only then does the action run for real. When the action would
reach one person or nobody, it runs at once, unless the same sending went out within the hour
(``warn_recent``: a second click on *Remind* asks first). A refusal (a ``DomainError``) goes up to the route's
``service_call`` either way, so the form shows it as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response, make_response, render_template, request
from flask_login import current_user

from planner.mail.sending import NOTE_LENGTH, dry_run, recent_sending, sending
from planner.web import MAIL_PREVIEW_POLICY

SEND_FIELD = "send_confirmed"
NOTE_FIELD = "mail_note"
OWN_FIELDS = {SEND_FIELD, NOTE_FIELD, "csrf_token"}


@dataclass(frozen=True)
class Sent:
    """The action ran for real: what it returned, and how many mails and letters it made."""

    result: Any
    mails: int
    letters: int


def given_note() -> str:
    return (request.form.get(NOTE_FIELD) or "")[:NOTE_LENGTH]


def preview_or_send(
    kind: str,
    series_id: int | None,
    action: Callable[[], object],
    *,
    title: str,
    back_url: str,
    warn_recent: bool = False,
) -> Response | Sent:
    """The preview page of ``action``'s mails, or ``Sent`` once the action ran (confirmed, or
    with nothing to mail). ``warn_recent`` says on the page when the same sending went out within
    the hour (a second click on *Remind*)."""
    note = given_note()
    if request.form.get(SEND_FIELD) != "1":
        preview = dry_run(action, kind, series_id=series_id, note=note)
        recent = recent_sending(series_id, kind) if warn_recent and not preview.is_empty else None
        if preview.reach > 1 or recent is not None:
            fields = [
                (name, value) for name, values in request.form.lists() if name not in OWN_FIELDS for value in values
            ]
            page = make_response(
                render_template(
                    "mail/send_preview.html",
                    preview=preview,
                    title=title,
                    back_url=back_url,
                    fields=fields,
                    note=note,
                    note_length=NOTE_LENGTH,
                    recent=recent,
                )
            )
            page.headers["Content-Security-Policy"] = MAIL_PREVIEW_POLICY
            return page
    with sending(kind, series_id=series_id, note=note, actor=current_user) as under_way:
        result = action()
    return Sent(result, len(under_way.mails), under_way.letters)
