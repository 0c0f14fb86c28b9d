"""Planning pages: a new series, a series and its sessions, and the overviews."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from planner.auth.access import can_organise
from planner.extensions import db
from planner.forms import given
from planner.links import external_url, webcal
from planner.programmes.forms import BlockedDateForm
from planner.programmes.loaders import programme_or_404
from planner.programmes.models import programmes_visible_to
from planner.programmes.services import block_date
from planner.series.blueprint import bp, mailed_then_saved, saved, venue_of, venues
from planner.series.catalogue import TEMPLATES
from planner.series.date_rules import offers_plan_anyway
from planner.series.forms import CancelSessionForm, SeriesEditForm, SeriesForm
from planner.series.loaders import series_or_404
from planner.series.numbers import STEPS, next_step, session_numbers
from planner.series.overview import series_overview_page
from planner.series.page_notes import retention_note, studio_colours
from planner.series.round_routes import may_archive
from planner.series.scheduling import Rhythm, RhythmKind, dutch_holidays
from planner.series.services import (
    SeriesDetails,
    SeriesPlan,
    close_public_feed,
    create_series,
    month_bounds,
    month_grid,
    open_public_feed,
    propose_series,
    publish_series,
    sessions_between,
    update_series_details,
    venue_named,
)
from planner.timekeeping import planning_zone, utcnow
from planner.web import form_status, service_call


def _plan_from(form: SeriesForm) -> SeriesPlan:
    venue = venue_of(form.venue.data)
    if form.new_venue_name.data:
        venue = venue_named(
            form.new_venue_name.data,
            address=form.new_venue_address.data or "",
            municipality=form.municipality.data or "",
        )
    rhythm = RhythmKind(form.rhythm.data)
    dates = tuple(form.parsed_dates) if rhythm == RhythmKind.MANUAL else ()
    return SeriesPlan(
        template_key=form.template.data,
        title=given(form.title.data),
        municipality=form.municipality.data or "",
        venue=venue,
        description=form.description.data or "",
        first_day=form.first_day.data or (min(dates) if dates else utcnow().astimezone(planning_zone()).date()),
        start=given(form.start.data),
        end=given(form.end.data),
        rhythm=Rhythm(rhythm, dates),
        count=len(dates) if dates else given(form.count.data),
        plan_anyway="plan_anyway" in request.form,
    )


def _show_archived() -> bool:
    return request.args.get("archived") == "1"


def _programme_page(programme, blocked_form):
    return render_template(
        "programmes/show.html",
        programme=programme,
        page=series_overview_page(programme, request.args.get("page", 1, type=int), include_archived=_show_archived()),
        show_archived=_show_archived(),
        may_organise=can_organise(current_user, programme),
        blocked_form=blocked_form,
    ), form_status(blocked_form)


@bp.get("/programmes/<slug>")
@login_required
def programme(slug: str):
    """A learning studio's page: its series (this area's) and its blocked dates."""
    return _programme_page(programme_or_404(slug), BlockedDateForm())


@bp.post("/programmes/<slug>/blocked-dates")
@login_required
def add_blocked_date(slug: str):
    programme = programme_or_404(slug, can_organise)
    form = BlockedDateForm()
    if form.validate_on_submit():
        with service_call(form, field="day"):
            block_date(programme, given(form.day.data), form.reason.data or "")
            db.session.commit()
            flash(_("Date blocked."), "success")
            return redirect(url_for("series.programme", slug=slug) + "#blocked-dates")
    return _programme_page(programme, form)


@bp.route("/programmes/<slug>/series/new", methods=["GET", "POST"])
@login_required
def new(slug: str):
    programme = programme_or_404(slug, can_organise)
    form = SeriesForm(venues=venues())
    chosen = TEMPLATES.get(request.values.get("template", ""))
    if not form.is_submitted() and chosen:
        form.template.data = chosen.key
        form.count.data = chosen.default_count
        form.rhythm.data = chosen.default_rhythm
        evening = datetime(2000, 1, 1, 19, 30, tzinfo=UTC)  # only its clock times are used
        form.start.data, form.end.data = evening.time(), (evening + chosen.duration).time()
    proposals, confirm = None, False
    if form.validate_on_submit():
        holidays = dutch_holidays(str(get_locale()))
        with service_call(form) as outcome:
            plan = _plan_from(form)
            if "create" in request.form or "plan_anyway" in request.form:
                series = create_series(programme, plan, current_user, holidays=holidays)
                return saved(_("Series created as a draft. Check the sessions, then publish."), series)
            proposals = propose_series(programme, plan, holidays=holidays)
        if offers_plan_anyway(outcome.error):  # hand-picked dates on holidays: show them, ask
            confirm = True
            with service_call(form):
                proposals = propose_series(programme, plan, holidays=holidays)
    return render_template(
        "series/new.html", programme=programme, form=form, proposals=proposals, templates=TEMPLATES, confirm=confirm
    ), form_status(form)


@bp.get("/series/<int:series_id>")
@login_required
def show(series_id: int):
    series = series_or_404(series_id)
    numbers = session_numbers([s.id for s in series.sessions])
    return render_template(
        "series/show.html",
        series=series,
        numbers=numbers,
        next_step=next_step(series, numbers, utcnow()),
        steps=STEPS,
        may_organise=can_organise(current_user, series.programme),
        cancel_form=CancelSessionForm(),
        may_archive=may_archive(series),
        now=utcnow(),
        retention=retention_note(series),
        public_feed=_public_feed_links(series),
    )


def _public_feed_links(series) -> dict | None:
    if not series.offers_public_feed:
        return None
    https = external_url("feeds.series_feed", token=series.public_feed_token)
    return {"https": https, "webcal": webcal(https)}


@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
@login_required
def edit(series_id: int):
    series = series_or_404(series_id, can_organise)
    form = SeriesEditForm(obj=series, venues=venues())
    if not form.is_submitted():
        form.venue.data = series.venue_id or 0
    if form.validate_on_submit():
        details = SeriesDetails(
            title=given(form.title.data),
            municipality=form.municipality.data or "",
            description=form.description.data or "",
            venue=venue_of(form.venue.data),
            reminder_days=form.reminder_days.data,
            tell_participants=bool(form.tell_participants.data),
        )
        with service_call(form):
            return mailed_then_saved(
                "session_changed",
                series,
                lambda: update_series_details(series, details),
                title=_("Save the series"),
                back_url=url_for("series.edit", series_id=series.id),
                message=_("Series saved."),
            )
    return render_template("series/edit.html", series=series, form=form), form_status(form)


@bp.post("/series/<int:series_id>/publish")
@login_required
def publish(series_id: int):
    series = series_or_404(series_id, can_organise)
    with service_call():
        publish_series(series)
        return saved(_("Series published."), series)
    return redirect(url_for("series.show", series_id=series.id))


@bp.post("/series/<int:series_id>/public-feed")
@login_required
def open_feed(series_id: int):
    series = series_or_404(series_id, can_organise)
    renewed = series.offers_public_feed
    open_public_feed(series)
    db.session.commit()
    if renewed:
        flash(_("The public calendar feed has a new address; the old one no longer works."), "success")
    else:
        flash(_("The series now has a public calendar feed."), "success")
    return redirect(url_for("series.show", series_id=series.id) + "#public-feed")


@bp.post("/series/<int:series_id>/public-feed/close")
@login_required
def close_feed(series_id: int):
    series = series_or_404(series_id, can_organise)
    close_public_feed(series)
    db.session.commit()
    flash(_("The public calendar feed is off; its address no longer works."), "success")
    return redirect(url_for("series.show", series_id=series.id) + "#public-feed")


def _programme_filter():
    """The programme chosen in ?programme=slug (404 if not visible), and the ones to choose from."""
    slug = request.args.get("programme")
    programme = programme_or_404(slug) if slug else None
    return programme, db.session.scalars(programmes_visible_to(current_user)).all()


@bp.get("/sessions")
@login_required
def overview():
    now = utcnow()
    programme, programmes = _programme_filter()
    sessions = sessions_between(
        current_user, now, now + timedelta(days=183), programme, include_archived=_show_archived()
    )
    return render_template(
        "series/overview.html",
        sessions=sessions,
        programme=programme,
        programmes=programmes,
        show_archived=_show_archived(),
    )


@bp.get("/sessions/month")
@bp.get("/sessions/month/<int:year>-<int:month>")
@login_required
def month(year: int | None = None, month: int | None = None):
    today = utcnow().astimezone(planning_zone()).date()
    year, month = year or today.year, month or today.month
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        abort(404)
    start, end = month_bounds(year, month)
    programme, programmes = _programme_filter()
    sessions = sessions_between(current_user, start, end, programme, include_archived=_show_archived())
    previous = (start - timedelta(days=1)).date()
    return render_template(
        "series/month.html",
        programme=programme,
        programmes=programmes,
        month_start=start.date(),
        weeks=month_grid(year, month, sessions),
        previous=previous,
        next=end.date(),
        today=today,
        session_count=len(sessions),
        studios=studio_colours(programmes, sessions),
        show_archived=_show_archived(),
    )
