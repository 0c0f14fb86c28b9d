"""The printed invitation for people without e-mail: the personal link as text and as a QR code."""

from __future__ import annotations

import segno
from flask import render_template
from flask_babel import force_locale
from markupsafe import Markup

from planner.invitations.mails import personal_link
from planner.invitations.models import Invitation


def qr_data_uri(text: str) -> str:
    """An SVG QR code as a data: URI, which the Content-Security-Policy allows for images."""
    return segno.make(text, error="m").svg_data_uri(scale=6, border=2)


def letter_html(invitation: Invitation) -> Markup:
    """One letter, in the language of the person it is for."""
    link = personal_link(invitation)
    sessions = sorted((r.session for r in invitation.rsvps), key=lambda s: (s.starts_at, s.id))
    with force_locale(invitation.person.language):
        return Markup(
            render_template(
                "invitations/_letter.html",
                series=invitation.series,
                person=invitation.person,
                link=link,
                qr=qr_data_uri(link),
                sessions=sessions,
            )
        )
