"""Feeds already written, kept by their version's ETag, so that a changed feed is built once per process.

A feed's ETag is a hash of every row it is made from (planner/invitations/feed_versions.py), so
the same ETag means the same bytes: a calendar app that fetches a feed anew (no ETag of its own,
or an old one) is answered from here until something in the feed changes. The most recently used
feeds are kept, at most ``FEEDS_KEPT`` per app and process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import current_app

FEEDS_KEPT = 1024  # a few KB each: a few MB per worker at most
EXTENSION_KEY = "planner.built_feeds"


class BuiltFeeds:
    """The bytes of recently built feeds by ETag, the least recently used forgotten first."""

    def __init__(self, size: int = FEEDS_KEPT) -> None:
        self.size = size
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, etag: str) -> bytes | None:
        with self._lock:
            body = self._bodies.get(etag)
            if body is not None:
                self._bodies.move_to_end(etag)
            return body

    def keep(self, etag: str, body: bytes) -> None:
        with self._lock:
            self._bodies[etag] = body
            self._bodies.move_to_end(etag)
            while len(self._bodies) > self.size:
                self._bodies.popitem(last=False)


def built_feeds() -> BuiltFeeds:
    """This app's feeds (each app its own: a test's app never sees another's)."""
    feeds = current_app.extensions.get(EXTENSION_KEY)
    if feeds is None:
        feeds = current_app.extensions.setdefault(EXTENSION_KEY, BuiltFeeds())
    return feeds
