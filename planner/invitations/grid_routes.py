"""The person × session grid's own routes: bulk actions on the chosen people, and the export.

The grid itself is the invitations page (``invitations.index``, ``grid_page.py``).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_date, gettext as _, lazy_gettext as _l, ngettext
from flask_login import login_required

from planner.audit.models import AuditAction
from planner.audit.web import audit, audited, ids_detail
from planner.auth.access import can_organise
from planner.extensions import db
from planner.invitations.bulk import (
    chosen_invitations,
    letters_for_chosen,
    move_chosen,
    place_chosen,
    plan_reminders,
    plan_withdrawal,
    send_mailing,
    withdraw_chosen,
)
from planner.invitations.errors import InvitationError
from planner.invitations.grid import CELL_LABELS, MAIL_LABELS, Grid, whole_grid
from planner.invitations.grid_forms import BULK_ACTIONS, BulkForm, session_label
from planner.invitations.grid_page import INVITE_SEARCH, bulk_form, grid_filters, render_grid_page
from planner.invitations.letter_views import invitation_view, render_letter
from planner.mail.confirm import Sent, preview_or_send
from planner.people.models import PersonRole
from planner.series.loaders import series_or_404
from planner.series.models import Series, Session
from planner.spreadsheets import spreadsheet_download
from planner.web import service_call

bp = Blueprint("invitation_grid", __name__)


def _grid_args() -> dict:
    return {k: v for k, v in request.args.items() if k != INVITE_SEARCH}


def _session_of(series: Series, session_id: int | None) -> Session:
    if not session_id:
        raise InvitationError("no_sessions_chosen", form_field="session")
    for session in series.sessions:
        if session.id == session_id:
            return session
    raise InvitationError("session_not_in_series", form_field="session")


@bp.post("/series/<int:series_id>/invitations/bulk")
@login_required
def bulk(series_id: int):
    series = series_or_404(series_id, can_organise)
    form = bulk_form(series)
    if form.validate_on_submit():
        with service_call(form):
            action = form.action.data or ""
            if action not in BULK_ACTIONS:
                raise InvitationError("unknown_bulk_action")
            invitations = chosen_invitations(series, form.chosen.data or [])
            if action == "letters":
                letters = letters_for_chosen(invitations)
                html = render_template(
                    "invitations/letters.html",
                    series=series,
                    letters=[],
                    printed=[render_letter(invitation_view(i)) for i in letters],
                    single=True,
                )
                ids = ids_detail("persons", [i.person_id for i in letters])
                return audited(html, AuditAction.EXPORT, "letter", series.id, ids)
            if action == "withdraw" and not form.confirmed.data:
                html = render_template(
                    "invitations/confirm_withdraw.html",
                    series=series,
                    invitations=invitations,
                    mailing=plan_withdrawal(invitations),
                    args=_grid_args(),
                )
                ids = ids_detail("persons", [i.person_id for i in invitations])
                return audited(html, AuditAction.VIEW, "invitation_list", series.id, ids)
            if action in MAILING:  # it mails the chosen (a reminder, a calendar invite): shown first
                kind, title = MAILING[action]
                sent = preview_or_send(
                    kind,
                    series.id,
                    lambda: _carry_out(series, action, invitations, form),
                    title=str(title),
                    back_url=url_for("invitations.index", series_id=series.id, **_grid_args()),
                    warn_recent=action == "remind",
                )
                if not isinstance(sent, Sent):
                    return sent
                done = sent.result
            else:  # withdrawing was confirmed on its own page (confirm_withdraw.html)
                done = _carry_out(series, action, invitations, form)
            audit(
                AuditAction.CHANGE,
                "invitation_list",
                series.id,
                ids_detail(f"{action}, persons", [i.person_id for i in invitations]),
            )
            db.session.commit()
            flash(done, "success")
            return redirect(url_for("invitations.index", series_id=series.id, **_grid_args()))
    return render_grid_page(series, bulk=form, status=422)


# What the actions that mail the chosen send, and the title of their preview.
MAILING = {
    "remind": ("reminder", _l("Remind the chosen people")),
    "move": ("calendar_invite", _l("Move the chosen people")),
    "place": ("calendar_invite", _l("Register the chosen people")),
}


def _carry_out(series: Series, action: str, invitations, form: BulkForm) -> str:
    """Do ``action`` to the chosen invitations; what to tell the organiser."""
    over = bool(form.over_capacity.data)
    if action == "remind":
        mailing = plan_reminders(invitations)
        count = send_mailing(mailing)
        done = ngettext("Reminder queued for %(num)s person.", "Reminders queued for %(num)s people.", count)
        if mailing.letters:
            done += " " + ngettext(
                "%(num)s person has no e-mail: print a letter.",
                "%(num)s people have no e-mail: print them a letter.",
                len(mailing.letters),
            )
        return done
    if action == "withdraw":
        count = withdraw_chosen(invitations)
        return ngettext(
            "%(num)s invitation withdrawn; its link no longer works.",
            "%(num)s invitations withdrawn; their links no longer work.",
            count,
        )
    session = _session_of(series, form.session.data)
    if action == "move":
        from_session = _session_of(series, form.from_session.data)
        count = move_chosen(series, invitations, from_session, session, over_capacity=over)
        return ngettext(
            "%(num)s person moved to %(session)s.",
            "%(num)s people moved to %(session)s.",
            count,
            session=session_label(session),
        )
    count = place_chosen(series, invitations, session, over_capacity=over)
    return ngettext(
        "%(num)s person registered for %(session)s.",
        "%(num)s people registered for %(session)s.",
        count,
        session=session_label(session),
    )


def export_table(grid: Grid) -> tuple[list[str], list[list]]:
    """Who said what: a row per person, an answer and an attendance column per session."""
    header = [_("Name"), _("E-mail"), _("Role"), _("Organisation"), _("Municipality"), _("Needs"), _("Mail status")]
    for session in grid.sessions:
        name = f"{format_date(session.local_start.date(), 'yyyy-MM-dd')} {session.title}"
        header += [_("%(session)s: answer", session=name), _("%(session)s: attendance", session=name)]
    # Each label translated once, not once per cell: an export can hold 2,000 people.
    answers, mails = {k: str(v) for k, v in CELL_LABELS.items()}, {k: str(v) for k, v in MAIL_LABELS.items()}
    roles, not_invited = {role: str(role.label) for role in PersonRole}, _("not invited")
    rows = []
    for row in grid.rows:
        person = row.person
        line = [
            person.name,
            person.email or "",
            roles[person.role],
            person.organisation.name if person.organisation else "",
            person.municipality,
            "; ".join(row.needs),
            mails[row.mail],
        ]
        for session in grid.sessions:
            cell = row.cells.get(session.id)
            if cell is None:
                line += [not_invited, ""]
                continue
            answer = answers[cell.state] + (f" {cell.place}" if cell.place else "")
            line += [answer, str(cell.presence.label) if cell.presence is not None else ""]
        rows.append(line)
    return header, rows


@bp.get("/series/<int:series_id>/invitations/export.<any(csv, xlsx):kind>")
@login_required
def export(series_id: int, kind: str):
    series = series_or_404(series_id, can_organise)
    form, filters, _page = grid_filters(series)
    if form.errors:
        return render_grid_page(series, status=422)
    grid = whole_grid(series, filters)
    header, rows = export_table(grid)
    response = spreadsheet_download(
        kind, header, rows, title=_("Answers"), filename=f"answers-{series.id}-{format_date(None, 'yyyy-MM-dd')}"
    )
    if grid.people_with_needs:
        audit(AuditAction.EXPORT, "needs", series.id, ids_detail("persons", grid.people_with_needs))
    return audited(response, AuditAction.EXPORT, "invitation_list", series.id, ids_detail("persons", grid.shown_people))
