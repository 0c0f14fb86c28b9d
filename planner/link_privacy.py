"""Headers for pages whose address is a secret (a personal link, a door code) or that show personal data."""

from __future__ import annotations


def keep_link_private(response, *, cache: bool = False):
    """Never pass the address on to other sites, never let it be indexed, and (unless ``cache``) never cached."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    if not cache:
        response.headers["Cache-Control"] = "private, no-store"
    return response
