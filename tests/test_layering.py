"""Arrows point down the flow: an area imports only areas before it, and no area another's routes.

``FLOW`` lists the areas from the lowest to the highest. Every import in planner/ (at the top of
a module or inside a function, routes included) must go to the same layer or an earlier one.
"""

from __future__ import annotations

import ast
from pathlib import Path

PLANNER = Path(__file__).resolve().parent.parent / "planner"

FLOW: list[set[str]] = [
    # Shared pieces every area may use; they import no area.
    {
        "timekeeping",
        "extensions",
        "errors",
        "schema",
        "config",
        "downloads",
        "spreadsheets",
        "pagination",
        "links",
        "link_privacy",
        "forms",
        "cli_options",
        "web",
        "converters",
        "plain_text",
        "query_plans",
    },
    {"calendar"},  # pure: objects in, bytes out
    {"mail"},  # the outbox knows no area
    # Who may do what: staff accounts and their access checks read programme roles and the people
    # manager's right, people and studios record who changed them. One layer: they import each other.
    {"auth", "audit", "people", "programmes"},
    {"series"},
    {"invitations"},
    {"attendance"},
    {"evaluations"},
    {"replies"},  # calendar replies change invitations' answers
    {"mailtexts"},  # a studio's mail texts, previewed with its series and people
    {"privacy", "statements"},
    {"dashboard"},  # the home page: counts and to-dos from every area above
    {"app"},  # create_app, models.py (every model for Alembic) and the demo
]
TOP_LEVEL_APP = {"__init__", "models", "demo"}
LAYER = {area: n for n, areas in enumerate(FLOW) for area in areas}


def area_of(module: str) -> str:
    """planner.series.routes → series; planner.timekeeping → timekeeping; planner → app."""
    parts = module.split(".")
    if len(parts) == 1:
        return "app"
    if (PLANNER / parts[1]).is_dir():
        return parts[1]
    return "app" if parts[1] in TOP_LEVEL_APP else parts[1]


def planner_modules() -> dict[str, Path]:
    modules = {}
    for path in PLANNER.rglob("*.py"):
        parts = path.relative_to(PLANNER.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every planner import, module level and inside functions."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("planner"):
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("planner")]
    return found


def test_every_area_has_a_place_in_the_flow():
    areas = {area_of(module) for module in planner_modules()}
    assert areas <= set(LAYER), f"add these to FLOW: {sorted(areas - set(LAYER))}"


def test_imports_follow_the_flow():
    against = []
    for module, path in planner_modules().items():
        mine = area_of(module)
        for line, target in imports_of(path):
            theirs = area_of(target)
            if LAYER[theirs] > LAYER[mine]:
                against.append(f"{path.relative_to(PLANNER.parent)}:{line} {mine} imports {target} ({theirs})")
    assert not against, against


def test_no_area_imports_another_areas_routes():
    against = []
    for module, path in planner_modules().items():
        for line, target in imports_of(path):
            is_routes = target.endswith(".routes") or ".routes." in target
            if is_routes and area_of(target) != area_of(module) and area_of(module) != "app":
                against.append(f"{path.relative_to(PLANNER.parent)}:{line} imports {target}")
    assert not against, against


def test_the_check_sees_an_import_against_the_flow(tmp_path):
    source = tmp_path / "x.py"
    source.write_text("def f():\n    from planner.evaluations.services import evaluation_of\n")
    ((line, target),) = imports_of(source)
    assert line == 2
    assert LAYER[area_of(target)] > LAYER["series"]


# The older, more specific arrows (module level of each area).


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
    for area in (
        "invitations",
        "series",
        "people",
        "programmes",
        "calendar",
        "mail",
        "attendance",
        "evaluations",
        "audit",
    ):
        assert not [m for m in imported_modules(area) if m.startswith("planner.privacy")], area


def test_audit_imports_no_area():
    areas = (
        "planner.invitations",
        "planner.series",
        "planner.people",
        "planner.programmes",
        "planner.attendance",
        "planner.evaluations",
        "planner.privacy",
        "planner.calendar",
    )
    assert not [m for m in imported_modules("audit") if m.startswith(areas)]
