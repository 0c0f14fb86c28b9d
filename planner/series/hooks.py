"""Who else must act when an organiser changes a session.

The series area sits above invitations in the flow and must not import it, yet a moved
or cancelled session has to reach everyone who said they would come. So areas further
down the flow register a listener here when the app is built (``create_app``), and the
series views call ``session_changed`` after changing a session, before they commit:
whatever the listeners queue (mail, seats) is part of the same transaction.

Listeners are kept per app (in ``app.extensions``), so test apps never share them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app

from planner.series.models import Session
from planner.series.presentation import session_place

EXTENSION_KEY = "reeks.session_changed_listeners"


@dataclass(frozen=True)
class SessionSnapshot:
    """A session as it was before a change, to tell what changed (old → new)."""

    starts_at: datetime
    ends_at: datetime
    venue_id: int | None
    place: str
    online_url: str
    capacity: int | None
    status: str
    sequence: int


def snapshot(session: Session) -> SessionSnapshot:
    return SessionSnapshot(
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        venue_id=session.venue_id,
        place=session_place(session),
        online_url=session.online_url,
        capacity=session.capacity,
        status=session.status,
        sequence=session.sequence,
    )


Listener = Callable[[Session, SessionSnapshot, datetime], None]


def on_session_changed(app: Flask, listener: Listener) -> None:
    """Register ``listener(session, before, now)``; called once per changed session."""
    app.extensions.setdefault(EXTENSION_KEY, []).append(listener)


def session_changed(session: Session, before: SessionSnapshot, now: datetime) -> None:
    for listener in current_app.extensions.get(EXTENSION_KEY, []):
        listener(session, before, now)
