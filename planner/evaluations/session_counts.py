"""What the organiser's evaluation page shows of each session: asked, answered, responses,
under the same disclosure rule as the summary (``disclosure.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from planner.evaluations.counting import ROLE_ORDER, count_answers
from planner.evaluations.disclosure import release as release_of
from planner.evaluations.services import request_counts, session_response_counts
from planner.evaluations.summaries import sessions_label


@dataclass
class SessionCounts:
    """What the organiser's evaluation page shows of a session: asked, answered, responses."""

    asked: int | None  # None: held back (an anonymous form, and too few people for it to be shown)
    answered: int | None
    responses: int | None
    has_answers: bool  # the form can no longer be changed
    together: str | None = None  # held back: the group the summary shows it in
    more_than_present: bool = False


def session_counts(series, evaluations: dict) -> dict[int, SessionCounts]:
    """Per session; an anonymous form's counts only where its session is a group of its own.

    Otherwise "asked 1, answered 1" would say whose the one anonymous answer is.
    """
    sessions = [s for s in series.sessions if not s.is_cancelled]
    ids = [s.id for s in sessions]
    requests, responses = request_counts(ids), session_response_counts(ids)
    counts = count_answers(ids, [])
    numbers = {s.id: n for n, s in enumerate(sessions, start=1)}
    release = release_of(ids, [], counts, ROLE_ORDER)
    shown = {}
    for s in ids:
        asked, answered = requests.get(s, (0, 0))
        n = responses.get(s, 0)
        block = release.block_of(s)
        own = len(block.sessions) == 1 and block.responses.shown and block.rate.shown
        more = n > counts.present.get(s, 0)
        if evaluations[s].form.anonymous and n and (not own or release.anonymous_held):
            shown[s] = SessionCounts(None, None, None, True, sessions_label(block.sessions, numbers), more)
        else:
            shown[s] = SessionCounts(asked, answered, n, bool(n), None, more)
    return shown
