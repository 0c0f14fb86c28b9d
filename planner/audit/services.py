"""Write to the audit trail. Callers pass who and from where; this module knows no request."""

from __future__ import annotations

from planner.audit.models import AuditAction, AuditEvent
from planner.extensions import db


def record_event(
    *,
    actor,
    action: AuditAction,
    object_type: str,
    object_id: object = "",
    detail: str = "",
    ip_address: str = "",
    source: str = "",
) -> AuditEvent:
    """Add one entry to the caller's transaction, so it exists exactly when the access happened.

    ``actor`` is a staff user, or a string such as "participant" or "system".
    ``detail`` must not hold names or addresses: the trail is kept longer than the data.
    """
    if isinstance(actor, str):
        actor_id, actor_label = None, actor
    else:
        actor_id, actor_label = actor.id, actor.email
    event = AuditEvent(
        actor_id=actor_id,
        actor=actor_label,
        action=str(action),
        object_type=object_type,
        object_id=str(object_id)[:64],
        detail=detail[:300],
        ip_address=ip_address[:45],
        source=source[:200],
    )
    db.session.add(event)
    return event
