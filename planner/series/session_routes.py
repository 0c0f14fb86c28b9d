"""The pages of one session: add, edit, remove and cancel it; part of the series blueprint."""

from __future__ import annotations

from datetime import timedelta

from flask import redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import login_required

from planner.auth.access import can_organise
from planner.forms import given
from planner.series.blueprint import bp, mailed_then_saved, saved, venue_of, venues
from planner.series.date_rules import offers_plan_anyway
from planner.series.forms import CancelSessionForm, SessionForm
from planner.series.loaders import series_or_404, session_or_404
from planner.series.scheduling import dutch_holidays
from planner.series.services import SessionDetails, add_session, cancel_session, remove_session, update_session
from planner.web import form_status, service_call


def _details(form: SessionForm) -> SessionDetails:
    return SessionDetails(
        day=given(form.day.data),
        start=given(form.start.data),
        end=given(form.end.data),
        title=given(form.title.data),
        theme=form.theme.data or "",
        agenda=form.agenda.data or "",
        venue=venue_of(form.venue.data),
        online_url=form.online_url.data or "",
        capacity=form.capacity.data,
        audiences=form.audiences.data or [],
    )


def _session_page(series, form, session=None, outcome=None):
    """The session form; after a date on a holiday or blocked date, with its "plan anyway" button."""
    return render_template(
        "series/session_form.html",
        series=series,
        form=form,
        session=session,
        confirm=offers_plan_anyway(outcome.error if outcome else None),
    ), form_status(form)


def _date_rules() -> dict:
    """What the session pages pass on: holiday names in the reader's language, and the confirmation."""
    return {"holidays": dutch_holidays(str(get_locale())), "plan_anyway": "plan_anyway" in request.form}


@bp.route("/series/<int:series_id>/sessions/new", methods=["GET", "POST"])
@login_required
def new_session(series_id: int):
    series = series_or_404(series_id, can_organise)
    form = SessionForm(venues=venues())
    if not form.is_submitted() and series.sessions:
        last = series.sessions[-1]
        form.title.data = series.title
        form.day.data = last.local_start.date() + timedelta(weeks=1)
        form.start.data, form.end.data = last.local_start.time(), last.local_end.time()
        form.audiences.data = [a.value for a in last.audiences]
        form.capacity.data = last.capacity
    outcome = None
    if form.validate_on_submit():
        with service_call(form) as outcome:
            add_session(series, _details(form), **_date_rules())
            return saved(_("Session added."), series)
    return _session_page(series, form, outcome=outcome)


@bp.route("/series/<int:series_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit_session(series_id: int, session_id: int):
    series = series_or_404(series_id, can_organise)
    session = session_or_404(series, session_id)
    form = SessionForm(obj=session, venues=venues())
    if not form.is_submitted():
        form.day.data = session.local_start.date()
        form.start.data, form.end.data = session.local_start.time(), session.local_end.time()
        form.venue.data = session.venue_id or 0
        form.audiences.data = [a.value for a in session.audiences]
    outcome = None
    if form.validate_on_submit():
        with service_call(form) as outcome:
            details, rules = _details(form), _date_rules()
            return mailed_then_saved(
                "session_changed",
                series,
                lambda: update_session(session, details, **rules),
                title=_("Save the session"),
                back_url=url_for("series.edit_session", series_id=series.id, session_id=session.id),
                message=_("Session saved."),
            )
    return _session_page(series, form, session, outcome)


@bp.route("/series/<int:series_id>/sessions/<int:session_id>/remove", methods=["GET", "POST"])
@login_required
def remove(series_id: int, session_id: int):
    """GET asks to confirm (a page, not only a script's dialog); POST removes the draft's session."""
    series = series_or_404(series_id, can_organise)
    session = session_or_404(series, session_id)
    if request.method == "GET":
        return render_template("series/remove.html", series=series, session=session)
    with service_call():
        remove_session(session)
        return saved(_("Session removed."), series)
    return redirect(url_for("series.show", series_id=series.id))


@bp.route("/series/<int:series_id>/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(series_id: int, session_id: int):
    series = series_or_404(series_id, can_organise)
    session = session_or_404(series, session_id)
    form = CancelSessionForm()
    if form.validate_on_submit():
        with service_call(form):
            reason = given(form.reason.data)
            return mailed_then_saved(
                "session_cancelled",
                series,
                lambda: cancel_session(session, reason),
                title=_("Cancel the session"),
                back_url=url_for("series.show", series_id=series.id),
                message=_("Session cancelled."),
            )
    return render_template("series/cancel.html", series=series, session=session, form=form), form_status(form)
