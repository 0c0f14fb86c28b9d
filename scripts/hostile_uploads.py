"""Time the people import on the hostile files of tests/hostile_uploads.py, and on ordinary
full-size lists, through the test client as an organiser.

    .venv/bin/python scripts/hostile_uploads.py [--database-url URL]

Prints, for each file: its size, the status, the seconds to the answer, the page's size and the
start of the message shown. The goal: any file of at most 2 MB answered within 5 seconds.
"""

from __future__ import annotations

import argparse
import contextvars
import io
import re
import sys
import time
from html import unescape
from pathlib import Path

import flask_migrate
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner import create_app
from planner.auth.services import create_staff_user
from planner.extensions import db
from planner.programmes.services import save_programme
from scratch import scratch_database
from tests import hostile_uploads as hostile
from tests.test_people_import import review_data

PASSWORD = "hostile uploads password"


def ordinary_files() -> dict:
    people = [["Naam", "E-mail", "Telefoon", "Rol", "Organisatie", "Gemeente", "Taal"]] + [
        [f"Persoon {n}", f"p{n}@example.org", f"06{n:08d}", "bewoner", f"Org {n % 40}", "Ede", "nl"]
        for n in range(5_000)
    ]
    wide = [[f"Kolom {c}" for c in range(30)]]
    wide[0][0] = "Naam"
    wide += [[f"r{r}c{c}" for c in range(30)] for r in range(5_000)]
    long_text = [["Naam", "E-mail", "Rol", "Organisatie", "Gemeente"]] + [
        [f"{n:05d}" + "n" * 74, "e" * 79, "bewoner", "o" * 79, "g" * 79] for n in range(5_000)
    ]
    return {
        # Just within every bound: the dearest files that are still read and previewed.
        "worst read: 160,000 distinct empty cells": ("lijst.xlsx", lambda: hostile.many_empty_cells(160_000)),
        "worst read: 42,000 cell formats": ("lijst.xlsx", lambda: hostile.many_styles(42_000)),
        "worst preview: 5,000 rows, 1.6 M characters, CSV": (
            "lijst.csv",
            lambda: "\r\n".join(";".join(r) for r in long_text).encode(),
        ),
        "ordinary: 5,000 people, CSV": ("lijst.csv", lambda: "\r\n".join(";".join(r) for r in people).encode()),
        "ordinary: 5,000 people, XLSX": ("lijst.xlsx", lambda: hostile.xlsx_bytes(people)),
        "ordinary: 5,000 rows x 30 columns, XLSX": ("lijst.xlsx", lambda: hostile.xlsx_bytes(wide)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = scratch_database(args.database_url, "hostile_uploads")
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    with app.app_context():
        flask_migrate.upgrade()
        organiser = create_staff_user("org@example.org", "Olga", PASSWORD)
        save_programme(None, name="Armoede", description="", organisers=[organiser], trekkers=[])
        db.session.commit()
        dialect = db.engine.dialect.name

    client = app.test_client()
    run = lambda *a, **k: contextvars.Context().run(client.open, *a, **k)  # noqa: E731
    run("/login", method="POST", data={"email": "org@example.org", "password": PASSWORD})
    run("/language", method="POST", data={"lang": "en"})
    print(f"database: {dialect}")
    print(f"{'file':50} {'bytes':>9} {'status':>6} {'seconds':>8} {'page':>9}  message")
    for name, (filename, build) in {**hostile.HOSTILE, **ordinary_files()}.items():
        data = build()
        boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), filename)})
        began = time.perf_counter()
        response = run(
            "/people/import", method="POST", data=body, content_type=f"multipart/form-data; boundary={boundary}"
        )
        seconds = time.perf_counter() - began
        page = response.get_data(as_text=True)
        shown = re.search(r'<p class="error"[^>]*>(.*?)</p>', page, re.S) or re.search(
            r'role="status">(.*?)</p>', page, re.S
        )
        message = " ".join(unescape(shown.group(1)).split())[:70] if shown else ""
        print(f"{name:50} {len(data):9d} {response.status_code:6d} {seconds:8.2f} {len(page):9d}  {message}")
        if response.status_code == 200 and len(page) > 1_000_000:
            # The review step gets the signed list back and checks every row again.
            began = time.perf_counter()
            again = run("/people/import/review", method="POST", data={**review_data(page), "preview": "1"})
            seconds = time.perf_counter() - began
            label = "  ... and its review step (preview again)"
            print(f"{label:50} {'':9} {again.status_code:6d} {seconds:8.2f} {len(again.get_data()):9d}")
    big = b"Naam\n" + b"x" * (5 * 1024 * 1024)
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(big), "lijst.csv")})
    began = time.perf_counter()
    response = run("/people/import", method="POST", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    seconds = time.perf_counter() - began
    shown = re.search(r"<h1>(.*?)</h1>", response.get_data(as_text=True), re.S)
    print(
        f"{'a 5 MB upload (past MAX_CONTENT_LENGTH)':50} {len(big):9d} {response.status_code:6d} {seconds:8.2f} "
        f"{len(response.get_data()):9d}  {unescape(shown.group(1))[:70] if shown else ''}"
    )


if __name__ == "__main__":
    main()
