"""The privacy and accessibility statements: one URL each, the language from the usual switch.

The text is long prose, kept as one template per language rather than as hundreds of
catalogue entries, so each version reads as a whole and can be checked by a reader."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_babel import get_locale

bp = Blueprint("statements", __name__)

LANGUAGES = ("nl", "en")


def _language() -> str:
    language = str(get_locale())
    return language if language in LANGUAGES else "nl"


@bp.get("/privacy")
def privacy():
    return render_template(
        f"statements/privacy.{_language()}.html",
        contact=current_app.config.get("PRIVACY_CONTACT", ""),
    )


@bp.get("/toegankelijkheid")
def accessibility():
    return render_template(
        f"statements/accessibility.{_language()}.html",
        contact=current_app.config.get("PRIVACY_CONTACT", ""),
    )
