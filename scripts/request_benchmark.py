"""Requests per second of the participant's requests, next to bare Flask doing the same work.

    .venv/bin/python scripts/request_benchmark.py [--seconds 5] [--connections 16] [--database-url URL]

Fills a scratch database with the demo world, then serves it with gunicorn (two sync workers, as
in production) and serves a floor beside it: a bare Flask app with one route per measure that
answers the same request with the libraries alone (the same ETag and bytes for the feed, the same
page rendered from a Jinja template, a form read and one row updated for the answer). Each measure
runs ``--connections`` clients at once for ``--seconds``; the table gives requests per second,
the median latency and the app's figure as a share of the floor's.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

APP_PORT, FLOOR_PORT = 5611, 5612


# The floor: bare Flask, the same answers, nothing of Reeks. gunicorn imports it from this file.


def floor_app():
    import sqlalchemy as sa
    from flask import Flask, Response, redirect, render_template_string, request

    folder = Path(os.environ["FLOOR_FOLDER"])
    feed_body = (folder / "feed.ics").read_bytes()
    feed_etag = (folder / "feed.etag").read_text()
    page_template = (folder / "page.html").read_text()
    engine = sa.create_engine(os.environ["FLOOR_DATABASE_URL"])
    app = Flask("floor")

    @app.get("/feed.ics")
    def feed():
        response = Response(feed_body, mimetype="text/calendar")
        response.set_etag(feed_etag)
        return response.make_conditional(request)

    @app.get("/page")
    def page():
        return render_template_string(page_template)

    @app.post("/page")
    def answer():
        chosen = request.form.get("answer", "yes")
        with engine.begin() as connection:
            connection.execute(
                sa.text("UPDATE rsvp SET answer = :answer WHERE id = :id"), {"answer": chosen, "id": request.form["id"]}
            )
        return redirect("/page", 303)

    return app


# Load: threads, each one request after another, a new connection for each (sync workers close).


@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, began: float, status: int) -> None:
        with self.lock:
            self.latencies.append(time.perf_counter() - began)
            self.statuses[status] = self.statuses.get(status, 0) + 1


def request(port: int, method: str, path: str, headers=None, body: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def run_load(port: int, connections: int, seconds: float, make_request) -> tuple[float, float, dict]:
    """make_request(n) → (method, path, headers, body) for the n-th client's next request."""
    load = Load()
    stop = time.perf_counter() + seconds

    def client(n: int) -> None:
        while time.perf_counter() < stop:
            method, path, headers, body = make_request(n)
            began = time.perf_counter()
            response, _ = request(port, method, path, headers, body)
            load.note(began, response.status)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(load.latencies) / seconds, statistics.median(load.latencies) * 1000, load.statuses


def serve(target: str, port: int, env: dict, chdir: Path) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
        [gunicorn, "-w", "2", "-b", f"127.0.0.1:{port}", "--chdir", str(chdir), target],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            request(port, "GET", "/nothing-here")
            return process
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{target} did not start")


def seed(database_url: str, base_url: str, clients: int) -> list[tuple[str, str]]:
    """The demo world; (personal link token, feed token) for ``clients`` people with an address."""
    import flask_migrate
    from sqlalchemy import select

    from planner import create_app
    from planner.demo import load_demo
    from planner.extensions import db
    from planner.invitations.models import Invitation
    from planner.invitations.services import renew_feed

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "benchmark", "BASE_URL": base_url})
    with app.app_context():
        flask_migrate.upgrade()
        load_demo()
        invitations = db.session.scalars(select(Invitation).where(Invitation.token.is_not(None))).all()
        one_each = {i.person_id: i for i in invitations if i.person.email and i.rsvps}  # a feed per person
        with_address = list(one_each.values())[:clients]
        links = [(i.token, renew_feed(i.person).token) for i in with_address]
        db.session.commit()
    while len(links) < clients:
        links += links[: clients - len(links)]
    return links


def csrf_and_cookie(port: int, path: str) -> tuple[str, str, list[str]]:
    response, data = request(port, "GET", path)
    page = data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    cookie = "; ".join(c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or [])
    fields = sorted(set(re.findall(r'name="(session_\d+)" type="radio"', page)))
    return (token.group(1) if token else ""), cookie, fields


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    from scratch import scratch_database

    url = scratch_database(args.database_url, "requests")
    base_url = f"http://127.0.0.1:{APP_PORT}"
    links = seed(url, base_url, args.connections)
    folder = Path(tempfile.mkdtemp())
    env = {"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32), "BASE_URL": base_url, "FLASK_DEBUG": "0"}
    app = serve("wsgi:app", APP_PORT, env, ROOT)
    try:
        token, feed_token = links[0]
        response, feed_body = request(APP_PORT, "GET", f"/feed/{feed_token}.ics")
        etag = response.getheader("ETag").strip('"')
        (folder / "feed.ics").write_bytes(feed_body)
        (folder / "feed.etag").write_text(etag)
        _, page = request(APP_PORT, "GET", f"/i/{token}")
        (folder / "page.html").write_text(page.decode().replace("{", "{{ '{' }}"))
        floor = serve(
            "request_benchmark:floor_app()",
            FLOOR_PORT,
            {"FLOOR_FOLDER": str(folder), "FLOOR_DATABASE_URL": url},
            ROOT / "scripts",
        )
        try:
            report(args, links, etag)
        finally:
            os.killpg(floor.pid, signal.SIGTERM)
    finally:
        os.killpg(app.pid, signal.SIGTERM)


def report(args, links, floor_etag: str) -> None:
    etags = {}
    for _, feed_token in links:
        response, _ = request(APP_PORT, "GET", f"/feed/{feed_token}.ics")
        etags[feed_token] = response.getheader("ETag")
    forms = [csrf_and_cookie(APP_PORT, f"/i/{token}") for token, _ in links]
    turns = [0] * len(links)

    def answer_post(n: int):
        token, _ = links[n]
        csrf, cookie, fields = forms[n]
        turns[n] += 1
        chosen = ("yes", "maybe")[turns[n] % 2]
        body = urlencode({"csrf_token": csrf, **dict.fromkeys(fields, chosen)})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        return "POST", f"/i/{token}", headers, body

    def floor_post(n: int):
        turns[n] += 1
        body = urlencode({"answer": ("yes", "maybe")[turns[n] % 2], "id": n + 1})
        return "POST", "/page", {"Content-Type": "application/x-www-form-urlencoded"}, body

    measures = {
        "personal feed poll answered 304": (
            lambda n: ("GET", f"/feed/{links[n][1]}.ics", {"If-None-Match": etags[links[n][1]]}, None),
            lambda n: ("GET", "/feed.ics", {"If-None-Match": f'"{floor_etag}"'}, None),
        ),
        "personal feed answered 200": (
            lambda n: ("GET", f"/feed/{links[n][1]}.ics", {}, None),
            lambda n: ("GET", "/feed.ics", {}, None),
        ),
        "participant page by personal link": (
            lambda n: ("GET", f"/i/{links[n][0]}", {}, None),
            lambda n: ("GET", "/page", {}, None),
        ),
        "answer POST from the participant page": (answer_post, floor_post),
    }
    print(f"{args.connections} connections, {args.seconds:g} s each, gunicorn -w 2")
    print(f"{'measure':40} {'app req/s':>10} {'p50 ms':>7} {'floor req/s':>12} {'p50 ms':>7} {'app/floor':>10}")
    for name, (app_request, floor_request) in measures.items():
        app_rate, app_p50, app_statuses = run_load(APP_PORT, args.connections, args.seconds, app_request)
        floor_rate, floor_p50, _ = run_load(FLOOR_PORT, args.connections, args.seconds, floor_request)
        print(
            f"{name:40} {app_rate:10.0f} {app_p50:7.0f} {floor_rate:12.0f} {floor_p50:7.0f} "
            f"{app_rate / floor_rate:9.2f}x  {dict(sorted(app_statuses.items()))}"
        )


if __name__ == "__main__":
    main()
