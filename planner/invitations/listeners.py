"""What the invitations area does when an organiser changes a session.

Registered in create_app with planner.series.hooks.on_session_changed, so the series
area never imports invitations (arrows point down the flow).
"""

from __future__ import annotations

from datetime import datetime

from planner.extensions import db
from planner.invitations.calendar import attendees_of, changes_between, queue_cancel, queue_request
from planner.invitations.services import fill_free_seats
from planner.series.hooks import SessionSnapshot
from planner.series.models import Session


def notify_session_changed(session: Session, before: SessionSnapshot, now: datetime) -> None:
    """Moved, new place or link: an update (same UID, higher SEQUENCE) with what changed in
    words; cancelled: METHOD:CANCEL; a higher capacity: the waiting list moves up."""
    if session.sequence != before.sequence and session.ends_at > now:
        changes = changes_between(before, session)
        with db.session.no_autoflush:
            for rsvp in attendees_of(session):
                if session.is_cancelled:
                    queue_cancel(rsvp, now, template="session_cancelled")
                else:
                    queue_request(rsvp, now, template="session_changed", changes=changes)
    if not session.is_cancelled and before.capacity is not None and (
        session.capacity is None or session.capacity > before.capacity
    ):
        fill_free_seats(session, now=now)
