"""Where the time of one participant request goes: cProfile around the app, in-process.

    .venv/bin/python scripts/request_profile.py [poll|feed|page|answer ...] [--requests 200] [--lines 30]

Seeds the demo world as scripts/request_benchmark.py does, warms each request up, then times it
(CPU milliseconds per request) and prints the profile's top lines by cumulative time. The
numbers are the app's alone: no HTTP server, no other process.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("measures", nargs="*", default=["poll", "feed", "page", "answer"])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--lines", type=int, default=30)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    from planner import create_app
    from request_benchmark import APP_PORT, seed
    from scratch import scratch_database

    url = scratch_database(args.database_url, "profile")
    base_url = f"http://127.0.0.1:{APP_PORT}"
    token, feed_token = seed(url, base_url, 1)[0]
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "profile", "BASE_URL": base_url})
    client = app.test_client(use_cookies=False)
    feed = f"/feed/{feed_token}.ics"

    page = client.get(f"/i/{token}")
    cookie = page.headers["Set-Cookie"].split(";", 1)[0]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))
    fields = sorted(set(re.findall(r'name="(session_\d+)" type="radio"', page.get_data(as_text=True))))
    turns = [0]

    def answer():
        turns[0] += 1
        form = {"csrf_token": csrf.group(1) if csrf else "", **dict.fromkeys(fields, ("yes", "maybe")[turns[0] % 2])}
        return client.post(f"/i/{token}", data=form, headers={"Cookie": cookie, "Referer": "https://localhost/"})

    measures = {
        "poll": None,  # made below, with the feed's ETag of that moment
        "feed": lambda: client.get(feed),
        "page": lambda: client.get(f"/i/{token}"),
        "answer": answer,
    }
    for name in args.measures:
        make = measures[name] or _poll(client, feed)
        for _ in range(20):
            response = make()
        began = time.process_time()
        for _ in range(args.requests):
            make()
        per_request = (time.process_time() - began) / args.requests * 1000
        print(f"\n{name}: {response.status_code}, {per_request:.2f} ms CPU per request")
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            make()
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(args.lines)


def _poll(client, feed: str):
    """A calendar app's poll with the ETag it holds (taken now: an answer changes the feed)."""
    etag = client.get(feed).headers["ETag"]
    return lambda: client.get(feed, headers={"If-None-Match": etag})


if __name__ == "__main__":
    main()
