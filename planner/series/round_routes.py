"""Pages for the next round: copy a series (with a review step for the dates), plan a cancelled
session again, archive a finished series and bring it back. The rules are in ``rounds.py``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from planner.auth.access import can_organise
from planner.extensions import db
from planner.forms import given
from planner.series.date_rules import conflicts, offers_plan_anyway
from planner.series.forms import DuplicateSeriesForm, duplicate_form
from planner.series.loaders import series_or_404, session_or_404
from planner.series.models import Series, Venue
from planner.series.rounds import (
    CopyPlan,
    archive_series,
    duplicate_series,
    is_finished,
    propose_copy,
    reinstate_session,
    restore_series,
    usual_rhythm,
)
from planner.series.scheduling import RhythmKind, dutch_holidays, next_free_day
from planner.series.services import venue_named
from planner.timekeeping import planning_zone, utcnow
from planner.web import act_and_redirect, form_status, service_call

bp = Blueprint("rounds", __name__)


def _venues() -> list[Venue]:
    return list(db.session.scalars(select(Venue).order_by(Venue.municipality, Venue.name)))


def _copy_plan(form: DuplicateSeriesForm) -> CopyPlan:
    venue = db.session.get(Venue, form.venue.data) if form.venue.data else None
    if form.new_venue_name.data:
        venue = venue_named(
            form.new_venue_name.data,
            address=form.new_venue_address.data or "",
            municipality=form.municipality.data or "",
        )
    return CopyPlan(
        title=given(form.title.data),
        municipality=form.municipality.data or "",
        venue=venue,
        first_day=given(form.first_day.data),
        rhythm=RhythmKind(form.rhythm.data),
    )


def _first_day_after(series: Series) -> date:
    """The rhythm's next slot after the last session: where a next round would start."""
    today = utcnow().astimezone(planning_zone()).date()
    day = series.sessions[-1].local_start.date() + timedelta(weeks=1)
    while day <= today:
        day += timedelta(weeks=1)
    return day


def _fill_defaults(form: DuplicateSeriesForm, series: Series) -> None:
    form.title.data = series.title
    form.municipality.data = series.municipality
    form.venue.data = series.venue_id or 0
    form.first_day.data = _first_day_after(series)
    form.rhythm.data = usual_rhythm(series).value


@bp.route("/series/<int:series_id>/duplicate", methods=["GET", "POST"])
@login_required
def duplicate(series_id: int):
    """Step one: where and from when; step two (the review): every date, changeable; then the copy."""
    source = series_or_404(series_id, can_organise)
    form = duplicate_form(source.sessions, venues=_venues())
    if not form.is_submitted():
        _fill_defaults(form, source)
    proposals = None
    creating = "create" in request.form or "plan_anyway" in request.form
    if form.validate_on_submit():
        holidays = dutch_holidays(str(get_locale()))
        with service_call(form) as outcome:
            plan = _copy_plan(form)
            days = form.chosen_days()
            if creating and days is None:
                form.form_errors.append(_("Give a date for each session, or let the dates be proposed first."))
            elif creating and days is not None:
                copy = duplicate_series(
                    source, plan, days, current_user, holidays=holidays, plan_anyway="plan_anyway" in request.form
                )
                db.session.commit()
                flash(_("Copy saved as a draft: nobody is invited yet. Check the sessions, then publish."), "success")
                return redirect(url_for("series.show", series_id=copy.id))
            else:
                proposals = propose_copy(source, plan, holidays=holidays)
                for field, proposal in zip(form.day_fields(), proposals, strict=True):
                    field.data = proposal.starts.date()
                    field.raw_data = None
        confirm = offers_plan_anyway(outcome.error)
    else:
        confirm = False
    return render_template(
        "series/duplicate.html",
        source=source,
        form=form,
        rows=_review_rows(source, form, proposals),
        confirm=confirm,
    ), form_status(form)


def _review_rows(source: Series, form: DuplicateSeriesForm, proposals) -> list[dict] | None:
    """What the review step shows per session: its date field, why the rhythm skipped dates, and
    whether the date (as it stands now) is a holiday or blocked, with the next free one."""
    if proposals is None and not any(f.data or f.raw_data for f in form.day_fields()):
        return None
    days = [f.data for f in form.day_fields()]
    holidays = dutch_holidays(str(get_locale()))
    found = conflicts(source.programme, [d for d in days if d], holidays)
    blocked = source.programme.blocked()
    rows = []
    for n, (session, field) in enumerate(zip(source.sessions, form.day_fields(), strict=True)):
        day = field.data
        conflict = found.get(day) if day else None
        rows.append(
            {
                "session": session,
                "field": field,
                "moves": proposals[n].moves if proposals else (),
                "conflict": conflict,
                "suggestion": next_free_day(day, blocked, holidays, taken=set(days)) if conflict else None,
            }
        )
    return rows


@bp.post("/series/<int:series_id>/sessions/<int:session_id>/reinstate")
@login_required
def reinstate(series_id: int, session_id: int):
    series = series_or_404(series_id, can_organise)
    session = session_or_404(series, session_id)
    done = _("The session is planned again. Those who had it in their calendar get a new invite.")
    return act_and_redirect(lambda: reinstate_session(session), done, url_for("series.show", series_id=series.id))


def _change_series(series_id: int, rule: Callable[[Series], object], done: str) -> ResponseReturnValue:
    series = series_or_404(series_id, can_organise)
    return act_and_redirect(lambda: rule(series), done, url_for("series.show", series_id=series.id))


@bp.post("/series/<int:series_id>/archive")
@login_required
def archive(series_id: int):
    done = _("Series archived. It no longer shows in the lists unless you ask for archived series.")
    return _change_series(series_id, archive_series, done)


@bp.post("/series/<int:series_id>/restore")
@login_required
def restore(series_id: int):
    return _change_series(series_id, restore_series, _("Series brought back from the archive."))


def may_archive(series: Series) -> bool:
    """The series page offers "Archive" only when the service would accept it."""
    return not series.is_archived and is_finished(series)
