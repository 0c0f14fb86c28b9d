"""Utility you can count: the share of the figures resting on at least 5 responses that a series page shows.

The figures are those a series page has always had: the response count and rate of the series
and of each session, each question's answers, total, mean and median, each scale question's
mean per session, the responses and means of each role, and the social-quality scores. What
each rests on is counted from the raw grouped rows, so the same count applies to any way of
deciding what is shown (``python tests/utility.py`` prints it for the demo's rounds, also when
run against an older version of the code).
"""

from __future__ import annotations

from collections import defaultdict

THRESHOLD = 5


def _numeric(cells: dict) -> int:
    return sum(n for cell, n in cells.items() if isinstance(cell, int) and not isinstance(cell, bool))


def figures_with_bases(summary, counts) -> list[tuple[str, int, bool]]:
    """(what, the responses it rests on, shown) for every figure of a series page."""
    sessions = [s.id for s in summary.sessions]
    responses = defaultdict(int)
    for (s, r), n in counts.responses.items():
        responses[(s, None)] += n
        responses[(None, r)] += n
        responses[(None, None)] += n
    answers = defaultdict(lambda: defaultdict(int))  # (q, s or None, r or None) → cell → n
    for (s, r, q, cell), n in counts.answers.items():
        for key in ((q, None, None), (q, s, None), (q, None, r)):
            answers[key][cell] += n
    respondents = defaultdict(int)
    for (_s, _r, q), n in counts.respondents.items():
        respondents[q] += n

    found = [
        ("responses", responses[(None, None)], summary.responses.shown),
        ("rate", responses[(None, None)], summary.rate.shown),
    ]
    for s in sessions:
        shown = _session_shown(summary, s)
        found += [(f"responses s{s}", responses[(s, None)], shown[0]), (f"rate s{s}", responses[(s, None)], shown[1])]
    for q in summary.questions:
        key = q.info.key
        base = respondents[key]
        found += [(f"{key} {c.key}", base, c.figure.shown) for c in q.cells] + [(f"{key} n", base, q.total.shown)]
        if q.spec.scale:
            found += [(f"{key} mean", base, q.mean.shown), (f"{key} median", base, q.median.shown)]
            for s in sessions:
                found.append((f"{key} mean s{s}", _numeric(answers[(key, s, None)]), _trend_shown(summary, key, s)))
    for role in sorted({r for (_s, r) in counts.responses}):
        row = _role_row(summary, role)
        found.append((f"responses {role}", responses[(None, role)], bool(row and row.responses.shown)))
        for i, q in enumerate(summary.scale_questions):
            shown = bool(row and row.means[i].shown)
            found.append((f"{q.info.key} mean {role}", _numeric(answers[(q.info.key, None, role)]), shown))
    for p in summary.profile:
        tagged = [q.info.key for q in summary.scale_questions if q.info.condition == p.condition]
        if tagged:
            found.append(
                (f"profile {p.condition}", sum(_numeric(answers[(k, None, None)]) for k in tagged), p.score.shown)
            )
    return found


def _session_shown(summary, s) -> tuple[bool, bool]:
    for row in summary.per_session:
        if hasattr(row, "sessions"):  # sessions shown together in blocks
            if [x.id for x in row.sessions] == [s]:
                return row.responses.shown, row.rate.shown
        elif row.session.id == s:
            return row.responses.shown, row.rate.shown
    return False, False


def _trend_shown(summary, key, s) -> bool:
    row = next((r for r in summary.trend if r.info.key == key), None)
    if row is None:
        return False
    if hasattr(row, "points"):
        label = f"{summary.numbers[s]}"
        return any(f.shown for text, f, code in row.points if code.endswith(f";s={label}"))
    index = [x.id for x in summary.sessions].index(s)
    return row.means[index].shown


def _role_row(summary, role):
    return next((r for r in summary.roles if r.role == role), None)


def shown_share(summary, counts) -> tuple[int, int]:
    """(shown, resting on at least 5) over the figures of a series page."""
    based = [shown for _what, base, shown in figures_with_bases(summary, counts) if base >= THRESHOLD]
    return sum(based), len(based)


def main() -> None:  # pragma: no cover - run by hand, before and after a change
    import tempfile

    from sqlalchemy import select

    from planner import create_app
    from planner.evaluations.counting import count_answers, forms_of, lined_up_questions
    from planner.evaluations.summaries import summarise
    from planner.extensions import db
    from planner.series.models import Series

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"SECRET_KEY": "utility", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/u.sqlite3"})
        with app.app_context():
            import flask_migrate

            flask_migrate.upgrade()
            app.test_cli_runner().invoke(args=["demo"])
            with app.test_request_context():
                for series in db.session.scalars(
                    select(Series).where(Series.title.in_(["Ontmoeting Bemmel", "Ontmoeting Huissen"]))
                ):
                    sessions = [s for s in series.sessions if not s.is_cancelled]
                    ids = [s.id for s in sessions]
                    counts = count_answers(ids, lined_up_questions(forms_of(ids)))
                    shown, based = shown_share(summarise(sessions, "nl"), counts)
                    share = f"{shown} of {based} figures resting on ≥ 5 responses shown ({shown / based:.0%})"
                    print(f"{series.title}: {share}")  # noqa: T201 - run as a script, it reports


if __name__ == "__main__":
    main()
