"""Time mail delivery: queue N messages, deliver them to a local SMTP server, print the rate.

    .venv/bin/python scripts/mail_benchmark.py [--messages 2000] [--batch-size 50]
        [--workers 1] [--database-url URL]

Builds a scratch database (SQLite in a temporary folder unless --database-url is given; that
database's public schema is emptied first), queues the messages through ``queue_mail`` and
runs ``flask mail deliver`` against an aiosmtpd server on 127.0.0.1 (one SMTP connection per
batch). With --workers N, N threads each run the delivery loop at once, as N worker processes
would. Checks that every message arrived exactly once.
"""

from __future__ import annotations

import argparse
import socket
import threading
import time

import flask_migrate
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from planner import create_app
from planner.extensions import db
from planner.mail.delivery import deliver_due
from planner.mail.services import queue_mail
from scratch import scratch_database


class CountingHandler:
    def __init__(self):
        self.message_ids: list[bytes] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, _server, _session, envelope):
        header, _, _ = envelope.original_content.partition(b"\r\n\r\n")
        message_id = next((line for line in header.split(b"\r\n") if line.lower().startswith(b"message-id:")), b"")
        with self.lock:
            self.message_ids.append(message_id)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    url = scratch_database(args.database_url, "mail-benchmark")

    handler = CountingHandler()
    port = free_port()
    server = Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    app = create_app(
        {
            "SECRET_KEY": "benchmark",
            "SQLALCHEMY_DATABASE_URI": url,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": port,
            "MAIL_BATCH_SIZE": args.batch_size,
        }
    )
    try:
        with app.app_context():
            flask_migrate.upgrade()
            started = time.perf_counter()
            for n in range(args.messages):
                queue_mail(
                    to_address=f"deelnemer{n}@example.org",
                    to_name=f"Deelnemer {n}",
                    language="nl" if n % 3 else "en",
                    template="test",
                    context={},
                    reference=f"benchmark:{n}",
                )
            db.session.commit()
            queued = time.perf_counter() - started

            started = time.perf_counter()
            if args.workers == 1:
                result = app.test_cli_runner().invoke(args=["mail", "deliver"])
                assert result.exit_code == 0, result.output
                summary = result.output.strip()
            else:

                def work():
                    with app.app_context():
                        deliver_due()
                        db.session.remove()

                threads = [threading.Thread(target=work) for _ in range(args.workers)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                summary = f"{args.workers} workers"
            delivered = time.perf_counter() - started
            db.engine.dispose()
    finally:
        server.stop()

    received = len(handler.message_ids)
    unique = len(set(handler.message_ids))
    backend = sa.make_url(url).get_backend_name()
    print(f"database: {backend}, messages: {args.messages}, batch size: {args.batch_size}, workers: {args.workers}")
    print(f"queue_mail: {queued:.2f} s ({args.messages / queued:,.0f} messages/s)")
    print(f"deliver:    {delivered:.2f} s ({received / delivered:,.0f} messages/s) - {summary}")
    print(f"received {received}, distinct Message-IDs {unique}")
    if received != args.messages or unique != received:
        raise SystemExit("some messages were lost or sent twice")


if __name__ == "__main__":
    main()
