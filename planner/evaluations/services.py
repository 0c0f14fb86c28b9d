"""Making and copying forms, choosing a form per session, the on-screen short link, and the
series a compare page offers.

A form that has responses is frozen: ``editable`` makes a new version (same lineage,
version + 1, question keys kept), marks the old one superseded and moves the sessions
that have no responses yet to the new version. A form's questions are edited in
``questions``. Services add and flush; routes commit.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, overload

from sqlalchemy import Row, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from planner.evaluations.catalogue import SESSION, builtin_form, ensure_builtin_forms
from planner.evaluations.errors import EvaluationError
from planner.evaluations.models import (
    EvaluationForm,
    EvaluationOption,
    EvaluationQuestion,
    EvaluationRequest,
    EvaluationResponse,
    FormPurpose,
    SessionEvaluation,
)
from planner.extensions import db
from planner.people.models import folded
from planner.series.models import Series, Session

# Short codes for the screen link: no 0/o, 1/l/i, so they can be typed over from a projector.
SHORT_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
SHORT_CODE_LENGTH = 8
MAX_DELAY_HOURS = 336


@dataclass
class FormDetails:
    title_nl: str
    title_en: str = ""
    intro_nl: str = ""
    intro_en: str = ""
    anonymous: bool = False
    purpose: str = FormPurpose.SESSION


# --- Reading.


def forms_for_programme(programme):
    """The built-in forms and the programme's own, newest version only: a select."""
    return (
        select(EvaluationForm)
        .where(
            or_(EvaluationForm.programme_id.is_(None), EvaluationForm.programme_id == programme.id),
            EvaluationForm.superseded.is_(False),
        )
        .order_by(EvaluationForm.programme_id.is_not(None), EvaluationForm.title_nl, EvaluationForm.id)
    )


def form_with_questions(form_id: int) -> EvaluationForm | None:
    return db.session.scalar(
        select(EvaluationForm)
        .where(EvaluationForm.id == form_id)
        .options(selectinload(EvaluationForm.questions).selectinload(EvaluationQuestion.options))
    )


def newest_version(form: EvaluationForm) -> EvaluationForm:
    return db.session.scalars(  # the form itself at least
        select(EvaluationForm)
        .where(EvaluationForm.lineage == form.lineage)
        .order_by(EvaluationForm.version.desc())
        .limit(1)
    ).one()


def response_count(form: EvaluationForm) -> int:
    return db.session.scalars(
        select(func.count()).select_from(EvaluationResponse).where(EvaluationResponse.form_id == form.id)
    ).one()


def is_frozen(form: EvaluationForm) -> bool:
    return response_count(form) > 0


# --- Building.


def _clean_details(details: FormDetails) -> FormDetails:
    details.title_nl = (details.title_nl or "").strip()
    details.title_en = (details.title_en or "").strip()
    if not details.title_nl:
        raise EvaluationError("form_title_required")
    if len(details.title_nl) > 160 or len(details.title_en) > 160:
        raise EvaluationError("too_long", field="title", maximum=160)
    if details.purpose not in set(FormPurpose):
        raise EvaluationError("unknown_purpose")
    return details


def create_form(programme, details: FormDetails, *, actor=None) -> EvaluationForm:
    """A form of the programme's own. The built-in forms are made with it when missing (as with
    a session's evaluation), so the forms page, which only reads, always lists them beside it."""
    details = _clean_details(details)
    ensure_builtin_forms()
    form = EvaluationForm(
        programme_id=programme.id,
        purpose=details.purpose,
        anonymous=details.anonymous,
        title_nl=details.title_nl,
        title_en=details.title_en,
        intro_nl=details.intro_nl or "",
        intro_en=details.intro_en or "",
        created_by_id=actor.id if actor else None,
    )
    db.session.add(form)
    db.session.flush()
    return form


def _copy_questions(source: EvaluationForm, target: EvaluationForm) -> None:
    target.questions = [
        EvaluationQuestion(
            position=q.position,
            key=q.key,
            kind=q.kind,
            text_nl=q.text_nl,
            text_en=q.text_en,
            hint_nl=q.hint_nl,
            hint_en=q.hint_en,
            condition=q.condition,
            required=q.required,
            pair_key=q.pair_key,
            moment=q.moment,
            options=[
                EvaluationOption(position=o.position, key=o.key, label_nl=o.label_nl, label_en=o.label_en)
                for o in q.options
            ],
        )
        for q in source.questions
    ]


def copy_form(source: EvaluationForm, programme, *, actor=None) -> EvaluationForm:
    """A new form of the programme's own (a new lineage) with the same questions and keys."""
    form = EvaluationForm(
        programme_id=programme.id,
        purpose=source.purpose,
        anonymous=source.anonymous,
        title_nl=source.title_nl[:150] + (" (kopie)" if source.programme_id else ""),
        title_en=source.title_en,
        intro_nl=source.intro_nl,
        intro_en=source.intro_en,
        created_by_id=actor.id if actor else None,
    )
    _copy_questions(source, form)
    db.session.add(form)
    db.session.flush()
    return form


def editable(form: EvaluationForm, *, actor=None) -> EvaluationForm:
    """The version an edit may change: the form itself, or a new version when it has responses."""
    if form.programme_id is None:
        raise EvaluationError("builtin_form_read_only")
    if form.superseded:
        raise EvaluationError("form_superseded")
    if not is_frozen(form):
        return form
    new = EvaluationForm(
        lineage=form.lineage,
        version=form.version + 1,
        programme_id=form.programme_id,
        purpose=form.purpose,
        anonymous=form.anonymous,
        title_nl=form.title_nl,
        title_en=form.title_en,
        intro_nl=form.intro_nl,
        intro_en=form.intro_en,
        created_by_id=actor.id if actor else None,
    )
    _copy_questions(form, new)
    try:
        with db.session.begin_nested():
            db.session.add(new)
            form.superseded = True
    except IntegrityError:
        raise EvaluationError("form_changed_meanwhile") from None
    # Sessions that nobody has answered yet move on to the new version.
    answered = select(EvaluationResponse.session_id).where(EvaluationResponse.form_id == form.id)
    for evaluation in db.session.scalars(
        select(SessionEvaluation).where(
            SessionEvaluation.form_id == form.id, SessionEvaluation.session_id.not_in(answered)
        )
    ):
        evaluation.form_id = new.id
    db.session.flush()
    return new


def update_form_details(form: EvaluationForm, details: FormDetails, *, actor=None) -> EvaluationForm:
    details = _clean_details(details)
    target = editable(form, actor=actor)
    target.title_nl, target.title_en = details.title_nl, details.title_en
    target.intro_nl, target.intro_en = details.intro_nl or "", details.intro_en or ""
    target.purpose, target.anonymous = FormPurpose(details.purpose), details.anonymous
    db.session.flush()
    return target


# --- Sessions and their forms.


def new_short_code() -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


@overload
def evaluation_of(
    session: Session,
    *,
    create: Literal[True] = True,
    default_form: EvaluationForm | None = None,
) -> SessionEvaluation: ...


@overload
def evaluation_of(
    session: Session,
    *,
    create: bool,
    default_form: EvaluationForm | None = None,
) -> SessionEvaluation | None: ...


def evaluation_of(
    session: Session,
    *,
    create: bool = True,
    default_form: EvaluationForm | None = None,
) -> SessionEvaluation | None:
    """The session's form and short code; made with ``default_form`` (the built-in session form) when missing."""
    evaluation = db.session.scalar(select(SessionEvaluation).where(SessionEvaluation.session_id == session.id))
    if evaluation is not None or not create:
        return evaluation
    form = default_form or builtin_form(SESSION)
    for _attempt in range(5):
        try:
            with db.session.begin_nested():
                evaluation = SessionEvaluation(session_id=session.id, form_id=form.id, short_code=new_short_code())
                db.session.add(evaluation)
            return evaluation
        except IntegrityError:
            # Another request made it first, or (very rarely) the short code was taken.
            evaluation = db.session.scalar(select(SessionEvaluation).where(SessionEvaluation.session_id == session.id))
            if evaluation is not None:
                return evaluation
    raise EvaluationError("form_changed_meanwhile")


def evaluations_of(sessions, *, create: bool = False) -> dict[int, SessionEvaluation]:
    """session id → its evaluation, in one query. Every session has one from the start
    (``planner/evaluations/listeners.py``); ``create`` makes the missing ones, for writers only."""
    ids = [s.id for s in sessions]
    found = (
        {
            e.session_id: e
            for e in db.session.scalars(
                select(SessionEvaluation)
                .where(SessionEvaluation.session_id.in_(ids))
                .options(selectinload(SessionEvaluation.form))
            )
        }
        if ids
        else {}
    )
    missing = [session for session in sessions if session.id not in found]
    if missing and create:
        default_form = builtin_form(SESSION)
        for session in missing:
            found[session.id] = evaluation_of(session, default_form=default_form)
    return found


def session_response_counts(session_ids) -> dict[int, int]:
    if not session_ids:
        return {}
    rows = db.session.execute(
        select(EvaluationResponse.session_id, func.count())
        .where(EvaluationResponse.session_id.in_(list(session_ids)))
        .group_by(EvaluationResponse.session_id)
    )
    return dict(rows.all())


def request_counts(session_ids) -> dict[int, tuple[int, int]]:
    """session id → (asked, answered), counted in the database."""
    if not session_ids:
        return {}
    answered = func.sum(func.cast(EvaluationRequest.answered, db.Integer))
    rows = db.session.execute(
        select(EvaluationRequest.session_id, func.count(), answered)
        .where(EvaluationRequest.session_id.in_(list(session_ids)))
        .group_by(EvaluationRequest.session_id)
    )
    return {session_id: (asked, int(done or 0)) for session_id, asked, done in rows}


def choose_forms(series: Series, choices: dict[int, int], delay_hours: int) -> None:
    """Set the form of each session (session id → form id) and the series' delay before mailing."""
    if delay_hours is None or not 0 <= delay_hours <= MAX_DELAY_HOURS:
        raise EvaluationError("delay_out_of_range", maximum=MAX_DELAY_HOURS)
    allowed = {f.id: f for f in db.session.scalars(forms_for_programme(series.programme))}
    sessions = {s.id: s for s in series.sessions}
    if set(choices) - set(sessions):
        raise EvaluationError("session_not_in_series")
    answered = session_response_counts(list(sessions))
    evaluations = evaluations_of([sessions[session_id] for session_id in choices], create=True)
    for session_id, form_id in choices.items():
        session = sessions[session_id]
        evaluation = evaluations[session_id]
        if evaluation.form_id == form_id:
            continue  # unchanged, even when it is an older version kept for its answers
        if form_id not in allowed:
            raise EvaluationError("unknown_form")
        if answered.get(session_id):
            raise EvaluationError("session_has_responses", title=session.title)
        evaluation.form_id = form_id
    series.evaluation_delay_hours = delay_hours
    db.session.flush()


def set_screen_open(evaluation: SessionEvaluation, is_open: bool) -> None:
    evaluation.screen_open = is_open
    db.session.flush()


# The series a compare page offers to tick.

SERIES_TERM_LENGTH = 100  # a search longer than this is cut


@dataclass(frozen=True)
class SeriesChoice:
    offered: Sequence[Row]  # (id, title, municipality), by title
    matching: int  # how many series of the studio the search finds
    most: int  # how many of those are offered at the most

    @property
    def more(self) -> bool:
        return self.matching > self.most


CHOICES_SHOWN = 50  # series offered to tick at once; a search finds the others


def series_to_choose(programme_id: int, term: str, wanted: set[int]) -> SeriesChoice:
    """The series to tick, by name: those ticked already and the newest ``CHOICES_SHOWN`` with
    ``term`` in their title or municipality (capitals and accents folded, as the people search
    folds them). Names only: sessions are loaded for the chosen series alone, and a studio with
    thousands of series offers a page of them."""
    matches = Series.programme_id == programme_id
    if term:
        word = term.lower()
        matches &= or_(
            folded(Series.title).contains(word, autoescape=True),
            folded(Series.municipality).contains(word, autoescape=True),
        )
    newest = select(Series.id).where(matches).order_by(Series.created_at.desc(), Series.id.desc()).limit(CHOICES_SHOWN)
    offered = db.session.execute(
        select(Series.id, Series.title, Series.municipality)
        .where(
            Series.programme_id == programme_id,
            Series.id.in_(newest.scalar_subquery()) | Series.id.in_(list(wanted)[:CHOICES_SHOWN]),
        )
        .order_by(Series.title, Series.id)
    ).all()
    matching = db.session.scalar(select(func.count(Series.id)).where(matches)) or 0
    return SeriesChoice(offered, matching, CHOICES_SHOWN)
