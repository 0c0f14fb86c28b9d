"""The mails of the invite step, and what became of them.

Sessions are formatted once per language for a whole invitation round; the mail area
renders and queues the message in the recipient's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parseaddr

from flask import current_app
from flask_babel import force_locale, gettext as _

from planner.invitations.letters import record_letter_about
from planner.invitations.models import CalendarFeed, Invitation
from planner.links import external_url, webcal
from planner.mail.compose import Signature
from planner.mail.models import OutboxMessage
from planner.mail.services import queue_mail
from planner.series.contact import organiser_contact
from planner.series.hooks import Change
from planner.series.models import Series, Session
from planner.series.presentation import session_place, session_when, time_span


def personal_link(invitation: Invitation) -> str:
    return external_url("participant.personal_page", token=invitation.token)


def feed_url(calendar_feed: CalendarFeed) -> str:
    return external_url("feeds.personal_feed", token=calendar_feed.token)


def webcal_url(calendar_feed: CalendarFeed) -> str:
    return webcal(feed_url(calendar_feed))


# The mails about one session (the others are about the invitation's sessions together).
SESSION_MAILS = {"session_changed", "session_cancelled", "session_reminder", "moved_up", "calendar_invite"}


@dataclass(frozen=True)
class SessionLine:
    """A session as a mail shows it, formatted once per language for a whole round."""

    when: str
    place: str
    online_url: str
    cancelled: bool
    theme: str = ""  # what the session is about, and its programme: for those invited only
    agenda: str = ""


def programme_text(session: Session) -> str:
    """The session's programme as typed, with one kind of line break."""
    return "\n".join(line.rstrip() for line in session.agenda.strip().splitlines())


def session_lines(sessions: Iterable[Session], language: str, cache: dict | None = None) -> list[SessionLine]:
    cache = {} if cache is None else cache
    lines = []
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.id)):
        key = (language, session.id)
        if key not in cache:
            with force_locale(language):
                when = session_when(session)
            cache[key] = SessionLine(
                when,
                session_place(session),
                session.online_url,
                session.is_cancelled,
                theme=session.theme.strip(),
                agenda=programme_text(session),
            )
        lines.append(cache[key])
    return lines


def signature_of(series: Series, cache: dict | None = None) -> Signature:
    """Who signs the mails of this series: its organiser (planner.series.contact), else the sender's name."""
    key = ("signature", series.id)
    if cache is not None and key in cache:
        return cache[key]
    contact = organiser_contact(series)
    # Never the learning studio's name: it can say what the meeting is about ("Armoede"), and
    # a mail is read on lock screens and shared computers, as its subject is.
    if contact is None:
        signature = Signature(name=parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[0] or "Reeks")
    else:
        signature = Signature(name=contact.name, email=contact.email, phone=contact.phone)
    if cache is not None:
        cache[key] = signature
    return signature


def change_lines(changes: Iterable[Change], language: str) -> list[str]:
    """Each change in words, old → new, in the recipient's language."""
    lines = []
    with force_locale(language):
        labels = {"title": _("Title"), "when": _("Date and time"), "place": _("Place"), "online": _("Online")}
        for change in changes:
            if change.what == "when":
                old, new = time_span(*change.old), time_span(*change.new)
            else:
                old, new = change.old or _("(none)"), change.new or _("(none)")
            lines.append(f"{labels[change.what]}: {old} → {new}")
    return lines


def queue_about(
    invitation: Invitation,
    template: str,
    sessions: Iterable[Session],
    cache: dict | None = None,
    *,
    calendar: tuple[str, bytes] | None = None,
    extra: dict | None = None,
) -> OutboxMessage | None:
    """The mail ``template`` about this invitation; for someone without e-mail, its letter.

    Every consequence of the invitation rules that tells a person something comes through here,
    so nobody without an address misses what others are mailed (``LETTER_FOR_MAIL`` says which
    mails have a letter). Nothing for people we may not write to at all.
    """
    person, sessions = invitation.person, list(sessions)
    lines = session_lines(sessions, person.language, cache)
    if person.needs_letter:
        only = sessions[0] if template in SESSION_MAILS and sessions else None
        record_letter_about(invitation, template, lines, extra or {}, session=only)
        return None
    if not person.can_be_mailed or person.email is None:
        return None
    series = invitation.series
    return queue_mail(
        to_address=person.email,
        to_name=person.name,
        language=person.language,
        template=template,
        context={
            "person": person,
            "series": series,
            "link": personal_link(invitation),
            "sessions": lines,
            **(extra or {}),
        },
        reference=invitation.mail_reference,
        calendar=calendar,
        programme_id=series.programme_id,
        signature=signature_of(series, cache),
        cache=cache,
        series_id=series.id,
        person_id=person.id,
    )
