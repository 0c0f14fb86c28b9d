"""Every code a service raises is a member of its area's enum and has a message in Dutch and English."""

from __future__ import annotations

import ast
import importlib
from collections import defaultdict
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import LazyString

from planner.errors import DomainError, ErrorCode

ROOT = Path(__file__).resolve().parent.parent
PLANNER = ROOT / "planner"
AREAS_WITH_ERRORS = ["attendance", "auth", "evaluations", "invitations", "people", "programmes", "series"]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def raised_codes() -> list[tuple[str, int, type[DomainError], str]]:
    """(file, line, error class, code) for every ``SomethingError("code", ...)`` in planner/."""
    found = []
    for path in sorted(PLANNER.rglob("*.py")):
        module = importlib.import_module(_module_name(path))
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            error_class = getattr(module, name, None)
            if isinstance(error_class, type) and issubclass(error_class, DomainError):
                found.append((str(path.relative_to(ROOT)), node.lineno, error_class, node.args[0].value))
    return found


def error_enums() -> list[type[ErrorCode]]:
    enums = []
    for area in AREAS_WITH_ERRORS:
        module = importlib.import_module(f"planner.{area}.errors")
        enums += [
            v for v in vars(module).values() if isinstance(v, type) and issubclass(v, ErrorCode) and v is not ErrorCode
        ]
    return enums


def test_the_search_finds_the_codes_of_every_area():
    classes = {error_class.__name__ for _f, _l, error_class, _c in raised_codes()}
    assert {
        "AttendanceError",
        "AuthError",
        "EvaluationError",
        "InvitationError",
        "ModerationError",
        "PeopleError",
        "ProgrammeError",
        "SchedulingError",
        "SeriesError",
    } <= classes


def test_every_raised_code_is_a_member_of_its_areas_enum():
    unknown = [
        f"{f}:{line} {cls.__name__}({code!r})"
        for f, line, cls, code in raised_codes()
        if code not in {member.value for member in cls.codes}
    ]
    assert not unknown, f"codes without an enum member (and so without a message): {unknown}"


def test_an_unknown_code_is_refused_where_it_is_raised():
    from planner.series.errors import SeriesError

    with pytest.raises(ValueError, match="no_such_code"):
        SeriesError("no_such_code")


class _Anything(defaultdict):
    """Params for any message: every key is there."""

    def __init__(self):
        super().__init__(lambda: 2)

    def keys(self):  # so **params and dict(params) see the keys the message asks for
        return []


def _msgids(code: ErrorCode, monkeypatch) -> list:
    """The message ids the code's message asks the catalogue for."""
    if isinstance(code.explain, LazyString):
        return [code.explain._args[0]]
    asked = []
    module = importlib.import_module(type(code).__module__)
    monkeypatch.setattr(module, "_", lambda text, **_p: asked.append(text) or text, raising=False)
    monkeypatch.setattr(module, "ngettext", lambda one, many, n, **_p: asked.append((one, many)) or one, raising=False)
    code.explain(_Anything())
    return asked


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_code_has_a_message_in_both_catalogues(language, monkeypatch):
    with (PLANNER / f"translations/{language}/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = {m.id if isinstance(m.id, str) else tuple(m.id): m for m in read_po(handle) if m.id}
    problems = []
    for enum in error_enums():
        for code in enum:
            ids = _msgids(code, monkeypatch)
            if not ids:
                problems.append(f"{enum.__name__}.{code.name}: no message")
            for msgid in ids:
                entry = catalogue.get(msgid)
                translated = entry is not None and (
                    all(entry.string) if isinstance(entry.string, tuple) else bool(entry.string)
                )
                if not translated:
                    problems.append(f"{enum.__name__}.{code.name}: {msgid!r} not translated")
    assert not problems, problems


def test_a_message_speaks_the_language_of_the_request(app):
    from flask import g
    from flask_babel import refresh

    from planner.series.errors import SeriesError

    error = SeriesError("title_required")
    with app.test_request_context():
        assert error.message == "Vul een titel in."
        g.locale = "en"
        refresh()
        assert error.message == "Enter a title."
