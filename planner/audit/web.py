"""The audit trail from a web request: the logged-in user, their address and the page (no secrets)."""

from __future__ import annotations

from flask import request
from flask_login import current_user

from planner.audit.models import AuditAction
from planner.audit.paths import path_without_secrets
from planner.audit.services import record_event
from planner.extensions import db


def audit(action: AuditAction, object_type: str, object_id: object = "", detail: str = "", *, actor=None):
    """Record an access made in this request; ``actor`` defaults to the logged-in staff user."""
    if actor is None:
        actor = current_user if current_user.is_authenticated else "participant"
    return record_event(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        ip_address=request.remote_addr or "",
        source=f"{request.method} {_page()}",
    )


def _page() -> str:
    rule = request.url_rule
    return path_without_secrets(rule.rule if rule is not None else None, request.view_args, request.path)


def ids_detail(label: str, ids) -> str:
    """ "label: 3,5,8" for a page that showed these objects, cut to fit the detail column."""
    text = f"{label}: " + ",".join(str(i) for i in ids)
    return text if len(text) <= 300 else text[:299] + "…"


def audited(
    page,
    action: AuditAction,
    object_type: str,
    object_id: object = "",
    detail: str = "",
    *,
    status: int = 200,
    actor=None,
):
    """Return ``page`` (rendered already) after recording that it was seen and committing.

    The page is made first: the commit expires what it loaded, and a page that fails to render
    leaves no entry saying it was shown.
    """
    audit(action, object_type, object_id, detail, actor=actor)
    db.session.commit()
    return page, status
