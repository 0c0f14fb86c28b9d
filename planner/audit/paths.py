"""The page an audit entry came from, without the secrets some addresses hold.

A personal link (/i/<token>/...), an evaluation link (/e/<code>), a calendar feed and the door
check-in carry a token that lets whoever holds it act as someone. The trail is read by admins and
exported, so it stores the URL rule's shape with those variables as placeholders.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# URL variables that hold a secret, in every rule that has them.
SECRET_VARIABLES = frozenset({"token", "code"})

_VARIABLE = re.compile(r"<(?:[^<>:]+:)?(\w+)>")

# For a path that matched no rule (and for entries written before this module): the shapes of
# the addresses with secrets, and any long token-like segment.
_KNOWN_SECRETS = [
    (re.compile(r"^/i/[^/]+"), "/i/<token>"),
    (re.compile(r"^/e/[^/]+"), "/e/<code>"),
    (re.compile(r"^/feed/[^/]+\.ics"), "/feed/<token>.ics"),
    (re.compile(r"^/series/feed/[^/]+\.ics"), "/series/feed/<token>.ics"),
    (re.compile(r"^/check-in/(\d+)/[^/]+"), r"/check-in/\1/<code>"),
]
_TOKEN_LIKE = re.compile(r"(?<=/)[A-Za-z0-9_-]{20,}(?=/|\.|$)")


def path_without_secrets(rule: str | None, values: Mapping[str, object] | None, path: str) -> str:
    """``path`` as the URL ``rule`` it matched, its secret variables as <name>; without a rule,
    ``path`` with the known secret shapes replaced."""
    if rule is None:
        return scrub_path(path)
    values = values or {}

    def value(match: re.Match) -> str:
        name = match.group(1)
        return f"<{name}>" if name in SECRET_VARIABLES else str(values.get(name, f"<{name}>"))

    return _VARIABLE.sub(value, rule)


def scrub_path(path: str) -> str:
    for pattern, replacement in _KNOWN_SECRETS:
        path, replaced = pattern.subn(replacement, path, count=1)
        if replaced:
            break
    return _TOKEN_LIKE.sub("<token>", path)
