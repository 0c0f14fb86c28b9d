"""The numbers a series page shows per session (answers, attendance, evaluation mails), and its next step.

Answers, attendance and evaluations live in areas further down the flow, which the series area
must not import. So the area that counts them registers its counter here when the app is built
(``_connect_areas`` in ``create_app``), as ``planner/series/hooks.py`` does for changes; the
series page asks ``session_numbers`` and shows what it gets (zeros while nobody counts).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app

from planner.series.models import Series, Session

EXTENSION_KEY = "reeks.session_numbers"


@dataclass(frozen=True)
class SessionNumbers:
    confirmed: int = 0  # a yes with a place
    waiting: int = 0  # a yes on the waiting list
    maybe: int = 0
    no: int = 0
    pending: int = 0  # invited, no answer yet
    present: int = 0
    evaluations_sent: int = 0

    @property
    def invited(self) -> int:
        return self.confirmed + self.waiting + self.maybe + self.no + self.pending


Counter = Callable[[list[int]], dict[int, SessionNumbers]]


def count_sessions_with(app: Flask, counter: Counter) -> None:
    """Register ``counter(session_ids) → {session id: SessionNumbers}``; it runs a fixed number of queries."""
    app.extensions[EXTENSION_KEY] = counter


def session_numbers(session_ids: list[int]) -> dict[int, SessionNumbers]:
    counter = current_app.extensions.get(EXTENSION_KEY)
    found = counter(session_ids) if counter and session_ids else {}
    return {sid: found.get(sid, SessionNumbers()) for sid in session_ids}


class Step(enum.StrEnum):
    PUBLISH = "publish"
    INVITE = "invite"
    CHECK_IN = "check_in"
    EVALUATE = "evaluate"
    DONE = "done"


STEPS = (Step.PUBLISH, Step.INVITE, Step.CHECK_IN, Step.EVALUATE)


@dataclass(frozen=True)
class NextStep:
    step: Step
    session: Session | None = None  # the session the step is about (check in, evaluate)

    def state_of(self, step: Step) -> str:
        """'done', 'current' or 'todo' for one step of the publish → invite → check in → evaluate line."""
        if self.step == Step.DONE:
            return "done"
        mine, theirs = STEPS.index(self.step), STEPS.index(step)
        return "done" if theirs < mine else "current" if theirs == mine else "todo"


def next_step(series: Series, numbers: dict[int, SessionNumbers], now: datetime) -> NextStep:
    """What the organiser does next: publish, invite, check in today's session, or evaluate one that is over."""
    if not series.is_published:
        return NextStep(Step.PUBLISH)
    held = [s for s in series.sessions if not s.is_cancelled]
    if not any(numbers[s.id].invited for s in held):
        return NextStep(Step.INVITE)
    today = now.astimezone(series.zone).date()
    for session in held:
        if session.local_start.date() == today and session.ends_at > now:
            return NextStep(Step.CHECK_IN, session)
    for session in held:
        if session.ends_at <= now and numbers[session.id].present and not numbers[session.id].evaluations_sent:
            return NextStep(Step.EVALUATE, session)
    coming = [s for s in held if s.ends_at > now]
    if coming:  # invited, the next session not yet today: invite more, remind those who did not answer
        return NextStep(Step.INVITE, coming[0])
    return NextStep(Step.DONE)
