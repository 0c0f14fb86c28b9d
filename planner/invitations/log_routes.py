"""The mail log of a series: every mail about it with its fate, and failed ones sent again."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import login_required

from planner.audit.models import AuditAction
from planner.audit.web import audit, audited, ids_detail
from planner.auth.access import can_organise
from planner.extensions import db
from planner.forms import Form
from planner.mail.log import STATUS_LABELS, kind_label, mail_log, send_failed_again, sendings_of, status_counts
from planner.mail.models import MailStatus
from planner.series.loaders import series_or_404

bp = Blueprint("mail_log", __name__)


def _status_filter() -> MailStatus | None:
    """The status asked for in the URL; anything unknown shows every mail."""
    value = request.args.get("status", "")
    return MailStatus(value) if value in MailStatus._value2member_map_ else None


@bp.get("/series/<int:series_id>/mail")
@login_required
def index(series_id: int):
    series = series_or_404(series_id, can_organise)
    status = _status_filter()
    counts = status_counts(series.id)
    page = mail_log(series.id, status=status, page=request.args.get("page", 1, type=int))
    html = render_template(
        "invitations/mail_log.html",
        series=series,
        page=page,
        status=status,
        counts=counts,
        failed=counts.get(MailStatus.FAILED, 0),
        sendings=sendings_of(series.id),
        labels=STATUS_LABELS,
        kind_label=kind_label,
        resend_form=Form(),
    )
    ids = ids_detail("persons", sorted({row.person_id for row in page.items if row.person_id}))
    return audited(html, AuditAction.VIEW, "mail_log", series.id, ids)


@bp.post("/series/<int:series_id>/mail/resend")
@login_required
def resend(series_id: int):
    """Send the failed mails again: the one chosen (``message``), else all failed ones."""
    series = series_or_404(series_id, can_organise)
    form = Form()
    back = url_for("mail_log.index", series_id=series.id)
    if not form.validate_on_submit():
        return redirect(back)
    chosen = request.form.get("message")
    if chosen is None:
        count = send_failed_again(series.id)
    else:
        count = send_failed_again(series.id, [int(chosen)]) if chosen.isdigit() and len(chosen) < 12 else 0
    if count:
        audit(AuditAction.CHANGE, "mail_log", series.id, f"queued again: {count}")
    db.session.commit()
    flash(
        ngettext("%(num)s mail will be sent again.", "%(num)s mails will be sent again.", count)
        if count
        else _("There is no failed mail to send again."),
        "success" if count else "error",
    )
    return redirect(back)
