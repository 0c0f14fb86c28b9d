"""The error the evaluation rules raise: a code (and its parameters) that a route turns into a message."""

from __future__ import annotations

from planner.errors import DomainError


class EvaluationError(DomainError):
    pass
