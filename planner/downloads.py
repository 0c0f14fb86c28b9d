"""The Content-Disposition of a download whose name may hold any character (a series title)."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote


def content_disposition(disposition: str, filename: str) -> str:
    """``attachment; filename="…"``, plus ``filename*`` (RFC 6266) when the name is not plain ASCII.

    Headers travel as Latin-1, so a title with an en dash or an emoji must not go in as it is.
    """
    filename = filename.replace('"', "").replace("\\", "").replace("\r", "").replace("\n", "")
    simple = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    if simple == filename:
        return f'{disposition}; filename="{filename}"'
    return f"{disposition}; filename=\"{simple}\"; filename*=UTF-8''{quote(filename, safe='')}"
