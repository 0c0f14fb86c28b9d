"""People and organisations: find, add and edit them, and import them from a spreadsheet."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from planner.audit.models import AuditAction
from planner.audit.web import audit, audited, ids_detail
from planner.auth.access import can_manage_people, people_manager_required
from planner.auth.models import StaffUser
from planner.extensions import db
from planner.forms import given
from planner.pagination import paginate
from planner.people.errors import PeopleError
from planner.people.forms import (
    CONSENT_ANSWERS,
    ImportReviewForm,
    ImportUploadForm,
    OrganisationForm,
    PersonForm,
    consent_field_name,
)
from planner.people.import_files import MAX_IMPORT_BYTES, pack_table, propose_mapping, read_table, unpack_table
from planner.people.importing import check_rows, import_people
from planner.people.models import (
    ConsentPurpose,
    Language,
    Organisation,
    Person,
    PersonRole,
    organisations_with_people_count,
    people_matching,
)
from planner.people.services import (
    consent_of,
    create_person,
    record_consent,
    save_organisation,
    update_person,
)
from planner.web import form_status, found_or_404, service_call

bp = Blueprint("people", __name__)


@bp.app_context_processor
def _navigation():
    return {"can_manage_people": can_manage_people}


# Persons


@bp.get("/people/")
@people_manager_required
def index():
    term = request.args.get("q", "")
    page = paginate(people_matching(term), request.args.get("page", 1, type=int))
    html = render_template("people/index.html", page=page, term=term)
    if page.items:
        return audited(html, AuditAction.VIEW, "person", "", ids_detail("list", [p.id for p in page.items]))
    return html


def _person_or_404(person_id: int) -> Person:
    person = db.session.scalar(
        select(Person)
        .where(Person.id == person_id)
        .options(joinedload(Person.organisation), selectinload(Person.consents))
    )
    return person or abort(404)


@bp.get("/people/<int:person_id>")
@people_manager_required
def show(person_id: int):
    person = _person_or_404(person_id)
    recorder_ids = {c.recorded_by_id for c in person.consents if c.recorded_by_id}
    recorders = (
        {u.id: u for u in db.session.scalars(select(StaffUser).where(StaffUser.id.in_(recorder_ids)))}
        if recorder_ids
        else {}
    )
    consents = [
        (purpose, next((c for c in person.consents if c.purpose == purpose), None)) for purpose in ConsentPurpose
    ]
    html = render_template("people/show.html", person=person, consents=consents, recorders=recorders)
    return audited(html, AuditAction.VIEW, "person", person.id)


def _person_form_page(person: Person | None):
    organisations = db.session.scalars(
        select(Organisation).order_by(func.lower(Organisation.name), Organisation.municipality)
    ).all()
    form = PersonForm(obj=person, organisations=organisations)
    if person is not None and not form.is_submitted():
        for purpose in ConsentPurpose:
            given = consent_of(person, purpose)
            form[consent_field_name(purpose)].data = "" if given is None else ("yes" if given else "no")
    if form.validate_on_submit():
        with service_call(
            form,
            fields={"organisation": "organisation_id"},
            conflict=lambda: PeopleError("person_email_taken", field="email", email=form.email.data),
        ):
            saved = create_person(form.details()) if person is None else update_person(person, form.details())
            for purpose in ConsentPurpose:
                given = CONSENT_ANSWERS[form[consent_field_name(purpose)].data or ""]
                record_consent(saved, purpose, given, current_user)
            audit(AuditAction.CHANGE, "person", saved.id, "created" if person is None else "edited")
            db.session.commit()
            flash(_("%(name)s saved.", name=saved.name), "success")
            return redirect(url_for("people.index", q=saved.email or saved.name))
    html = render_template("people/form.html", form=form, person=person, consent_purposes=list(ConsentPurpose))
    if person is not None and request.method == "GET":
        return audited(html, AuditAction.VIEW, "person", person.id, "edit form")
    return html, form_status(form)


@bp.route("/people/new", methods=["GET", "POST"], endpoint="new")
@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@people_manager_required
def edit(person_id: int | None = None):
    """A new person (no id in the URL), or the one whose id it is."""
    return _person_form_page(_person_or_404(person_id) if person_id is not None else None)


# Organisations


@bp.get("/organisations/")
@people_manager_required
def organisations():
    term = request.args.get("q", "")
    page = paginate(organisations_with_people_count(term), request.args.get("page", 1, type=int), rows=True)
    return render_template("people/organisations.html", page=page, term=term)


def _organisation_form_page(organisation: Organisation | None):
    form = OrganisationForm(obj=organisation)
    if form.validate_on_submit():
        with service_call(form, field="name", conflict=lambda: PeopleError("organisation_taken", name=form.name.data)):
            saved = save_organisation(
                organisation, name=given(form.name.data), municipality=form.municipality.data or ""
            )
            db.session.commit()
            flash(_("Organisation %(name)s saved.", name=saved.name), "success")
            return redirect(url_for("people.organisations", q=saved.name))
    return render_template("people/organisation_form.html", form=form, organisation=organisation), form_status(form)


@bp.route("/organisations/new", methods=["GET", "POST"], endpoint="new_organisation")
@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@people_manager_required
def edit_organisation(organisation_id: int | None = None):
    """A new organisation (no id in the URL), or the one whose id it is."""
    organisation = found_or_404(db.session.get(Organisation, organisation_id)) if organisation_id is not None else None
    return _organisation_form_page(organisation)


# Import: upload → review (mapping and preview, as often as needed) → import


@bp.route("/people/import", methods=["GET", "POST"])
@people_manager_required
def import_upload():
    form = ImportUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        with service_call(form, field="file"):
            table = read_table(upload.filename or "", upload.read(MAX_IMPORT_BYTES + 1))
            review = ImportReviewForm(columns=table.column_labels(), formdata=None)
            review.payload.data = pack_table(table, current_app.config["SECRET_KEY"])
            mapping = propose_mapping(table)
            review.show_mapping(mapping)
            # Without a name column there is nothing to preview yet: the organiser picks one first.
            return _review_page(review, table, mapping if mapping["name"] is not None else None)
    return _upload_page(form)


def _upload_page(form: ImportUploadForm):
    return render_template("people/import_upload.html", form=form), form_status(form)


@bp.post("/people/import/review")
@people_manager_required
def import_review():
    upload = ImportUploadForm(formdata=None)
    with service_call(upload, field="file"):
        table = unpack_table(request.form.get("payload", ""), current_app.config["SECRET_KEY"])
    if upload.errors:  # too old or changed on the way: the organiser uploads the file again
        return _upload_page(upload)
    form = ImportReviewForm(columns=table.column_labels())
    if not form.validate_on_submit():
        return _review_page(form, table, None, status=422)
    mapping = form.mapping()
    if "import" in request.form:
        try:
            with service_call(form):
                result = import_people(
                    table, mapping, default_role=form.default_role.data or None, all_or_nothing=form.all_or_nothing.data
                )
                audit(AuditAction.CHANGE, "person", "", f"import: {result.imported} imported, {result.skipped} skipped")
                db.session.commit()
                flash(
                    ngettext("%(num)s person imported.", "%(num)s people imported.", result.imported)
                    + " "
                    + ngettext("%(num)s row skipped.", "%(num)s rows skipped.", result.skipped),
                    "success",
                )
                return redirect(url_for("people.index"))
        except IntegrityError:
            # Someone stored one of these addresses between our check and our commit.
            db.session.rollback()
            form.form_errors.append(_("Someone changed the list of people meanwhile. Check the preview and try again."))
            return _review_page(form, table, mapping, status=409)
        return _review_page(form, table, mapping, status=422)
    return _review_page(form, table, mapping)


def _review_page(form: ImportReviewForm, table, mapping, status: int = 200):
    checks = None
    if mapping is not None:
        with service_call(form, field="column_name"):
            checks = check_rows(table, mapping, form.default_role.data or None)
        status = form_status(form) if status == 200 else status
    return render_template(
        "people/import_review.html",
        form=form,
        table=table,
        checks=[(c, [p.message for p in c.problems]) for c in checks] if checks is not None else None,
        good=sum(1 for c in checks if c.ok) if checks else 0,
        bad=sum(1 for c in checks if not c.ok) if checks else 0,
        role_labels={role.value: role.label for role in PersonRole},
        language_labels={language.value: language.label for language in Language},
    ), status
