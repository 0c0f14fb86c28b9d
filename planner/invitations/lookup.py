"""A personal link's token → the invitation it stands for: no web, so any entry point can use it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy.orm import joinedload, selectinload

from planner.extensions import db
from planner.invitations.models import Invitation, Rsvp, invitation_with_token
from planner.invitations.services import link_expired
from planner.series.models import Series, Session

TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def invitation_for_link(token: str, *, grace: timedelta, now: datetime | None = None) -> Invitation | None:
    """The invitation, with what the participant's pages show; None when the link is malformed,
    unknown, withdrawn, or more than ``grace`` past the last session."""
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    invitation = db.session.scalar(
        invitation_with_token(token).options(  # two queries: the invitation with its one-of-a-kind rows, its answers
            joinedload(Invitation.person, innerjoin=True),
            joinedload(Invitation.series, innerjoin=True).joinedload(Series.venue),
            selectinload(Invitation.rsvps).joinedload(Rsvp.session, innerjoin=True).joinedload(Session.venue),
        )
    )
    if invitation is None or invitation.is_revoked or link_expired(invitation, grace=grace, now=now):
        return None
    return invitation
