"""Attend: the check-in screen at the door, the sign-in sheet, self check-in with a QR code."""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from planner.attendance.breakout import draw, drawing_of, groups_view, move, participants, toggle_facilitator
from planner.attendance.errors import AttendanceError
from planner.attendance.figure_tables import figures_as_seen, figures_table
from planner.attendance.forms import GroupsForm, NameCheckInForm, SelfCheckInForm, WalkInForm
from planner.attendance.models import Presence, Via
from planner.attendance.services import (
    add_walk_in,
    check_in_by_name,
    close_door,
    confirm_check_in,
    door_limit,
    history,
    mark,
    pending_check_ins,
    renew_door_code,
    self_check_in,
    session_list,
    undo_check_in,
    unmark,
)
from planner.audit.models import AuditAction
from planner.audit.web import audit, audited, ids_detail
from planner.auth.access import can_organise, can_view
from planner.auth.throttling import client_key
from planner.converters import id_from_text
from planner.extensions import db
from planner.forms import given
from planner.invitations.letters import qr_data_uri
from planner.invitations.loaders import current_invitation, not_found_page, personal_link_pages
from planner.invitations.models import Answer
from planner.link_privacy import keep_link_private
from planner.links import external_url
from planner.people.models import PersonRole
from planner.series.loaders import series_or_404, session_or_404
from planner.series.models import Session
from planner.spreadsheets import spreadsheet_download
from planner.web import form_status, service_call

bp = Blueprint("attendance", __name__)
personal_link_pages(bp)


@bp.after_request
def _keep_the_link_private(response):
    if request.endpoint in ("attendance.personal", "attendance.door"):
        keep_link_private(response)
    return response


def _organised_session(series_id: int, session_id: int):
    series = series_or_404(series_id, can_organise)
    return series, session_or_404(series, session_id)


def _search() -> str:
    return request.values.get("q", "").strip()[:100]


def _back(series, session, anchor: str = ""):
    q = _search()
    search: dict[str, Any] = {"q": q} if q else {}
    url = url_for("attendance.check_in", series_id=series.id, session_id=session.id, **search)
    return redirect(url + (f"#{anchor}" if anchor else ""))


@bp.route("/series/<int:series_id>/sessions/<int:session_id>/check-in")
@login_required
def check_in(series_id: int, session_id: int):
    series, session = _organised_session(series_id, session_id)
    return _check_in_page(series, session, WalkInForm())


def _check_in_page(series, session, walk_in_form, status=200):
    search = _search()
    rows = session_list(session, search)
    present = (
        sum(1 for row in session_list(session) if row.is_present) if search else sum(1 for r in rows if r.is_present)
    )
    pending = db.session.scalars(pending_check_ins(session)).all()
    html = render_template(
        "attendance/check_in.html",
        series=series,
        session=session,
        rows=rows,
        search=search,
        present=present,
        form=walk_in_form,
        changes=db.session.execute(history(session).limit(10)).all(),
        pending=pending,
        Answer=Answer,
        Presence=Presence,
    )
    shown = [p.person_id for p in pending] + [r.person.id for r in rows]
    return audited(
        html, AuditAction.VIEW, "attendance", session.id, ids_detail("check-in list, persons", shown), status=status
    )


@bp.post("/series/<int:series_id>/sessions/<int:session_id>/check-in/mark")
@login_required
def mark_person(series_id: int, session_id: int):
    series, session = _organised_session(series_id, session_id)
    person_id = _id_field("person_id")
    status = request.form.get("status", "")
    with service_call():
        if status == "clear":
            unmark(session, person_id, actor=current_user)
        else:
            via = Via.DOOR if status == Presence.PRESENT else Via.ORGANISER
            mark(session, person_id, status, actor=current_user, via=via)
        audit(AuditAction.CHANGE, "attendance", session.id, f"person {person_id}: {status}")
        db.session.commit()
        return _back(series, session, anchor=f"person-{person_id}")
    return _back(series, session)


@bp.post("/series/<int:series_id>/sessions/<int:session_id>/check-in/pending")
@login_required
def pending_check_in(series_id: int, session_id: int):
    """Confirm or undo a check-in someone made by typing a name on the door link."""
    series, session = _organised_session(series_id, session_id)
    person_id = _id_field("person_id")
    confirm = request.form.get("action") == "confirm"
    with service_call():
        if confirm:
            confirm_check_in(session, person_id, actor=current_user)
        else:
            undo_check_in(session, person_id)
        done = "confirmed" if confirm else "undone"
        audit(AuditAction.CHANGE, "attendance", session.id, f"door check-in of person {person_id}: {done}")
        db.session.commit()
        return _back(series, session, anchor="pending" if not confirm else f"person-{person_id}")
    return _back(series, session)


@bp.post("/series/<int:series_id>/sessions/<int:session_id>/check-in/walk-in")
@login_required
def walk_in(series_id: int, session_id: int):
    series, session = _organised_session(series_id, session_id)
    form = WalkInForm()
    if form.validate_on_submit():
        with service_call(form):
            person = add_walk_in(session, form.details(), actor=current_user)
            audit(AuditAction.CHANGE, "attendance", session.id, f"walk-in: person {person.id}")
            db.session.commit()
            flash(_("%(name)s is checked in.", name=person.name), "success")
            return _back(series, session, anchor=f"person-{person.id}")
    return _check_in_page(series, session, form, status=form_status(form))


@bp.route("/series/<int:series_id>/sessions/<int:session_id>/sign-in-sheet")
@login_required
def sheet(series_id: int, session_id: int):
    series, session = _organised_session(series_id, session_id)
    rows = [row for row in session_list(session) if row.said_yes or row.answer is None]
    html = render_template("attendance/sheet.html", series=series, session=session, rows=rows, blank_rows=range(10))
    return audited(
        html,
        AuditAction.EXPORT,
        "attendance",
        session.id,
        ids_detail("sign-in sheet, persons", [r.person.id for r in rows]),
    )


@bp.route("/series/<int:series_id>/sessions/<int:session_id>/check-in/qr")
@login_required
def door_qr(series_id: int, session_id: int):
    series, session = _organised_session(series_id, session_id)
    link = external_url("attendance.door", session_id=session.id, code=session.door_code)
    return render_template(
        "attendance/qr.html",
        series=series,
        session=session,
        link=link,
        qr=qr_data_uri(link) if session.door_open else None,
    )


def _door_changed(series, session, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("attendance.door_qr", series_id=series.id, session_id=session.id))


@bp.post("/series/<int:series_id>/sessions/<int:session_id>/check-in/door/renew")
@login_required
def renew_door(series_id: int, session_id: int):
    series, session = _organised_session(series_id, session_id)
    renew_door_code(session)
    return _door_changed(
        series, session, _("The door check-in has a new code: the old link and QR code no longer work.")
    )


@bp.post("/series/<int:series_id>/sessions/<int:session_id>/check-in/door/close")
@login_required
def close_door_check_in(series_id: int, session_id: int):
    series, session = _organised_session(series_id, session_id)
    close_door(session)
    return _door_changed(series, session, _("Check-in by name at the door is closed."))


# --- Breakout groups.


def _groups_page(series, session, form, status=200):
    drawing = drawing_of(session)
    html = render_template(
        "attendance/groups.html",
        series=series,
        session=session,
        form=form,
        drawing=drawing,
        groups=groups_view(session, drawing),
        available=len(participants(session)),
    )
    return audited(html, AuditAction.VIEW, "breakout_groups", session.id, status=status)


@bp.route("/series/<int:series_id>/sessions/<int:session_id>/groups")
@login_required
def groups(series_id: int, session_id: int):
    series, session = _organised_session(series_id, session_id)
    return _groups_page(series, session, GroupsForm())


@bp.post("/series/<int:series_id>/sessions/<int:session_id>/groups")
@login_required
def draw_groups(series_id: int, session_id: int):
    series, session = _organised_session(series_id, session_id)
    form = GroupsForm()
    if form.validate_on_submit():
        with service_call(form):
            draw(session, how=form.how.data, number=given(form.number.data), actor=current_user)
            db.session.commit()
            flash(_("The groups have been drawn."), "success")
            return redirect(url_for("attendance.groups", series_id=series.id, session_id=session.id))
    return _groups_page(series, session, form, status=form_status(form))


def _id_field(name: str) -> int:
    """A person's id or a group's number from the form: 400 when it cannot be one (never an overflow)."""
    number = id_from_text(request.form.get(name))
    if number is None:
        abort(400)
    return number


@bp.post("/series/<int:series_id>/sessions/<int:session_id>/groups/change")
@login_required
def change_group(series_id: int, session_id: int):
    series, session = _organised_session(series_id, session_id)
    person_id = _id_field("person_id")
    page = url_for("attendance.groups", series_id=series.id, session_id=session.id)
    with service_call():
        if request.form.get("action") == "facilitator":
            toggle_facilitator(session, person_id)
        else:
            move(session, person_id, _id_field("group"))
        db.session.commit()
        return redirect(page + f"#member-{person_id}")
    return redirect(page), 303


@bp.route("/series/<int:series_id>/sessions/<int:session_id>/groups/print")
@login_required
def print_groups(series_id: int, session_id: int):
    series, session = _organised_session(series_id, session_id)
    html = render_template(
        "attendance/groups_print.html", series=series, session=session, groups=groups_view(session, drawing_of(session))
    )
    return audited(html, AuditAction.EXPORT, "breakout_groups", session.id, "print")


# --- Figures: organisers and trekkers of the programme.


@bp.route("/series/<int:series_id>/attendance")
@login_required
def figures(series_id: int):
    series = series_or_404(series_id, can_view)
    per_session, attended = figures_as_seen(series)
    return render_template(
        "attendance/figures.html",
        series=series,
        figures=per_session,
        attended=attended,
        session_count=len(per_session),
        may_organise=can_organise(current_user, series.programme),
        role_labels=PersonRole.labels(),
    )


@bp.route("/series/<int:series_id>/attendance.<any(csv, xlsx):kind>")
@login_required
def figures_download(series_id: int, kind: str):
    series = series_or_404(series_id, can_view)
    header, rows = figures_table(series)
    download = spreadsheet_download(kind, header, rows, title="Attendance", filename=f"attendance-{series.id}")
    return audited(download, AuditAction.EXPORT, "attendance_figures", series.id, kind)


# --- Participants: no account; their personal link, or their name on the session's door link.


@bp.route("/i/<token>/check-in/<int:session_id>", methods=["GET", "POST"])
def personal(token: str, session_id: int):  # noqa: ARG001 - the URL's token, read by personal_link_pages before the view
    invitation = current_invitation()
    session = next((r.session for r in invitation.rsvps if r.session_id == session_id), None)
    if session is None:
        return not_found_page()
    form, done = SelfCheckInForm(), False
    if form.validate_on_submit():
        with service_call(form):
            self_check_in(invitation, session)
            db.session.commit()
            done = True
    response = render_template(
        "attendance/self_check_in.html",
        session=session,
        series=invitation.series,
        person=invitation.person,
        done=done,
        form=form,
    )
    return response, form_status(form)


@bp.route("/check-in/<int:session_id>/<code>", methods=["GET", "POST"])
def door(session_id: int, code: str):
    session = db.session.get(Session, session_id)
    if session is None or not hmac.compare_digest(code.encode(), session.door_code.encode()):
        return not_found_page()
    if not session.series.is_published:
        return not_found_page()
    form = NameCheckInForm()
    asked, error, status = False, None, 200
    if not session.door_open:
        error, status = AttendanceError("door_closed").message, 403 if form.is_submitted() else 200
    elif form.validate_on_submit():
        with service_call(form) as outcome:
            check_in_by_name(
                session,
                given(form.name.data),
                client=client_key(request.remote_addr),
                limit=door_limit(current_app.config),
            )
            db.session.commit()
            asked = True
        status = 429 if outcome.error and outcome.error.code == "door_throttled" else form_status(form)
    elif form.is_submitted():
        error, status = _("Enter your name."), 422
    response = render_template(
        "attendance/self_check_in.html",
        session=session,
        series=session.series,
        person=None,
        done=False,
        asked=asked,
        closed=not session.door_open,
        error=error,
        form=form,
    )
    return response, status
