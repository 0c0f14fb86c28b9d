"""A calendar reply becomes an answer, by the same rules as the personal page.

A reply is matched to one rsvp: by the reply token in the address it was sent to (see
planner/calendar/reply_address.py), else by the session's UID and the attendee's address,
and then only when the mail comes from that address (every invitee of a session knows its
UID, so the UID alone must not let one person answer for another). Then
``planner.invitations.seats.answer`` does the rest: a decline frees the seat and moves
the waiting list, an accept for a full session goes on the waiting list.

Services add and flush; the caller commits, and records each message exactly once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select, update

from planner.audit.models import AuditAction
from planner.audit.services import record_event
from planner.calendar.reply_address import token_in
from planner.extensions import db
from planner.invitations.mails import queue_about
from planner.invitations.models import Answer, AnsweredVia, Invitation, Rsvp
from planner.invitations.services import InvitationError, answer, waiting_places
from planner.people.models import Person
from planner.replies.models import CalendarReply, Outcome
from planner.replies.parsing import COUNTER, Attendee, ItipItem, ParsedMessage
from planner.series.hooks import SessionChange
from planner.series.models import Session
from planner.timekeeping import utcnow

log = logging.getLogger("planner.replies")

ANSWERS = {"ACCEPTED": Answer.YES, "TENTATIVE": Answer.MAYBE, "DECLINED": Answer.NO}
# When one message holds several events, the message counts as its weightiest outcome.
WEIGHT = [Outcome.APPLIED, Outcome.PROPOSAL, Outcome.UNCHANGED, Outcome.IGNORED, Outcome.REFUSED]
AUDIT_ACTOR = "calendar"


@dataclass
class Result:
    outcome: Outcome
    reason: str = ""
    rsvp: Rsvp | None = None


def recorded(key: str) -> CalendarReply | None:
    return db.session.scalar(select(CalendarReply).where(CalendarReply.message_key == key))


def record_message(parsed: ParsedMessage, *, now: datetime | None = None) -> CalendarReply:
    """Apply what the message says and record that it was read, in the caller's transaction.

    The record is flushed first: a second worker holding the same message waits for this
    transaction and then fails on the unique key, instead of applying the reply again.
    """
    now = now or utcnow()
    record = CalendarReply(message_key=parsed.key, processed_at=now, outcome=Outcome.REFUSED)
    db.session.add(record)
    db.session.flush()
    if parsed.kind == "itip":
        result = _apply_items(parsed, record, now)
    elif parsed.kind == "auto_reply":
        result = Result(Outcome.AUTO_REPLY, parsed.reason)
    elif parsed.kind == "not_calendar":
        result = Result(Outcome.NOT_CALENDAR, parsed.reason)
    else:
        result = Result(Outcome.REFUSED, parsed.reason)
    record.outcome, record.reason = result.outcome, result.reason[:300]
    record.rsvp_id = result.rsvp.id if result.rsvp is not None else None
    db.session.flush()
    log.info("Calendar reply %s: %s %s", parsed.key[:12], result.outcome, result.reason)
    return record


def _apply_items(parsed: ParsedMessage, record: CalendarReply, now: datetime) -> Result:
    results = []
    for item in parsed.items:
        result = _apply_item(parsed, item, record, now)
        results.append(result)
        if result.rsvp is not None and not record.method:
            record.method, record.stamped_at = item.method, _stamp(parsed, item, now)
            record.partstat = _attendee_of(item, result.rsvp.invitation.person).partstat
    best = min(results, key=lambda r: WEIGHT.index(r.outcome))
    reasons = "; ".join(dict.fromkeys(r.reason for r in results if r.reason))
    return Result(best.outcome, reasons, best.rsvp)


def _stamp(parsed: ParsedMessage, item: ItipItem, now: datetime) -> datetime:
    return item.stamped_at or parsed.sent_at or now


def _apply_item(parsed: ParsedMessage, item: ItipItem, record: CalendarReply, now: datetime) -> Result:
    session = db.session.scalar(select(Session).where(Session.uid == item.uid))
    if session is None:
        return Result(Outcome.REFUSED, "no session has this UID")
    found = _match(parsed, item, session)
    if isinstance(found, str):
        return Result(Outcome.REFUSED, found)
    invitation, rsvp = found
    refusal = _why_not(invitation, session, item, now)
    if refusal:
        return Result(Outcome.IGNORED, refusal, rsvp)
    if item.method == COUNTER:
        return _keep_proposal(rsvp, item, now)
    partstat = _attendee_of(item, invitation.person).partstat
    wanted = ANSWERS.get(partstat)
    if wanted is None:
        return Result(Outcome.IGNORED, f"PARTSTAT {partstat or '(none)'} is no answer", rsvp)
    stamped = _stamp(parsed, item, now)
    newer = _newer_than(rsvp, stamped, record)
    if newer:
        return Result(Outcome.IGNORED, newer, rsvp)
    if rsvp.answer == wanted:
        return Result(Outcome.UNCHANGED, "", rsvp)
    was_waiting = rsvp.is_waiting
    try:
        answer(invitation, session, wanted, now=now, via=AnsweredVia.CALENDAR)
    except InvitationError as error:
        return Result(Outcome.IGNORED, error.code, rsvp)
    if rsvp.is_waiting and not was_waiting:
        queue_about(
            invitation, "replies/waiting_list", [session], extra={"place": waiting_places(invitation).get(session.id)}
        )
    record_event(
        actor=AUDIT_ACTOR,
        action=AuditAction.CHANGE,
        object_type="rsvp",
        object_id=rsvp.id,
        detail=f"answer {wanted} from a calendar reply",
        source="flask mail replies",
    )
    return Result(Outcome.APPLIED, "", rsvp)


def _match(parsed: ParsedMessage, item: ItipItem, session: Session) -> tuple[Invitation, Rsvp] | str:
    """The invitation and rsvp this reply is about, or why there is none."""
    mailbox = current_app.config.get("REPLY_MAILBOX_ADDRESS")
    token = token_in(mailbox, parsed.recipients) if mailbox else None
    invitation = None
    if token:
        invitation = db.session.scalar(select(Invitation).where(Invitation.reply_token == token))
        if invitation is not None and invitation.series_id != session.series_id:
            return "the UID belongs to another series than the reply address"
    if invitation is None:
        by_attendee = _by_attendee(parsed, item, session)
        if isinstance(by_attendee, str):
            return by_attendee
        invitation = by_attendee
    rsvp = next((r for r in invitation.rsvps if r.session_id == session.id), None)
    if rsvp is None:
        return "not invited to this session"
    return invitation, rsvp


def _by_attendee(parsed: ParsedMessage, item: ItipItem, session: Session) -> Invitation | str:
    addresses = [attendee.email for attendee in item.attendees]
    if parsed.sender not in addresses:
        return "no reply address, and the sender is not the attendee"
    invitation = db.session.scalar(
        select(Invitation)
        .join(Invitation.person)
        .where(Invitation.series_id == session.series_id, func.lower(Person.email) == parsed.sender)
    )
    return invitation if invitation is not None else "no invitation for this attendee"


def _attendee_of(item: ItipItem, person: Person) -> Attendee:
    """The attendee line about this person; with one line only, that one (an alias of theirs)."""
    email = (person.email or "").lower()
    return next((a for a in item.attendees if a.email == email), item.attendees[0])


def _why_not(invitation: Invitation, session: Session, item: ItipItem, now: datetime) -> str:
    if invitation.is_revoked:
        return "invitation_revoked"
    if session.is_cancelled:
        return "session_cancelled"
    if session.starts_at <= now:
        return "session_started"
    if item.sequence < session.sequence:
        return f"reply to an older version (SEQUENCE {item.sequence} < {session.sequence})"
    return ""


def _newer_than(rsvp: Rsvp, stamped: datetime, record: CalendarReply) -> str:
    """Why an answer on record outweighs this reply, if it does."""
    if rsvp.answered_via is None and rsvp.answered_at is not None and rsvp.answered_at > stamped:
        return "answered on the personal page after this reply"
    later = db.session.scalar(
        select(CalendarReply.id)
        .where(
            CalendarReply.rsvp_id == rsvp.id,
            CalendarReply.id != record.id,
            CalendarReply.outcome.in_([Outcome.APPLIED, Outcome.UNCHANGED]),
            CalendarReply.stamped_at >= stamped,
        )
        .limit(1)
    )
    return "a reply as new or newer was already applied" if later else ""


def _keep_proposal(rsvp: Rsvp, item: ItipItem, now: datetime) -> Result:
    rsvp.proposed_starts_at, rsvp.proposed_ends_at = item.starts_at, item.ends_at
    rsvp.proposed_at, rsvp.proposal_comment = now, item.comment
    record_event(
        actor=AUDIT_ACTOR,
        action=AuditAction.CHANGE,
        object_type="rsvp",
        object_id=rsvp.id,
        detail="another time proposed from a calendar",
        source="flask mail replies",
    )
    return Result(Outcome.PROPOSAL, "", rsvp)


def forget_proposals(change: SessionChange) -> None:
    """A session that moved or changed has a new time: proposals for the old one are answered."""
    session, before = change.session, change.before
    if before is None or change.removed or session.sequence == before.sequence:
        return
    db.session.execute(
        update(Rsvp)
        .where(Rsvp.session_id == session.id, Rsvp.proposed_at.is_not(None))
        .values(proposed_starts_at=None, proposed_ends_at=None, proposed_at=None, proposal_comment=""),
        execution_options={"synchronize_session": False},
    )
