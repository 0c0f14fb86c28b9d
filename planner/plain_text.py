"""Text as people meant to type it: no invisible control characters.

A control character (``\\x02`` pasted from another program, say) shows nowhere, matches nothing
and cannot be written into a spreadsheet, so one stored name would break every XLSX download
it appears in. Everything typed or imported passes :func:`clean_text` on the way in: tabs and
line breaks stay (a carriage return becomes a line break), the other C0 controls go.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls but tab (\x09) and line feed (\x0a); carriage returns are made line feeds first.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f]")
LINE_ENDINGS = re.compile(r"\r\n?")
# Folding can make a name longer ("ß" is "ss"): room for a 160-character name three times over.
NAME_KEY_LENGTH = 480


def clean_text(value):
    """``value`` without control characters (tab and line breaks kept); anything not text as it is."""
    if not isinstance(value, str):
        return value
    return CONTROL_CHARACTERS.sub("", LINE_ENDINGS.sub("\n", value))


def name_key(name: str) -> str:
    """What makes two names the same name: case (accented capitals too: "ÉÉN" is "één"), the
    Unicode spelling of a letter and runs of spaces do not count. Stored beside each name that
    must be unique (``name_key`` columns), where a unique index holds it on every database;
    SQLite's lower() folds only A-Z, so comparing lower(name) there would let "ÉÉN" in twice."""
    folded = unicodedata.normalize("NFKC", " ".join(name.split())).casefold()
    return unicodedata.normalize("NFKC", folded)
