"""Who a session is for. The keys are stored; the labels are shown."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Audience(enum.StrEnum):
    RESIDENTS = "residents"
    VOLUNTEERS = "volunteers"
    PROFESSIONALS = "professionals"
    EXPERTS = "experts"
    STUDENTS = "students"
    RESEARCHERS = "researchers"
    PARTNERS = "partners"
    POLICYMAKERS = "policymakers"

    @property
    def label(self):
        return AUDIENCE_LABELS[self]


AUDIENCE_LABELS = {
    Audience.RESIDENTS: _l("Residents"),
    Audience.VOLUNTEERS: _l("Volunteers"),
    Audience.PROFESSIONALS: _l("Professionals"),
    Audience.EXPERTS: _l("Experts by experience"),
    Audience.STUDENTS: _l("Students"),
    Audience.RESEARCHERS: _l("Lecturers and researchers"),
    Audience.PARTNERS: _l("Partner organisations"),
    Audience.POLICYMAKERS: _l("Municipal policymakers"),
}
