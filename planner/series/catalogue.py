"""The six built-in series templates from the product description.

Templates live in code, not in the database: they are part of the product, and a
series keeps its own copy of every title, theme and number the moment it is made.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import lazy_gettext as _l

from planner.series.audiences import Audience

MIXED = (Audience.RESIDENTS, Audience.VOLUNTEERS, Audience.PROFESSIONALS, Audience.EXPERTS)


@dataclass(frozen=True)
class SessionSpec:
    title: object
    theme: object = ""
    agenda: object = ""
    audiences: tuple[Audience, ...] = ()


@dataclass(frozen=True)
class SeriesTemplate:
    key: str
    name: object
    summary: object
    default_count: int
    min_count: int
    max_count: int
    duration: timedelta
    default_rhythm: str
    sessions: tuple[SessionSpec, ...] = field(default=())
    # For open-ended templates: how to title the sessions between the first and last.
    middle: SessionSpec | None = None

    def session_specs(self, count: int) -> list[SessionSpec]:
        """The sessions this template suggests for a series of ``count`` sessions."""
        if self.middle is None:
            return list(self.sessions[:count])
        first, last = self.sessions
        if count == 1:
            return [first]
        middle = [
            SessionSpec(
                title=_l("Session %(number)s", number=n),
                theme=self.middle.theme,
                agenda=self.middle.agenda,
                audiences=self.middle.audiences,
            )
            for n in range(1, count - 1)
        ]
        return [first, *middle, last]


def _meeting(n: int, theme, audiences=MIXED) -> SessionSpec:
    return SessionSpec(title=_l("Meeting %(number)s", number=n), theme=theme, audiences=audiences)


WELKOME_WIJK_AUDIENCES = (Audience.PROFESSIONALS, Audience.VOLUNTEERS, Audience.RESIDENTS)
# A tribune of two meetings has two of the same.
TRIBUNE_MEETING = SessionSpec(
    _l("Tribune meeting"), audiences=(Audience.POLICYMAKERS, Audience.PROFESSIONALS, Audience.PARTNERS)
)

_TEMPLATES = (
    SeriesTemplate(
        key="ontmoetingenreeks",
        name=_l("Ontmoetingenreeks"),
        summary=_l(
            "Four or five local meetings of about two hours with the same mixed group of "
            "residents, volunteers and professionals, led by a community worker together "
            "with an expert by experience."
        ),
        default_count=5,
        min_count=4,
        max_count=5,
        duration=timedelta(hours=2),
        default_rhythm="weekly",
        sessions=(
            _meeting(1, _l("Getting to know each other and recognising signals")),
            _meeting(2, _l("Talking about it")),
            _meeting(3, _l("Case discussion across professions")),
            _meeting(4, _l("Agreements to break through")),
            _meeting(5, _l("Looking back")),
        ),
    ),
    SeriesTemplate(
        key="welkome_wijk",
        name=_l("Welkome Wijk awareness round"),
        summary=_l(
            "Per municipality: a kick-off with partners, an awareness meeting for each "
            "audience, then a focus group per audience two to six weeks later."
        ),
        default_count=7,
        min_count=4,
        max_count=7,
        duration=timedelta(hours=2),
        default_rhythm="fortnightly",
        sessions=(
            SessionSpec(_l("Kick-off with partners"), audiences=(Audience.PARTNERS,)),
            *(SessionSpec(_l("Awareness meeting"), theme=a.label, audiences=(a,)) for a in WELKOME_WIJK_AUDIENCES),
            *(SessionSpec(_l("Focus group"), theme=a.label, audiences=(a,)) for a in WELKOME_WIJK_AUDIENCES),
        ),
    ),
    SeriesTemplate(
        key="arena",
        name=_l("ARENA meeting"),
        summary=_l(
            "One larger knowledge-sharing meeting: presentations, a break, small groups on "
            "the learning questions people send in, and a plenary harvest."
        ),
        default_count=1,
        min_count=1,
        max_count=1,
        duration=timedelta(hours=3, minutes=30),
        default_rhythm="weekly",
        sessions=(
            SessionSpec(
                _l("ARENA meeting"),
                agenda=_l("Presentations · Break · Small groups on learning questions · Plenary harvest"),
                audiences=(Audience.PROFESSIONALS, Audience.RESEARCHERS, Audience.STUDENTS, Audience.EXPERTS),
            ),
        ),
    ),
    SeriesTemplate(
        key="thematic",
        name=_l("Thematic meeting (versnellingskamer)"),
        summary=_l("One two-hour meeting on a theme; participants send in their questions beforehand."),
        default_count=1,
        min_count=1,
        max_count=1,
        duration=timedelta(hours=2),
        default_rhythm="weekly",
        sessions=(
            SessionSpec(
                _l("Thematic meeting"),
                audiences=(Audience.PROFESSIONALS, Audience.EXPERTS, Audience.RESEARCHERS),
            ),
        ),
    ),
    SeriesTemplate(
        key="tribune",
        name=_l("Tribune meeting"),
        summary=_l("Several municipalities share their experiences with each other."),
        default_count=1,
        min_count=1,
        max_count=2,
        duration=timedelta(hours=2, minutes=30),
        default_rhythm="monthly",
        sessions=(TRIBUNE_MEETING, TRIBUNE_MEETING),
    ),
    SeriesTemplate(
        key="action_learning",
        name=_l("Action-learning trajectory"),
        summary=_l("A kick-off, a number of learning sessions and a closing session."),
        default_count=6,
        min_count=2,
        max_count=20,
        duration=timedelta(hours=2, minutes=30),
        default_rhythm="monthly",
        sessions=(
            SessionSpec(_l("Kick-off"), audiences=MIXED),
            SessionSpec(_l("Closing session"), theme=_l("Harvest and next steps"), audiences=MIXED),
        ),
        middle=SessionSpec(title="", audiences=MIXED),
    ),
)

TEMPLATES: dict[str, SeriesTemplate] = {t.key: t for t in _TEMPLATES}
