"""Logging in and out, choosing a language, and the admin's list of staff accounts."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from planner.auth.access import admin_required
from planner.auth.forms import LanguageForm, LoginForm, StaffUserForm
from planner.auth.models import StaffUser
from planner.auth.services import AuthError, authenticate, create_staff_user, update_staff_user
from planner.extensions import db
from planner.messages import describe

bp = Blueprint("auth", __name__)


def safe_next(target: str | None, fallback: str) -> str:
    """Only follow redirects to a path on this site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return fallback


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("series.overview"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        config = current_app.config
        try:
            user = authenticate(
                form.email.data,
                form.password.data,
                max_failures=config["LOGIN_MAX_FAILURES"],
                window=timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"]),
            )
        except AuthError as error:
            db.session.commit()  # keep the record of the failed try
            flash(describe(error), "error")
            status = 429 if error.code == "throttled" else 200
        else:
            db.session.commit()
            session.clear()
            login_user(user)
            return redirect(safe_next(request.args.get("next"), url_for("series.overview")))
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/language")
def language():
    form = LanguageForm()
    if not form.validate_on_submit():
        abort(400)
    session["lang"] = form.lang.data
    if current_user.is_authenticated:
        current_user.locale = form.lang.data
        db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("series.overview")))


@bp.route("/")
def index():
    return redirect(url_for("series.overview"))


@bp.get("/admin/users")
@admin_required
def users():
    people = db.session.scalars(select(StaffUser).order_by(StaffUser.name)).all()
    return render_template("auth/users.html", users=people)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@admin_required
def new_user():
    form = StaffUserForm()
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors.append(_("Enter a password."))
        else:
            try:
                user = create_staff_user(
                    form.email.data, form.name.data, form.password.data, is_admin=form.is_admin.data
                )
                user.active = form.active.data
            except AuthError as error:
                db.session.rollback()
                form.email.errors.append(describe(error))
            else:
                db.session.commit()
                flash(_("Account for %(name)s created.", name=user.name), "success")
                return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=None), 422 if form.errors else 200


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int):
    user = db.session.get(StaffUser, user_id) or abort(404)
    form = StaffUserForm(obj=user)
    if form.validate_on_submit():
        try:
            update_staff_user(
                user,
                actor=current_user,
                name=form.name.data,
                email=form.email.data,
                is_admin=form.is_admin.data,
                active=form.active.data,
                password=form.password.data or "",
            )
        except AuthError as error:
            db.session.rollback()
            field = form.is_admin if error.code == "own_admin_rights" else form.email
            field.errors.append(describe(error))
        else:
            db.session.commit()
            flash(_("Account saved."), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=user), 422 if form.errors else 200
