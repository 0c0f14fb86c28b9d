"""The audit trail for admins: who viewed, exported, changed or deleted personal data."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template, request
from flask_babel import format_datetime, gettext as _
from flask_login import current_user

from planner.audit.forms import TrailFilterForm
from planner.audit.models import AuditAction
from planner.audit.trail import TrailFilter, object_types, trail
from planner.audit.web import audit
from planner.auth.access import admin_required
from planner.extensions import db
from planner.pagination import paginate
from planner.spreadsheets import spreadsheet_download

bp = Blueprint("audit", __name__)

EXPORT_LIMIT = 100_000  # rows in one export; narrow the filter for more


def _filter_form() -> tuple[TrailFilterForm, TrailFilter]:
    form = TrailFilterForm(request.args, object_types=object_types())
    if not form.validate():
        return form, TrailFilter()
    return form, TrailFilter(
        action=form.action.data or "",
        object_type=form.object_type.data or "",
        actor=form.actor.data or "",
        since=form.since.data,
        until=form.until.data,
    )


@bp.get("/admin/audit")
@admin_required
def index():
    form, chosen = _filter_form()
    page = paginate(trail(chosen), request.args.get("page", 1, type=int), per_page=50)
    return render_template(
        "audit/index.html",
        form=form,
        page=page,
        export_args={k: v for k, v in request.args.items() if k != "page"},
    ), 400 if form.errors else 200


def _rows(chosen: TrailFilter):
    header = [_("When"), _("Who"), _("Action"), _("Kind of data"), _("Object"), _("Detail"), _("IP address"), _("Page")]
    events = db.session.scalars(trail(chosen).limit(EXPORT_LIMIT))
    rows = (
        [
            format_datetime(e.at, "yyyy-MM-dd HH:mm:ss"),
            e.actor,
            str(e.action.label),
            e.object_type_label,
            e.object_id,
            e.detail,
            e.ip_address,
            e.source,
        ]
        for e in events
    )
    return header, rows


def _export_filter() -> TrailFilter:
    form, chosen = _filter_form()
    if form.errors:
        # Never export the whole trail because a filter could not be read.
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        abort(make_response(render_template("error.html", code=400, message=message), 400))
    return chosen


def _record_export(chosen: TrailFilter, kind: str) -> None:
    # Exporting the trail is itself an access worth knowing about; the filter says what.
    detail = ";".join(f"{k}={v}" for k, v in vars(chosen).items() if v)
    audit(AuditAction.EXPORT, "audit_trail", "", f"{kind} {detail}".strip(), actor=current_user)
    db.session.commit()


@bp.get("/admin/audit.<any(csv, xlsx):kind>")
@admin_required
def export(kind: str):
    chosen = _export_filter()
    _record_export(chosen, kind)
    header, rows = _rows(chosen)
    return spreadsheet_download(kind, header, rows, title="Audit", filename="audit-trail")
