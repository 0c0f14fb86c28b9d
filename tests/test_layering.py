"""Arrows point down the flow: series knows nothing of invitations; calendar and mail of no area."""

from __future__ import annotations

import ast
from pathlib import Path

PLANNER = Path(__file__).resolve().parent.parent / "planner"


def imported_modules(area: str) -> set[str]:
    found = set()
    for path in (PLANNER / area).glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
    return found


def test_series_does_not_import_invitations():
    assert not [m for m in imported_modules("series") if m.startswith("planner.invitations")]


def test_calendar_is_pure():
    assert not [m for m in imported_modules("calendar") if m.startswith(("planner", "flask", "sqlalchemy"))]


def test_mail_imports_no_area_above_it():
    above = ("planner.invitations", "planner.series", "planner.people", "planner.calendar")
    assert not [m for m in imported_modules("mail") if m.startswith(above)]


def test_no_area_above_the_flow_imports_attendance():
    for area in ("invitations", "series", "people", "programmes", "calendar", "mail"):
        assert not [m for m in imported_modules(area) if m.startswith("planner.attendance")], area


def test_group_drawing_is_pure():
    path = PLANNER / "attendance" / "groups.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    assert not [m for m in found if m.startswith(("planner", "flask", "sqlalchemy"))]


def test_only_evaluations_and_privacy_import_evaluations():
    for area in ("invitations", "series", "people", "programmes", "calendar", "mail", "attendance", "audit"):
        assert not [m for m in imported_modules(area) if m.startswith("planner.evaluations")], area


def test_nothing_imports_privacy():
    # Privacy sits at the end of the flow: it reaches into every area, none reaches into it.
    for area in ("invitations", "series", "people", "programmes", "calendar", "mail", "attendance", "evaluations", "audit"):
        assert not [m for m in imported_modules(area) if m.startswith("planner.privacy")], area


def test_audit_imports_no_area():
    areas = ("planner.invitations", "planner.series", "planner.people", "planner.programmes",
             "planner.attendance", "planner.evaluations", "planner.privacy", "planner.calendar")
    assert not [m for m in imported_modules("audit") if m.startswith(areas)]
