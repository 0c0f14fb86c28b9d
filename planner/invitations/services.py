"""The rules of inviting: who is invited to what, what they tell us, and their calendar feeds.

Answers, seats and the waiting list live in ``planner.invitations.seats``; their functions are
importable from here as well, so callers have one place for the invitation rules.
Services add and flush; the caller commits. Mails are outbox rows in the same transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, insert, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from planner.extensions import db
from planner.invitations.bulk import plan_reminders, send_mailing
from planner.invitations.codes import new_codes
from planner.invitations.errors import InvitationError
from planner.invitations.mails import queue_about
from planner.invitations.models import Answer, CalendarFeed, Invitation, Rsvp
from planner.invitations.seats import (
    SQLITE_BUSY_TIMEOUT_MS,
    answer,
    confirmed_count,
    fill_free_seats,
    lock_session,
    move_to_session,
    place_by_hand,
    promote_from_waitlist,
    revoke_invitation,
    waiting_places,
)
from planner.mail.models import OutboxMessage
from planner.mail.services import queued_together
from planner.people.details import PersonDetails, check_person_details
from planner.people.errors import PeopleError
from planner.people.models import Organisation, Person, PersonRole
from planner.people.pasting import PastedAddress, read_pasted_addresses
from planner.people.services import add_people, addresses_in_use
from planner.series.models import Series, Session, SessionStatus
from planner.series.services import refuse_if_archived
from planner.timekeeping import utcnow

# The seat rules are re-exported: callers import every invitation rule from this module.
__all__ = [
    "SQLITE_BUSY_TIMEOUT_MS",
    "InvitationError",
    "InviteResult",
    "active_feed",
    "add_person_by_hand",
    "answer",
    "confirmed_count",
    "fill_free_seats",
    "invite_people",
    "link_expired",
    "lock_session",
    "move_to_session",
    "new_token",
    "newcomers_in",
    "open_sessions",
    "people_from_addresses",
    "people_of_organisation",
    "people_with_role",
    "place_by_hand",
    "promote_from_waitlist",
    "remind_unanswered",
    "renew_feed",
    "resend_invitation",
    "revoke_invitation",
    "save_needs",
    "unanswered_invitations",
    "waiting_places",
]

TOKEN_BYTES = 24  # 192 random bits


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


# Whom to invite.


def people_of_organisation(organisation: Organisation) -> list[Person]:
    query = select(Person).where(Person.organisation_id == organisation.id).order_by(Person.name)
    return list(db.session.scalars(query))


def people_with_role(role: str) -> list[Person]:
    if role not in set(PersonRole):
        raise InvitationError("unknown_role", role=role)
    return list(db.session.scalars(select(Person).where(Person.role == role).order_by(Person.name)))


def newcomers_in(text: str) -> list[PastedAddress]:
    """The pasted addresses that belong to nobody yet, with the name pasted beside each ("" for a
    bare address); refuses (invalid_emails) if any piece is not an address. Reads only."""
    pasted = read_pasted_addresses(text)
    if pasted.bad:
        raise InvitationError("invalid_emails", emails=", ".join(pasted.bad))
    known = addresses_in_use(p.address for p in pasted.addresses)
    return [p for p in pasted.addresses if p.address not in known]


def people_from_addresses(text: str, names: Mapping[str, str] | None = None, *, language: str = "nl") -> list[Person]:
    """The persons with these pasted addresses, new ones added as adults with the name pasted
    with their address or given in ``names`` (address → name, which wins).

    All or nothing: refuses if any address is bad, and (names_needed) while a new address has
    no name, before anyone is stored; a name is checked as the person form checks it."""
    pasted = read_pasted_addresses(text)
    if pasted.bad:
        raise InvitationError("invalid_emails", emails=", ".join(pasted.bad))
    addresses = [p.address for p in pasted.addresses]
    known = {
        person.email: person
        for start in range(0, len(addresses), 500)
        for person in db.session.scalars(select(Person).where(Person.email.in_(addresses[start : start + 500])))
    }
    names = names or {}
    newcomers = [p for p in pasted.addresses if p.address not in known]
    unnamed = [p.address for p in newcomers if not (names.get(p.address) or p.name).strip()]
    if unnamed:
        raise InvitationError("names_needed", form_field="emails", addresses=", ".join(unnamed))
    details = [
        PersonDetails(name=names.get(p.address) or p.name, role=PersonRole.RESIDENT, email=p.address, language=language)
        for p in newcomers
    ]
    for one in details:
        try:
            check_person_details(one)
        except PeopleError as problem:
            raise InvitationError(
                "newcomer_refused", form_field="emails", address=one.email, reason=problem.message
            ) from problem
    added = {person.email: person for person in add_people(details)}
    return [known.get(address) or added[address] for address in addresses]


# Inviting.


@dataclass
class InviteResult:
    invited: list[Invitation] = field(default_factory=list)  # new (or revoked, invited again)
    extended: list[Invitation] = field(default_factory=list)  # already invited, sessions added
    unchanged: list[Invitation] = field(default_factory=list)

    @property
    def letters(self) -> list[Invitation]:
        """New invitations for people without e-mail: they need a printed letter."""
        return [i for i in self.invited if i.person.needs_letter]


def open_sessions(series: Series, now: datetime | None = None) -> list[Session]:
    now = now or utcnow()
    return [s for s in series.sessions if not s.is_cancelled and s.starts_at > now]


def _check_sessions(series: Series, sessions: Iterable[Session], now: datetime) -> list[Session]:
    chosen = list({s.id: s for s in sessions}.values())
    if not chosen:
        raise InvitationError("no_sessions_chosen")
    for session in chosen:
        if session.series_id != series.id:
            raise InvitationError("session_not_in_series")
        if session.is_cancelled or session.starts_at <= now:
            raise InvitationError("session_not_open", title=session.title)
    return chosen


def invite_people(
    series: Series,
    people: Iterable[Person],
    sessions: Iterable[Session] | None = None,
    *,
    actor=None,
    now: datetime | None = None,
) -> InviteResult:
    """Invite people to the chosen sessions (all open ones by default).

    Someone already invited gets the sessions they miss, never a second invitation.
    Each new invitation queues one mail; people without e-mail get a letter instead
    (``planner.invitations.letters``), with the short code of their link.
    """
    now = now or utcnow()
    if not series.is_published:
        raise InvitationError("series_not_published")
    chosen = _check_sessions(series, open_sessions(series, now) if sessions is None else sessions, now)
    people = list({p.id: p for p in people}.values())
    if not people:
        raise InvitationError("nobody_chosen")
    existing = {
        invitation.person_id: invitation
        for invitation in db.session.scalars(
            select(Invitation)
            .where(Invitation.series_id == series.id, Invitation.person_id.in_([p.id for p in people]))
            .options(selectinload(Invitation.rsvps))
        )
    }
    result = InviteResult()
    actor_id = getattr(actor, "id", None)
    newcomers = [p for p in people if p.id not in existing]
    again = [i for i in existing.values() if i.is_revoked]
    codes = iter(new_codes(len(newcomers) + len(again)))  # a new link, a new code: an old letter's stops working
    for invitation in existing.values():
        if invitation.is_revoked:
            # Invited again after a revocation: a fresh link and a fresh start; the old link stays dead.
            invitation.revoked_at, invitation.token, invitation.invited_by_id = None, new_token(), actor_id
            invitation.short_code = next(codes)
            for rsvp in invitation.rsvps:
                rsvp.answer, rsvp.seat, rsvp.waitlist_position = Answer.PENDING, None, None
        have = {r.session_id for r in invitation.rsvps}
        missing = [s for s in chosen if s.id not in have]
        invitation.rsvps.extend(Rsvp(session_id=s.id, answer=Answer.PENDING) for s in missing)
        if invitation not in again:
            (result.extended if missing else result.unchanged).append(invitation)
    created = _add_invitations(series, newcomers, chosen, codes, actor_id, now)
    db.session.flush()
    sessions_of: dict[int, list[Session]] = {}
    for invitation in again:
        sessions_of[invitation.person_id] = [r.session for r in invitation.rsvps]
    for person in people:  # in the order they were chosen, as their mails go out
        if person.id in created:
            result.invited.append(created[person.id])
            sessions_of[person.id] = chosen
        elif person.id in sessions_of:
            result.invited.append(existing[person.id])
    cache: dict = {}
    with db.session.no_autoflush, queued_together():  # the letters go in with the next flush
        for invitation in result.invited:
            queue_about(invitation, "invitation", sessions_of[invitation.person_id], cache)  # or a letter
    return result


def _add_invitations(
    series: Series, people: list[Person], sessions: list[Session], codes: Iterator[str], actor_id, now: datetime
) -> dict[int, Invitation]:
    """New invitations with a pending answer per session, by person id: two multi-row INSERTs
    (the unit of work spent three times as long on a row each as the statements themselves)."""
    if not people:
        return {}
    rows = [
        {
            "series_id": series.id,
            "person_id": person.id,
            "token": new_token(),
            "short_code": next(codes),
            "invited_by_id": actor_id,
            "created_at": now,
        }
        for person in people
    ]
    invitations = db.session.scalars(insert(Invitation).returning(Invitation), rows).all()
    db.session.execute(
        insert(cast(Table, Rsvp.__table__)),  # rows alone: nothing in the session holds them yet
        [
            {"invitation_id": invitation.id, "session_id": session.id, "answer": Answer.PENDING}
            for invitation in invitations
            for session in sessions
        ],
    )
    by_id = {person.id: person for person in people}
    for invitation in invitations:  # known already: no lookup per mail
        set_committed_value(invitation, "series", series)
        set_committed_value(invitation, "person", by_id[invitation.person_id])
    return {invitation.person_id: invitation for invitation in invitations}


def resend_invitation(invitation: Invitation) -> OutboxMessage | None:
    refuse_if_archived(invitation.series)
    if invitation.is_revoked:
        raise InvitationError("invitation_revoked")
    person = invitation.person
    if not person.can_be_mailed:
        raise InvitationError(_why_not_mailed(person), name=person.name)
    return queue_about(invitation, "invitation", [r.session for r in invitation.rsvps])


def _why_not_mailed(person: Person) -> str:
    """Which part of ``Person.can_be_mailed`` refuses, for the organiser's message."""
    if person.anonymised_at is not None:
        return "anonymised_not_mailed"
    if person.deletion_requested_at is not None:
        return "deletion_requested"
    if person.mail_withdrawn_at is not None:
        return "mail_withdrawn"
    return "no_email"


def unanswered_invitations(series: Series, *, now: datetime | None = None) -> list[Invitation]:
    """Everyone we may mail who has not answered for an open session of ``series``."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(Invitation)
            .join(Invitation.person)
            .where(
                Invitation.series_id == series.id,
                Invitation.revoked_at.is_(None),
                Person.can_be_mailed | Person.needs_letter,
                Invitation.rsvps.any(
                    (Rsvp.answer == Answer.PENDING)
                    & Rsvp.session.has((Session.starts_at > now) & (Session.status != SessionStatus.CANCELLED))
                ),
            )
            .options(
                joinedload(Invitation.person),
                selectinload(Invitation.rsvps).selectinload(Rsvp.session).selectinload(Session.venue),
            )
        )
        .unique()
        .all()
    )


def remind_unanswered(series: Series, *, now: datetime | None = None) -> int:
    """Queue a reminder for everyone we may write to who has not answered for an open session:
    a mail, or a letter for those without e-mail; how many people.

    The same two steps as a reminder to people chosen on the grid: ``plan_reminders`` lists
    what would be sent, ``send_mailing`` queues it."""
    mailing = plan_reminders(unanswered_invitations(series, now=now), now=now)
    if mailing.is_empty:
        return 0
    send_mailing(mailing)
    return len(mailing.mails) + len(mailing.letters)


def add_person_by_hand(
    series: Series, person: Person, session: Session, *, actor=None, now: datetime | None = None
) -> Rsvp:
    """Invite someone (if not yet) and confirm their seat in one session."""
    now = now or utcnow()
    if session.series_id != series.id:
        raise InvitationError("session_not_in_series")
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.series_id == series.id, Invitation.person_id == person.id)
    )
    if invitation is None or invitation.is_revoked:
        invitation = invite_people(series, [person], [session], actor=actor, now=now).invited[0]
    return place_by_hand(invitation, session, now=now)


# What the participant tells us.


def save_needs(
    invitation: Invitation,
    *,
    learning_question: str = "",
    access: bool = False,
    interpreter: bool = False,
    childcare: bool = False,
    other: str = "",
) -> None:
    if invitation.is_revoked:
        raise InvitationError("invitation_revoked")
    if len(learning_question) > 2000 or len(other) > 500:
        raise InvitationError("text_too_long")
    invitation.learning_question = learning_question.strip()
    invitation.needs_access = bool(access)
    invitation.needs_interpreter = bool(interpreter)
    invitation.needs_childcare = bool(childcare)
    invitation.needs_other = other.strip()
    db.session.flush()


def link_expired(invitation: Invitation, *, grace: timedelta, now: datetime | None = None) -> bool:
    """A personal link stops working ``grace`` after the last of its sessions has ended."""
    ends = [rsvp.session.ends_at for rsvp in invitation.rsvps]
    return bool(ends) and max(ends) + grace < (now or utcnow())


# Personal calendar feeds.


def active_feed(person: Person) -> CalendarFeed | None:
    return db.session.scalar(
        select(CalendarFeed)
        .where(CalendarFeed.person_id == person.id, CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.id.desc())
        .limit(1)
    )


def renew_feed(person: Person, *, now: datetime | None = None) -> CalendarFeed:
    """A new feed address for this person; any old one stops working."""
    now = now or utcnow()
    for old in db.session.scalars(
        select(CalendarFeed).where(CalendarFeed.person_id == person.id, CalendarFeed.revoked_at.is_(None))
    ):
        old.revoked_at = now
    created = CalendarFeed(person=person, token=new_token(), created_at=now)
    db.session.add(created)
    db.session.flush()
    return created
