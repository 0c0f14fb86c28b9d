"""The organiser's invitations page of a series: the person × session grid, the invite form and
the counts per session. Shown by ``invitations.index`` and again, with a message, by every form
on it that was refused."""

from __future__ import annotations

from flask import render_template, request
from sqlalchemy import select

from planner.audit.models import AuditAction
from planner.audit.web import audit, audited, ids_detail
from planner.extensions import db
from planner.invitations.forms import InviteForm
from planner.invitations.grid import CELL_LABELS, MAIL_LABELS, GridFilters, filter_choices, grid_page
from planner.invitations.grid_forms import BulkForm, GridFilterForm, session_label
from planner.invitations.letters import count_letters_to_print
from planner.invitations.overview import find_people, letters_needed, session_summaries, withdrawn
from planner.invitations.services import open_sessions
from planner.mail.sending import last_sending
from planner.people.models import Organisation

INVITE_SEARCH = "q"  # the person picker's search; the grid's own is "search"


def invite_form(series) -> InviteForm:
    search = picker_search()
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name)).all()
    people = [(p.id, f"{p.name} ({p.organisation})" if p.organisation else p.name) for p in find_people(search)]
    form = InviteForm(
        people=people,
        organisations=organisations,
        sessions=[(s.id, session_label(s)) for s in open_sessions(series)],
    )
    if not form.is_submitted():
        form.sessions.data = [s.id for s in open_sessions(series)]
    return form


def picker_search() -> str:
    return request.args.get(INVITE_SEARCH, "").strip()[:100]


def bulk_form(series) -> BulkForm:
    return BulkForm(sessions=[s for s in series.sessions if not s.is_cancelled])


def grid_filters(series) -> tuple[GridFilterForm, GridFilters, int | None]:
    """The filter form read from the URL, the filters it gives (none while it is invalid), the page."""
    form = GridFilterForm(request.args, sessions=series.sessions, choices=filter_choices(series))
    if not form.validate():
        return form, GridFilters(), None
    return form, form.filters(), form.page.data


def render_grid_page(series, *, form: InviteForm | None = None, bulk: BulkForm | None = None, status: int = 200):
    filter_form, filters, number = grid_filters(series)
    grid = grid_page(series, filters, number)
    bulk = bulk or bulk_form(series)
    refused = bool(filter_form.errors) or bool(bulk.errors or bulk.form_errors)
    html = render_template(
        "invitations/index.html",
        series=series,
        grid=grid,
        filters=filters,
        filter_form=filter_form,
        grid_args=filters.as_args() | ({"page": grid.page.number} if grid.page and grid.page.number > 1 else {}),
        bulk=bulk,
        summaries=session_summaries(series),
        withdrawn=withdrawn(series),
        letters_needed=letters_needed(series),
        letters_to_print=count_letters_to_print([series.id]),
        form=form or invite_form(series),
        search=picker_search(),
        cell_labels=CELL_LABELS,
        mail_labels=MAIL_LABELS,
        last_reminder=last_sending(series.id, "reminder"),
    )
    if grid.people_with_needs:  # needs are sensitive: who saw whose is recorded apart
        audit(AuditAction.VIEW, "needs", series.id, ids_detail("persons", grid.people_with_needs))
    return audited(
        html,
        AuditAction.VIEW,
        "invitation_list",
        series.id,
        ids_detail("persons", grid.shown_people),
        status=422 if refused and status == 200 else status,
    )
