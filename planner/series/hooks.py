"""Who else must act when a session changes: the one place the series area tells others.

The series area sits above invitations in the flow and must not import it, yet a moved or
cancelled session has to reach everyone who said they would come. So areas further down the
flow register a listener here when the app is built (``_connect_areas`` in ``create_app``
lists every one), and the series services (``planner/series/services.py``) call
``session_changed`` themselves after every change to a session: moving or editing it, a new
capacity, cancelling it, adding or removing it (a new series: one change per new session),
or a new series title or venue. Whatever the
listeners queue (mail, seats) is part of the same transaction; the caller only commits.

What a participant can see of a session is decided here too (``visible_changes``): the
services raise a session's calendar SEQUENCE exactly when that list is not empty, and the
update mail lists those changes, so an update never arrives with nothing in it.

Listeners are kept per app (in ``app.extensions``), so test apps never share them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask, current_app

from planner.series.models import Session
from planner.series.presentation import session_place

EXTENSION_KEY = "reeks.session_changed_listeners"


@dataclass(frozen=True)
class SessionSnapshot:
    """A session as a participant could see it before a change, to tell what changed (old → new)."""

    starts_at: datetime
    ends_at: datetime
    place: str
    online_url: str
    title: str  # the calendar title: the series' title (never the session's theme)
    capacity: int | None
    status: str
    sequence: int


def snapshot(session: Session) -> SessionSnapshot:
    return SessionSnapshot(
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        place=session_place(session),
        online_url=session.online_url,
        title=session.series.title,
        capacity=session.capacity,
        status=session.status,
        sequence=session.sequence,
    )


@dataclass(frozen=True)
class Change:
    what: str  # "title", "when", "place" or "online"
    old: Any  # a (start, end) pair for "when", else text
    new: Any


def visible_changes(before: SessionSnapshot, after: SessionSnapshot) -> list[Change]:
    """What a participant's calendar shows differently; empty for capacity, theme, agenda, audiences."""
    changes = []
    if before.title != after.title:
        changes.append(Change("title", before.title, after.title))
    if (before.starts_at, before.ends_at) != (after.starts_at, after.ends_at):
        changes.append(Change("when", (before.starts_at, before.ends_at), (after.starts_at, after.ends_at)))
    if before.place != after.place:
        changes.append(Change("place", before.place, after.place))
    if before.online_url != after.online_url:
        changes.append(Change("online", before.online_url, after.online_url))
    return changes


# What a participant sees but need not be mailed about: a corrected title (its calendar entry
# in a subscribed feed follows anyway). The organiser chooses; see ``SessionChange.tell_minor``.
MINOR_CHANGES = {"title"}


@dataclass(frozen=True)
class SessionChange:
    """One change to one session, as the listeners get it."""

    session: Session
    before: SessionSnapshot | None  # None: the session is new
    now: datetime
    removed: bool = False  # the session is being deleted (only drafts lose sessions)
    copied_from: Session | None = None  # a new session made as a copy of this one (a next round)
    tell_minor: bool = True  # False: a correction alone (MINOR_CHANGES) changes calendars without a mail

    def changes_to_mail(self) -> list[Change]:
        """The visible changes worth a mail: all of them, unless they are corrections only that
        the organiser chose not to mail about. Empty: no mail (the calendar feed still follows)."""
        if self.before is None:
            return []
        changes = visible_changes(self.before, snapshot(self.session))
        if not self.tell_minor and all(change.what in MINOR_CHANGES for change in changes):
            return []
        return changes


Listener = Callable[[SessionChange], None]


def on_session_changed(app: Flask, listener: Listener) -> None:
    """Register ``listener(change)``; called once per changed session, inside the transaction."""
    app.extensions.setdefault(EXTENSION_KEY, []).append(listener)


def session_changed(change: SessionChange) -> None:
    """Called by the series services only; other areas react, they do not call this."""
    for listener in current_app.extensions.get(EXTENSION_KEY, []):
        listener(change)
