"""Short codes for letters: typed by hand at ``/code`` instead of scanning the QR code.

Eight characters without look-alikes (no 0/O, no 1/l/I), printed as ``ABCD-EFGH``; typed in
any case, with or without spaces and dashes. An invitation's code leads to its personal page,
an evaluation letter's code to its evaluation link (``Letter.code``); both are unique in the
database, and a new code is checked against both. Wrong codes are counted per client address
(``ThrottledKind.LETTER_CODE``), so guessing is slowed down to a few tries per quarter hour;
31**8 (about 850 billion) codes leave nothing to find that way.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from planner.auth.models import ThrottledKind
from planner.auth.throttling import TryLimit, record_try, throttled_tries
from planner.extensions import db
from planner.invitations.errors import InvitationError
from planner.invitations.models import Invitation, Letter, Rsvp
from planner.series.models import Session

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
THROTTLE_KEY = "letter code"
_IGNORED = str.maketrans("", "", " -\t\u00a0")


def new_codes(count: int) -> list[str]:
    """``count`` different codes nobody holds yet, in two queries (the unique constraints stay the
    last word for two requests at the same moment)."""
    codes: list[str] = []
    while len(codes) < count:
        wanted = {"".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(count - len(codes))}
        wanted -= set(codes)
        taken = set(db.session.scalars(select(Invitation.short_code).where(Invitation.short_code.in_(wanted))))
        taken |= set(db.session.scalars(select(Letter.code).where(Letter.code.in_(wanted))))
        codes += sorted(wanted - taken)
    return codes


def new_code() -> str:
    return new_codes(1)[0]


def shown(code: str | None) -> str:
    """ABCDEFGH → ABCD-EFGH, as letters print it."""
    if not code:
        return ""
    half = CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def normalised(typed: str) -> str | None:
    """What someone typed as a code: upper case, spaces and dashes left out; None if it cannot be one."""
    code = (typed or "").translate(_IGNORED).upper()
    if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
        return None
    return code


def code_limit(config) -> TryLimit:
    return TryLimit(
        per_client=config["LETTER_CODE_MAX_TRIES_PER_CLIENT"],
        window=timedelta(minutes=config["LETTER_CODE_TRY_WINDOW_MINUTES"]),
    )


@dataclass(frozen=True)
class CodeTarget:
    """Where a code leads: an invitation's personal page (its token) or an evaluation link (a URL)."""

    token: str = ""
    link: str = ""


def _live_token(code: str, grace: timedelta, now: datetime) -> str | None:
    """The token of the invitation with this code, while its link works (as ``invitation_for_link``)."""
    last_end = (
        select(func.max(Session.ends_at))
        .join(Rsvp, Rsvp.session_id == Session.id)
        .where(Rsvp.invitation_id == Invitation.id)
        .scalar_subquery()
    )
    row = db.session.execute(
        select(Invitation.token, last_end).where(Invitation.short_code == code, Invitation.revoked_at.is_(None))
    ).first()
    if row is None or not row[0] or (row[1] is not None and row[1] + grace < now):
        return None
    return row[0]


def follow_code(typed: str, *, client: str, limit: TryLimit, grace: timedelta, now: datetime) -> CodeTarget | None:
    """Where a typed code leads; None for a wrong code of any sort (malformed, unknown, withdrawn,
    or of a link past ``grace`` after its last session), which is counted. A client over the limit
    is refused (InvitationError "code_throttled") before the code is looked at, so a right code
    does not get through either."""
    minutes = throttled_tries(ThrottledKind.LETTER_CODE, THROTTLE_KEY, client, limit, now)
    if minutes is not None:
        raise InvitationError("code_throttled", minutes=minutes)
    code = normalised(typed)
    found = None
    if code is not None:
        token = _live_token(code, grace, now)
        link = None if token else db.session.scalar(select(Letter.link).where(Letter.code == code, Letter.link != ""))
        found = CodeTarget(token=token) if token else CodeTarget(link=link) if link else None
    if found is None:
        record_try(ThrottledKind.LETTER_CODE, THROTTLE_KEY, client, limit, now)
    return found
