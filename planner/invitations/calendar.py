"""Calendar invites for participants: who gets which iTIP message, and when.

Someone is "in the calendar" for a session when they said maybe, or said yes and hold a
seat (people on the waiting list get their invite when they move up). Every change that
puts a session in, out of, or changes it in someone's calendar queues one mail with one
iTIP message (one UID) in the same transaction. The bytes come from planner.calendar.ics.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from email.utils import parseaddr

from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from planner.calendar.ics import CalendarEvent, Contact, Method, PartStat, itip_cancel, itip_request
from planner.calendar.reply_address import new_reply_token, reply_address
from planner.extensions import db
from planner.invitations.mails import change_lines, personal_link, programme_text, queue_about
from planner.invitations.models import Answer, Invitation, Rsvp, Seat
from planner.series.hooks import Change
from planner.series.models import Session
from planner.series.presentation import session_place


def in_calendar(rsvp: Rsvp) -> bool:
    return rsvp.answer == Answer.MAYBE or (rsvp.answer == Answer.YES and rsvp.seat == Seat.CONFIRMED)


def partstat(rsvp: Rsvp) -> str:
    return PartStat.TENTATIVE if rsvp.answer == Answer.MAYBE else PartStat.ACCEPTED


def calendar_event(session: Session, invitation: Invitation | None = None) -> CalendarEvent:
    """A session as calendars show it: the neutral series title, never the theme.

    With an invitation the description holds the personal link, the theme and programme and a
    cancellation's reason; without one (the public feed) it holds nothing personal and no free
    text: a cancelled session is only STATUS:CANCELLED.
    """
    lines = []
    if invitation is not None:
        with force_locale(invitation.person.language):
            lines.append(_("Your answers and details: %(link)s", link=personal_link(invitation)))
            if session.theme.strip():
                lines.append(_("Theme: %(theme)s", theme=session.theme.strip()))
            if session.agenda.strip():
                lines.append(_("Programme:") + "\n" + programme_text(session))
    if session.online_url:
        lines.append(session.online_url)
    if session.is_cancelled and session.cancel_reason and invitation is not None:
        lines.append(session.cancel_reason)  # free text for those invited, not for the public feed
    return CalendarEvent(
        uid=session.uid,
        sequence=session.sequence,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        tzid=session.timezone,
        summary=session.series.title,
        location=session_place(session),
        description="\n".join(lines),
        cancelled=session.is_cancelled,
    )


def organizer(invitation: Invitation | None = None) -> Contact:
    """The sender; with REPLY_MAILBOX_ADDRESS set, an address of that mailbox for this invitation,
    so that the reply a calendar sends to its organiser finds its way back (planner.replies)."""
    name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    mailbox = current_app.config.get("REPLY_MAILBOX_ADDRESS")
    if mailbox and invitation is not None:
        if invitation.reply_token is None:
            invitation.reply_token = new_reply_token()
        address = reply_address(mailbox, invitation.reply_token)
    return Contact(name or "Reeks", address)


def _attendee(invitation: Invitation) -> Contact:
    return Contact(invitation.person.name, invitation.person.email or "")  # only people with an address get one


def queue_request(rsvp: Rsvp, now: datetime, template: str = "calendar_invite", changes: Iterable[Change] = ()) -> None:
    """An invite (or an update replacing it, with what changed) for this person and this session."""
    invitation = rsvp.invitation
    extra = {"changes": change_lines(changes, invitation.person.language)}
    if invitation.person.needs_letter:  # on paper: no calendar part
        queue_about(invitation, template, [rsvp.session], extra=extra)
        return
    if not invitation.person.can_be_mailed:
        return
    body = itip_request(
        calendar_event(rsvp.session, invitation),
        organizer=organizer(invitation),
        attendee=_attendee(invitation),
        partstat=partstat(rsvp),
        stamp=now,
        rsvp=bool(current_app.config.get("REPLY_MAILBOX_ADDRESS")),  # replies are read back
    )
    queue_about(
        invitation,
        template,
        [rsvp.session],
        calendar=(Method.REQUEST, body),
        extra=extra,
    )


def queue_cancel(rsvp: Rsvp, now: datetime, template: str = "calendar_removed") -> None:
    """Take this session out of this person's calendar."""
    invitation = rsvp.invitation
    extra = {"reason": rsvp.session.cancel_reason}
    if invitation.person.needs_letter:  # on paper: no calendar part
        queue_about(invitation, template, [rsvp.session], extra=extra)
        return
    if not invitation.person.can_be_mailed:
        return
    body = itip_cancel(
        calendar_event(rsvp.session, invitation),
        organizer=organizer(invitation),
        attendee=_attendee(invitation),
        stamp=now,
    )
    queue_about(
        invitation,
        template,
        [rsvp.session],
        calendar=(Method.CANCEL, body),
        extra=extra,
    )


def after_answer(rsvp: Rsvp, was_in: bool, was_partstat: str | None, now: datetime) -> None:
    """Send what a changed answer means for this person's calendar."""
    if rsvp.session.is_cancelled or rsvp.session.starts_at <= now:
        return
    if in_calendar(rsvp):
        if not was_in or partstat(rsvp) != was_partstat:
            queue_request(rsvp, now)
    elif was_in:
        queue_cancel(rsvp, now)


def attendees_of(session: Session) -> list[Rsvp]:
    rsvps = db.session.scalars(
        select(Rsvp)
        .join(Rsvp.invitation)
        .where(
            Rsvp.session_id == session.id, Invitation.revoked_at.is_(None), Rsvp.answer.in_([Answer.YES, Answer.MAYBE])
        )
        .options(joinedload(Rsvp.invitation).joinedload(Invitation.person))
        .order_by(Rsvp.id)
    ).all()
    return [rsvp for rsvp in rsvps if in_calendar(rsvp)]
