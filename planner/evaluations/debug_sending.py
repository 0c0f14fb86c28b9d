"""Debug mode only: the debug mailbox's buttons send what `flask evaluations send` and
`flask reminders send` would, now or as if it were later, so a newcomer sees the demo's
evaluation mails and reminders without a terminal. Outside debug mode these pages do not exist."""

from __future__ import annotations

from datetime import UTC

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _, ngettext

from planner.evaluations.sending import send_due
from planner.extensions import db
from planner.invitations.reminders import send_due_reminders
from planner.mail.debug import debug_only_and_admins_only
from planner.mail.forms import DebugSendForm
from planner.timekeeping import planning_zone, utcnow

bp = Blueprint("debug_sending", __name__, url_prefix="/debug/mailbox")
bp.before_request(debug_only_and_admins_only)


def _moment(form: DebugSendForm):
    """The moment chosen (Amsterdam time) in UTC, or now."""
    if form.moment.data is None:
        return utcnow()
    return form.moment.data.replace(tzinfo=planning_zone()).astimezone(UTC)


def _refused(form: DebugSendForm):
    for message in form.moment.errors or [_("Please try again.")]:
        flash(f"{form.moment.label.text}: {message}", "error")
    return redirect(url_for("mail.index")), 303


@bp.post("/send-evaluations")
def evaluations():
    form = DebugSendForm()
    if not form.validate_on_submit():
        return _refused(form)
    result = send_due(now=_moment(form))
    db.session.commit()
    flash(
        _(
            "Queued %(mails)s evaluation mail(s) and %(reminders)s evaluation reminder(s).",
            mails=result.sent,
            reminders=result.reminded,
        ),
        "success",
    )
    return redirect(url_for("mail.index")), 303


@bp.post("/send-reminders")
def reminders():
    form = DebugSendForm()
    if not form.validate_on_submit():
        return _refused(form)
    count = send_due_reminders(now=_moment(form))
    db.session.commit()
    flash(ngettext("Queued %(num)s reminder.", "Queued %(num)s reminders.", count), "success")
    return redirect(url_for("mail.index")), 303
