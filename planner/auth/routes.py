"""Logging in and out, one's own account, choosing a language, and the admin's staff accounts."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from planner.auth.access import admin_required
from planner.auth.devices import login_source, remember_device
from planner.auth.forms import ChangePasswordForm, ContactForm, LanguageForm, LoginForm, StaffUserForm
from planner.auth.models import StaffUser
from planner.auth.services import (
    authenticate,
    change_own_password,
    create_staff_user,
    end_all_sessions,
    update_own_contact,
    update_staff_user,
)
from planner.auth.sessions import end_session, start_session
from planner.auth.throttling import LoginLimits
from planner.errors import DomainError
from planner.extensions import db
from planner.forms import add_error, given
from planner.web import form_status, service_call

bp = Blueprint("auth", __name__)


def safe_next(target: str | None, fallback: str) -> str:
    """Only follow redirects to a path on this site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return fallback


THROTTLED = ("throttled", "throttled_account")


def _login_limits() -> LoginLimits:
    return LoginLimits.from_config(current_app.config)


def _wait_or(status: int, error: DomainError | None) -> tuple[int, dict]:
    """``status``, or 429 and Retry-After when the refused try must wait."""
    if error is not None and error.code in THROTTLED:
        return 429, {"Retry-After": str(error.params["minutes"] * 60)}
    return status, {}


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("series.overview"))
    form = LoginForm()
    status, headers = 200, dict[str, str]()
    if form.validate_on_submit():
        source = login_source(given(form.email.data))
        with service_call(commit_refusal=True) as outcome:  # keep the record of the failed try
            user = authenticate(
                given(form.email.data), given(form.password.data), source=source, limits=_login_limits()
            )
            db.session.commit()
            start_session(user)
            response = redirect(safe_next(request.args.get("next"), url_for("series.overview")))
            remember_device(response, user.email, source.device)
            return response
        status, headers = _wait_or(200, outcome.error)
    return render_template("auth/login.html", form=form), status, headers


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        # Every session of the account ends, so no copy of this one's cookie lives on.
        end_all_sessions(current_user._get_current_object())
        db.session.commit()
    end_session()
    flash(_("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    """The user's own account: a new password, and logging out on every device."""
    form = ChangePasswordForm()
    status, headers = 200, dict[str, str]()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        with service_call(form, field="current_password", commit_refusal=True) as outcome:
            change_own_password(
                user,
                given(form.current_password.data),
                given(form.new_password.data),
                source=login_source(user.email),
                limits=_login_limits(),
            )
            db.session.commit()
            start_session(user)  # this browser stays logged in; every other session has ended
            flash(_("Your password has been changed. You have been logged out on every other device."), "success")
            return redirect(url_for("auth.account"))
        status, headers = _wait_or(422, outcome.error)
    if form.errors and status == 200:
        status = 422
    contact = ContactForm(obj=current_user, formdata=None, prefix="contact")
    return render_template("auth/account.html", form=form, contact=contact), status, headers


@bp.post("/account/contact")
@login_required
def account_contact():
    """The name and phone participants see in mails and letters."""
    contact = ContactForm(prefix="contact")
    if contact.validate_on_submit():
        with service_call(contact, field="name"):
            update_own_contact(
                current_user._get_current_object(), name=given(contact.name.data), phone=contact.phone.data or ""
            )
            db.session.commit()
            flash(_("Your contact details have been saved."), "success")
            return redirect(url_for("auth.account"))
    form = ChangePasswordForm(formdata=None)
    return render_template("auth/account.html", form=form, contact=contact), form_status(contact)


@bp.post("/account/log-out-everywhere")
@login_required
def log_out_everywhere():
    end_all_sessions(current_user._get_current_object())
    db.session.commit()
    end_session()
    flash(_("You have been logged out on every device, this one included."), "info")
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
            add_error(form.password, _("Enter a password."))
        else:
            with service_call(form, field="email"):
                user = create_staff_user(
                    given(form.email.data),
                    given(form.name.data),
                    form.password.data,
                    is_admin=form.is_admin.data,
                    phone=form.phone.data or "",
                )
                user.active = form.active.data
                db.session.commit()
                flash(_("Account for %(name)s created.", name=user.name), "success")
                return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=None), form_status(form)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int):
    user = db.session.get(StaffUser, user_id) or abort(404)
    form = StaffUserForm(obj=user)
    if form.validate_on_submit():
        with service_call(form, field="email"):
            update_staff_user(
                user,
                actor=current_user,
                name=given(form.name.data),
                email=given(form.email.data),
                is_admin=form.is_admin.data,
                active=form.active.data,
                password=form.password.data or "",
                phone=form.phone.data or "",
            )
            db.session.commit()
            if user.id == current_user.id and form.password.data:
                start_session(user)  # a new password ends sessions; keep the admin's own one going
            flash(_("Account saved."), "success")
            return redirect(url_for("auth.users"))
    return render_template("auth/user_form.html", form=form, user=user), form_status(form)


@bp.post("/admin/users/<int:user_id>/log-out-everywhere")
@admin_required
def end_user_sessions(user_id: int):
    user = db.session.get(StaffUser, user_id) or abort(404)
    end_all_sessions(user)
    db.session.commit()
    if user.id == current_user.id:
        end_session()
        flash(_("You have been logged out on every device, this one included."), "info")
        return redirect(url_for("auth.login"))
    flash(_("%(name)s has been logged out on every device.", name=user.name), "success")
    return redirect(url_for("auth.edit_user", user_id=user.id))
