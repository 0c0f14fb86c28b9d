"""Reeks: plan structured meeting series for learning networks."""

from __future__ import annotations

import os

from flask import Flask, abort, g, has_request_context, render_template, request, session
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix

from planner.config import instance_secret_key, load_config
from planner.converters import IdConverter
from planner.extensions import babel, csrf, db, end_read_transactions, login_manager, migrate
from planner.forms import use_fast_html_params
from planner.web import CONTENT_SECURITY_POLICY


def create_app(config: dict | None = None, *, instance_path: str | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    app.config.update(load_config(app.instance_path, app.debug))
    if config:
        app.config.update(config)
    if not app.config.get("SECRET_KEY") and app.debug:
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "SECRET_KEY is not set. Set it in the environment; it is required outside debug "
            "mode (for local development, run flask with --debug or FLASK_DEBUG=1)."
        )
    if app.config["TRUSTED_PROXIES"]:
        # Behind a load balancer every request comes from it: take the client's own address
        # (login throttling and the audit trail count per address) from the proxies we trust.
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]  # Flask documents this

    # The default SQLite database lives in the instance folder (as in Flask's tutorial).
    os.makedirs(app.instance_path, exist_ok=True)
    _init_extensions(app)
    # Before any blueprint adds its rules: every <int:...> is an id the database can hold.
    app.url_map.converters["int"] = IdConverter
    _register_blueprints(app)
    _connect_areas(app)
    _register_template_filters(app)
    _register_cli(app)
    _register_error_pages(app)
    app.before_request(_refuse_nul_characters)
    app.after_request(_security_headers)
    app.context_processor(lambda: {"current_locale": lambda: str(get_locale())})
    return app


def select_locale() -> str:
    languages = ("nl", "en")
    if not has_request_context():
        return "nl"
    if g.get("locale") in languages:  # set by pages that know whom they speak to
        return g.locale
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("lang") in languages:
        return session["lang"]
    return "nl"


def _init_extensions(app: Flask) -> None:
    from planner import models  # noqa: F401  (every table known to Alembic)

    db.init_app(app)
    end_read_transactions(app)  # registered after db's teardown, so it runs before it
    migrate.init_app(app, db, directory=str(_migrations_dir()))
    csrf.init_app(app)
    use_fast_html_params()
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    from planner.auth.sessions import load_user

    login_manager.user_loader(load_user)


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"


def _register_blueprints(app: Flask) -> None:
    from planner.attendance.routes import bp as attendance_bp
    from planner.audit.routes import bp as audit_bp
    from planner.auth.routes import bp as auth_bp
    from planner.dashboard.routes import bp as dashboard_bp
    from planner.evaluations.debug_sending import bp as debug_sending_bp
    from planner.evaluations.participant import bp as evaluation_participant_bp
    from planner.evaluations.reports import bp as evaluation_reports_bp
    from planner.evaluations.routes import bp as evaluations_bp
    from planner.evaluations.session_routes import bp as evaluation_sessions_bp
    from planner.invitations.consent import bp as consent_bp
    from planner.invitations.feeds import bp as feeds_bp
    from planner.invitations.grid_routes import bp as invitation_grid_bp
    from planner.invitations.letter_routes import bp as letters_bp
    from planner.invitations.log_routes import bp as mail_log_bp
    from planner.invitations.participant import bp as participant_bp
    from planner.invitations.routes import bp as invitations_bp
    from planner.mail.routes import bp as mail_bp
    from planner.mailtexts.routes import bp as mailtexts_bp
    from planner.people.routes import bp as people_bp
    from planner.privacy.routes import bp as privacy_bp
    from planner.programmes.routes import bp as programmes_bp
    from planner.series import (
        routes as _series_routes,  # noqa: F401  (adds its pages to the blueprint)
        session_routes,  # noqa: F401  (its routes join the series blueprint)
    )
    from planner.series.blueprint import bp as series_bp
    from planner.series.round_routes import bp as rounds_bp
    from planner.statements.routes import bp as statements_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(mail_bp)
    app.register_blueprint(programmes_bp)
    app.register_blueprint(mailtexts_bp)
    app.register_blueprint(series_bp)
    app.register_blueprint(rounds_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(invitations_bp)
    app.register_blueprint(invitation_grid_bp)
    app.register_blueprint(participant_bp)
    app.register_blueprint(letters_bp)
    app.register_blueprint(mail_log_bp)
    app.register_blueprint(feeds_bp)
    app.register_blueprint(consent_bp)
    app.register_blueprint(attendance_bp)
    app.register_blueprint(evaluations_bp)
    app.register_blueprint(evaluation_sessions_bp)
    app.register_blueprint(evaluation_participant_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(statements_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(evaluation_reports_bp)
    app.register_blueprint(debug_sending_bp)


def _connect_areas(app: Flask) -> None:
    """Areas lower in the flow that act on changes above them (see planner/series/hooks.py).

    Every listener is listed here: the series services call them after each change to a session.
    """
    from planner.attendance.presence import presence_rows
    from planner.dashboard.counting import count_sessions
    from planner.evaluations.listeners import keep_session_evaluation
    from planner.invitations.grid import provide_presence
    from planner.invitations.listeners import notify_session_changed
    from planner.replies.services import forget_proposals
    from planner.series.hooks import on_session_changed
    from planner.series.numbers import count_sessions_with

    on_session_changed(app, notify_session_changed)
    on_session_changed(app, forget_proposals)
    on_session_changed(app, keep_session_evaluation)
    provide_presence(app, presence_rows)  # the grid of answers shows attendance too
    count_sessions_with(app, count_sessions)  # the series page's answers, attendance and evaluation mails


def _register_template_filters(app: Flask) -> None:
    """A session's time and place read the same on every page, mail and letter."""
    from planner.series.presentation import TEMPLATE_FILTERS

    for name, function in TEMPLATE_FILTERS.items():
        app.add_template_filter(function, name)

    from planner.links import external_url, webcal

    # Addresses that leave the site (calendar feeds) are built under BASE_URL, as in mails.
    app.add_template_global(external_url, "external_url")
    app.add_template_filter(webcal, "webcal")


def _register_cli(app: Flask) -> None:
    from planner.audit.cli import audit_cli
    from planner.auth.cli import users_cli
    from planner.demo import demo_command
    from planner.evaluations.cli import evaluations_cli
    from planner.invitations.cli import reminders_cli
    from planner.mail.cli import mail_cli
    from planner.privacy.cli import privacy_cli
    from planner.replies.cli import replies_command

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(mail_cli)
    mail_cli.add_command(replies_command)  # `mail replies`: the calendar replies area reads its mailbox
    app.cli.add_command(reminders_cli)
    app.cli.add_command(evaluations_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(privacy_cli)


def _register_error_pages(app: Flask) -> None:
    from planner.people.import_files import MAX_IMPORT_BYTES  # the only upload there is

    messages = {
        400: lambda: _("The request could not be understood. Please check what you entered."),
        403: lambda: _("You do not have access to this page."),
        404: lambda: _("This page does not exist, or you do not have access to it."),
        405: lambda: _("This action is not possible here."),
        413: lambda: _(
            "What you sent is too large. A file to import can be at most %(megabytes)s MB: split a longer list.",
            megabytes=MAX_IMPORT_BYTES // (1024 * 1024),
        ),
        429: lambda: _("Too many attempts. Please wait a few minutes and try again."),
        500: lambda: _("Something went wrong on our side. Please try again later."),
    }

    def render_error(error):
        code = getattr(error, "code", 500) or 500
        message = messages.get(code, messages[500])()
        return render_template("error.html", code=code, message=message), code

    for code in messages:
        app.register_error_handler(code, render_error)

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        message = _("This form has expired or was not sent from this site. Please try again.")
        return render_template("error.html", code=400, message=message), 400


def _refuse_nul_characters():
    """No one types a NUL character (U+0000), and PostgreSQL can neither store nor compare one: an
    address or query that carries one is answered before any query sees it. An address with one names
    nothing (the page's own "not found"); a query with one is refused with a message. (Forms lose
    control characters as they are read: ``planner.forms``.)"""
    if "\x00" in request.path:
        abort(404)
    if any("\x00" in name or "\x00" in value for name, value in request.args.items(multi=True)):
        message = _("The address contains a character that cannot be used (NUL). Remove it and try again.")
        return render_template("error.html", code=400, message=message), 400
    return None


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response
