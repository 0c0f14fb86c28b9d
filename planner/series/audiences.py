"""Who a session is for. The keys are stored; the labels are shown."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from planner.schema import LabelledEnum


class Audience(LabelledEnum):
    RESIDENTS = "residents", _l("Residents")
    VOLUNTEERS = "volunteers", _l("Volunteers")
    PROFESSIONALS = "professionals", _l("Professionals")
    EXPERTS = "experts", _l("Experts by experience")
    STUDENTS = "students", _l("Students")
    RESEARCHERS = "researchers", _l("Lecturers and researchers")
    PARTNERS = "partners", _l("Partner organisations")
    POLICYMAKERS = "policymakers", _l("Municipal policymakers")
