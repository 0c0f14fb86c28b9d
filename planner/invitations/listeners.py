"""What the invitations area does when a session changes.

Registered in create_app with planner.series.hooks.on_session_changed, so the series
area never imports invitations (arrows point down the flow). The series services call it
inside their transaction, whoever called them (a page, a command, the demo).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from planner.extensions import db
from planner.invitations.calendar import attendees_of, queue_cancel, queue_request
from planner.invitations.services import fill_free_seats
from planner.people.models import Person
from planner.series.hooks import SessionChange
from planner.series.models import Session


def notify_session_changed(change: SessionChange) -> None:
    """Cancelled: METHOD:CANCEL. Changed where a calendar shows it: an update (same UID, the
    higher SEQUENCE the services gave it) with what changed, old → new; nothing else changed
    (capacity, theme, agenda): no mail. A higher capacity: the waiting list moves up.
    A new session has nobody invited yet, only drafts (never invited) lose one, and a
    session that is over needs nothing. Reinstated (cancelled → scheduled): everyone who said
    yes with a seat, or maybe, gets a fresh invite (same UID, higher SEQUENCE), and free seats
    go to the waiting list."""
    session, before, now = change.session, change.before, change.now
    if before is None or change.removed or session.ends_at <= now:
        return
    with db.session.no_autoflush:
        if session.is_cancelled:
            if before.status != session.status:
                for rsvp in attendees_of(session):
                    queue_cancel(rsvp, now, template="session_cancelled")
            return
        if before.status != session.status:
            for rsvp in attendees_of(session):
                queue_request(rsvp, now, template="session_reinstated")
            fill_free_seats(session, now=now)
            return
        changes = change.changes_to_mail()
        if changes:
            for rsvp in attendees_of(session):
                queue_request(rsvp, now, template="session_changed", changes=changes)
    if before.capacity is not None and (session.capacity is None or session.capacity > before.capacity):
        fill_free_seats(session, now=now)


@dataclass
class ReinstateNotice:
    """Who a reinstated session would reach: people mailed, per language, and those we cannot mail."""

    mails: dict[str, list[Person]] = field(default_factory=dict)
    not_mailed: list[Person] = field(default_factory=list)


def reinstate_notice(session: Session) -> ReinstateNotice:
    """What planning a cancelled session again would send (nothing is queued): a fresh invite
    for everyone who had it in their calendar (yes with a seat, or maybe)."""
    mails: dict[str, list[Person]] = defaultdict(list)
    not_mailed = []
    for rsvp in attendees_of(session):
        person = rsvp.invitation.person
        if person.can_be_mailed:
            mails[person.language].append(person)
        else:
            not_mailed.append(person)
    return ReinstateNotice(dict(mails), not_mailed)
