"""What the reply tests share: invites read back from the outbox, replies built for them."""

from __future__ import annotations

import icalendar
from sqlalchemy import select

from planner.audit.models import AuditEvent
from planner.extensions import db
from planner.mail.models import OutboxMessage
from tests.replies.corpus import build, reply_values


def mails_to(invitation) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.reference == invitation.mail_reference).order_by(OutboxMessage.id)
        )
    )


def templates_of(invitation) -> list[str]:
    """The mails queued for this invitation, by what they are: their iTIP method or their subject."""
    return [m.calendar_method or m.subject for m in mails_to(invitation)]


def organizer_of_invite(invitation, session) -> str:
    """The ORGANIZER address of the newest invite this person got for this session."""
    invites = [m for m in mails_to(invitation) if m.calendar_method == "REQUEST" and session.uid in m.calendar_body]
    assert invites, f"{invitation.person.name} got no invite for {session.title}"
    event = next(iter(icalendar.Calendar.from_ical(invites[-1].calendar_body).walk("VEVENT")))
    return str(event["ORGANIZER"]).removeprefix("mailto:")


def reply_to_invite(name: str, invitation, session, **overrides) -> bytes:
    """The corpus reply ``name``, as this person's client sends it to their invite's organiser."""
    to = overrides.pop("to", None) or organizer_of_invite(invitation, session)
    return build(name, reply_values(session, invitation.person, to, **overrides))


def calendar_audit() -> list[AuditEvent]:
    entries = select(AuditEvent).where(AuditEvent.actor == "calendar").order_by(AuditEvent.id)
    return list(db.session.scalars(entries))
