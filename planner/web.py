"""What every page does around a service call, written once.

A view reads its input, then runs the service inside ``service_call``::

    with service_call(form):
        update_series_details(series, details)
        db.session.commit()
        flash(_("Series saved."), "success")
        return redirect(...)
    return render_template("series/edit.html", form=form), form_status(form)

When the service refuses (a ``DomainError``), the block stops, the transaction is rolled back
(nothing half-saved), and the message, in the reader's language, goes beside the form field the
error names, above the form, or (without a form) into a flash message. The page is then shown
again with ``form_status``: 422 while a form has errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from flask import abort, flash, redirect
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from sqlalchemy.exc import IntegrityError

from planner.errors import DomainError
from planner.extensions import db
from planner.forms import Form

T = TypeVar("T")


def found_or_404(item: T | None) -> T:
    """What a URL names, or "not found" (404) when it is not there: a loader's last line."""
    if item is None:
        abort(404)
    return item


@dataclass
class Outcome:
    """What ``service_call`` saw: the refusal, if there was one."""

    error: DomainError | None = None

    @property
    def refused(self) -> bool:
        return self.error is not None


def show_refusal(
    error: DomainError,
    form: Form | None = None,
    *,
    field: str | None = None,
    fields: Mapping[str, str] | None = None,
) -> None:
    """Put the message of ``error`` beside its field (the one the error names, else ``field``;
    renamed by ``fields`` when the form calls it differently), above the form, or in a flash."""
    if form is None:
        flash(error.message, "error")
        return
    name = error.field or field
    name = (fields or {}).get(name or "", name)
    if name and name in form:
        form[name].errors = [*form[name].errors, error.message]
    else:
        form.form_errors.append(error.message)


@contextmanager
def service_call(
    form: Form | None = None,
    *,
    field: str | None = None,
    fields: Mapping[str, str] | None = None,
    commit_refusal: bool = False,
    show: bool = True,
    conflict: Callable[[], DomainError] | None = None,
) -> Iterator[Outcome]:
    """Run the block; on a ``DomainError`` roll back and show the refusal (see ``show_refusal``).

    ``commit_refusal`` commits instead, for a service that writes down the refused try itself
    (a failed login counts towards the throttle). ``show=False`` leaves the telling to the page,
    which reads ``outcome.error``. ``conflict`` makes the refusal for a unique constraint the
    commit hit: someone stored the same between the service's check and the commit."""
    outcome = Outcome()
    try:
        yield outcome
    except (DomainError, IntegrityError) as refusal:
        if isinstance(refusal, IntegrityError) and conflict is None:
            raise
        if commit_refusal:
            db.session.commit()
        else:
            db.session.rollback()
        error = refusal if isinstance(refusal, DomainError) else conflict()  # type: ignore[misc]
        outcome.error = error
        if show:
            show_refusal(error, form, field=field, fields=fields)


def _policy(styles: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            f"style-src {styles}",
            "img-src 'self' data:",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "object-src 'none'",
        ]
    )


# Every page's Content-Security-Policy (set in create_app), and the one of a page that shows a
# mail: its preview frame (srcdoc, sandboxed, so no script) inherits the page's policy, and a
# mail's styles are inline.
CONTENT_SECURITY_POLICY = _policy("'self'")
MAIL_PREVIEW_POLICY = _policy("'self' 'unsafe-inline'")


def form_status(*forms: Form) -> int:
    """422 when any of the forms has an error to show, else 200."""
    return 422 if any(form.errors or form.form_errors for form in forms) else 200


def current_language() -> str:
    """The language of this request's page ("nl" or "en")."""
    return str(get_locale())


def act_and_redirect(action: Callable[[], object], done: str, to: str) -> ResponseReturnValue:
    """A button's whole route after its checks: run ``action`` (one service call), commit and
    flash ``done``; a refusal is rolled back and flashed instead. Either way, go to ``to``."""
    with service_call():
        action()
        db.session.commit()
        flash(done, "success")
    return redirect(to)
