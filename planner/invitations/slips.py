"""A reply slip handed in: the organiser types in its answers, as if the person gave them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from planner.invitations.models import AnsweredVia, Invitation
from planner.invitations.seats import answer
from planner.timekeeping import utcnow


def enter_reply_slip(invitation: Invitation, answers: Mapping[int, str], *, now: datetime | None = None) -> int:
    """Record the slip's answer (session id → yes / no / maybe) for each meeting it ticks; how many
    changed. The rules are those of the personal page (seats, waiting list, a closed meeting refused),
    and the answers are marked as from paper."""
    now = now or utcnow()
    changed = 0
    for rsvp in sorted(invitation.rsvps, key=lambda r: r.session_id):  # every request locks in this order
        chosen = answers.get(rsvp.session_id)
        if not chosen or chosen == rsvp.answer or rsvp.session.is_cancelled:
            continue
        answer(invitation, rsvp.session, chosen, now=now, via=AnsweredVia.PAPER)
        changed += 1
    return changed
