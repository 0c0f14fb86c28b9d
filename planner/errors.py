"""The one kind of error a service raises: a code, from its area's enum, that knows its message.

Each area lists its codes in its own ``errors.py``, all in one shape: an ``ErrorCode`` enum whose
members are the code (the member's name in lower case) and its message, blanks and all:
``TOO_FAR_AHEAD = auto(), _l("Up to %(years)s years ahead.")``. The error's params fill the blanks,
a ``day`` or ``time`` written out in the reader's language (``when``); only a message that needs
more (a plural) is a function of the params. Beside the enum stands the area's ``DomainError``
subclass that names it: ``class SeriesError(DomainError, codes=SeriesCode)``. A service raises
``SeriesError("title_required")``: an unknown code fails at once, in the service, not later as
a page without a message. ``form_field`` names the form field the error is about, so the page
can show the message beside it (``planner/web.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, TypeAlias

from flask_babel import LazyString, format_date, format_time

from planner.schema import TextEnum

Explain: TypeAlias = Callable[[Mapping[str, Any]], str] | LazyString


class ErrorCode(TextEnum):
    """A code a service raises, with what it means to a person (called with the error's params)."""

    @property
    def explain(self) -> Explain:
        return self._text

    def message(self, params: Mapping[str, Any] | None = None) -> str:
        if isinstance(self.explain, LazyString):
            return str(self.explain) % when(params) if params else str(self.explain)
        return self.explain(params or {})


def when(params: Mapping[str, Any]) -> dict[str, Any]:
    """The params with a ``day`` and ``time`` written out in the reader's language."""
    out = dict(params)
    if "day" in params:
        out["day"] = format_date(params["day"], "full")
    if "time" in params:
        out["time"] = format_time(params["time"], "short")
    return out


class DomainError(Exception):
    """A refusal by a rule. An area's subclass names its ``ErrorCode`` enum:
    ``class SeriesError(DomainError, codes=SeriesCode)``."""

    codes: ClassVar[type[ErrorCode]]

    def __init_subclass__(cls, *, codes: type[ErrorCode] | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if codes is not None:
            cls.codes = codes

    def __init__(self, code: ErrorCode | str, *, form_field: str | None = None, **params):
        code = self.codes(code)  # ValueError for a code the area does not know
        super().__init__(code, params)
        self.code: ErrorCode = code
        self.field = form_field
        self.params = params

    @property
    def message(self) -> str:
        """What went wrong, in the language of the request."""
        return self.code.message(self.params)
