"""The invitation area's refusals."""

from __future__ import annotations

from planner.errors import DomainError


class InvitationError(DomainError):
    pass
