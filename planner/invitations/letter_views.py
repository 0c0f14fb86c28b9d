"""A letter as it is printed: what it says, how to answer (QR code, link, short code), whom to
reach, and a reply slip to cut off. Built for the letters recorded in ``planner.invitations.letters``
and for an invitation's letter printed again from the invitations page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup

from planner.invitations.codes import shown
from planner.invitations.letters import qr_data_uri
from planner.invitations.mails import SessionLine, personal_link, session_lines
from planner.invitations.models import Invitation, Letter, LetterKind
from planner.links import external_url
from planner.people.models import Person
from planner.series.contact import Contact, organiser_contact
from planner.series.models import Series
from planner.timekeeping import utcnow


@dataclass(frozen=True)
class LetterView:
    person: Person
    series: Series
    body: Markup
    link: str
    code: str  # as printed: ABCD-EFGH
    contact: Contact | None
    slip: list[SessionLine] | None  # the meetings to tick yes / maybe / no; None: no reply slip
    is_form: bool = False  # an evaluation form: the letter itself is handed in

    @property
    def qr(self) -> str:
        return qr_data_uri(self.link)


def _open_sessions(invitation: Invitation | None, now: datetime) -> list:
    if invitation is None:
        return []
    return [r.session for r in invitation.rsvps if not r.session.is_cancelled and r.session.starts_at > now]


def view_of(letter: Letter, contacts: dict[int, Contact | None], now: datetime | None = None) -> LetterView:
    """``contacts`` caches ``organiser_contact`` per series for a page of letters."""
    now = now or utcnow()
    if letter.series_id not in contacts:
        contacts[letter.series_id] = organiser_contact(letter.series)
    invitation = letter.invitation
    is_form = letter.kind == LetterKind.EVALUATION
    link = letter.link or (personal_link(invitation) if invitation is not None else "")
    code = letter.code or (invitation.short_code if invitation is not None else None)
    return LetterView(
        person=letter.person,
        series=letter.series,
        body=Markup(letter.body_html),
        link=link,
        code=shown(code),
        contact=contacts[letter.series_id],
        slip=None if is_form else session_lines(_open_sessions(invitation, now), letter.person.language),
        is_form=is_form,
    )


def invitation_view(invitation: Invitation, now: datetime | None = None) -> LetterView:
    """The invitation's own letter, as printed again from the invitations page (not recorded)."""
    now = now or utcnow()
    person = invitation.person
    sessions = sorted((r.session for r in invitation.rsvps), key=lambda s: (s.starts_at, s.id))
    with force_locale(person.language):
        body = render_template(
            "invitations/_letter_body.html",
            kind=LetterKind.INVITATION,
            series=invitation.series,
            sessions=session_lines(sessions, person.language),
        )
    return LetterView(
        person=person,
        series=invitation.series,
        body=Markup(body),
        link=personal_link(invitation),
        code=shown(invitation.short_code),
        contact=organiser_contact(invitation.series),
        slip=session_lines(_open_sessions(invitation, now), person.language),
    )


def render_letter(view: LetterView) -> Markup:
    """One letter, in the language of the person it is for."""
    with force_locale(view.person.language):
        return Markup(render_template("invitations/_letter.html", letter=view, code_page=external_url("letters.code")))
