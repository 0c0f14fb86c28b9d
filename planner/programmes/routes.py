"""Learning studios: the list, one studio's page, and the admin's editing of them."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # WTForms 3.2 has it, types-WTForms not yet

from planner.auth.access import admin_required, can_organise
from planner.auth.models import StaffUser
from planner.extensions import db
from planner.forms import given
from planner.programmes.errors import ProgrammeError
from planner.programmes.forms import ProgrammeForm
from planner.programmes.loaders import programme_or_404
from planner.programmes.models import Programme, ProgrammeMember, ProgrammeRole, programmes_visible_to
from planner.programmes.services import save_programme, unblock_date
from planner.web import form_status, service_call

bp = Blueprint("programmes", __name__, url_prefix="/programmes")


@bp.get("/")
@login_required
def index():
    programmes = db.session.scalars(
        programmes_visible_to(current_user).options(selectinload(Programme.members).joinedload(ProgrammeMember.user))
    ).all()
    return render_template("programmes/index.html", programmes=programmes)


def _staff_choices(form: ProgrammeForm) -> dict[int, StaffUser]:
    staff = db.session.scalars(select(StaffUser).where(StaffUser.active).order_by(StaffUser.name)).all()
    choices = [SelectChoice(u.id, f"{u.name} ({u.email})") for u in staff]
    form.organisers.choices = choices
    form.trekkers.choices = choices
    return {u.id: u for u in staff}


def _edit(programme: Programme | None):
    form = ProgrammeForm(obj=programme)
    staff = _staff_choices(form)
    if programme is not None and not form.is_submitted():
        form.organisers.data = [u.id for u in programme.members_with(ProgrammeRole.ORGANISER)]
        form.trekkers.data = [u.id for u in programme.members_with(ProgrammeRole.TREKKER)]
    if form.validate_on_submit():
        with service_call(
            form, field="name", conflict=lambda: ProgrammeError("programme_name_taken", form_field="name")
        ):
            saved = save_programme(
                programme,
                name=given(form.name.data),
                description=form.description.data or "",
                organisers=[staff[i] for i in form.organisers.data or []],
                trekkers=[staff[i] for i in form.trekkers.data or []],
                retention_months=form.retention_months.data,
            )
            db.session.commit()
            flash(_("Learning studio %(name)s saved.", name=saved.name), "success")
            return redirect(url_for("series.programme", slug=saved.slug))
    return render_template("programmes/form.html", form=form, programme=programme), form_status(form)


@bp.route("/new", methods=["GET", "POST"], endpoint="new")
@bp.route("/<slug>/edit", methods=["GET", "POST"])
@admin_required
def edit(slug: str | None = None):
    """A new learning studio (no slug in the URL), or the one it names."""
    return _edit(programme_or_404(slug) if slug else None)


@bp.post("/<slug>/blocked-dates/<int:blocked_id>/delete")
@login_required
def remove_blocked_date(slug: str, blocked_id: int):
    programme = programme_or_404(slug, can_organise)
    if blocked_id not in {b.id for b in programme.blocked_dates}:
        abort(404)
    unblock_date(programme, blocked_id)
    db.session.commit()
    flash(_("Date is free again."), "success")
    return redirect(url_for("series.programme", slug=slug) + "#blocked-dates")
