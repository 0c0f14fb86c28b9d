"""Links that leave the app: in mails, letters, QR codes and calendar files.

They are built from the route table by endpoint, with ``BASE_URL`` as the root (its scheme,
host and any path prefix), so a mailed link always matches its route. This works inside a
request and outside one (the mail, reminder and evaluation commands run without a request),
and never takes the host from the request: a link must not depend on who opened a page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from werkzeug.routing import MapAdapter


def external_url(endpoint: str, **values) -> str:
    """The absolute address of ``endpoint`` (e.g. ``"participant.personal_page"``) under BASE_URL."""
    return _adapter(current_app.config["BASE_URL"]).build(endpoint, values, force_external=True)


def _adapter(base_url: str) -> MapAdapter:
    """The route table bound to BASE_URL, once per app and address (a round builds thousands of links)."""
    adapters = current_app.extensions.setdefault("reeks_link_adapters", {})
    if base_url not in adapters:
        base = urlsplit(base_url)
        adapters[base_url] = current_app.url_map.bind(
            base.netloc, script_name=base.path.rstrip("/") or "/", url_scheme=base.scheme or "https"
        )
    return adapters[base_url]


def webcal(url: str) -> str:
    """The same address for calendar apps, which subscribe to ``webcal://`` links."""
    return "webcal://" + url.split("://", 1)[1]
