"""Time mail delivery next to its floor, the same work done with smtplib alone, in one run.

    .venv/bin/python scripts/mail_benchmark.py [--messages 2000] [--batch-size 50] [--repeat 3]
        [--database-url URL]
    .venv/bin/python scripts/mail_benchmark.py --workers 4 [--server-ms 20] [...]

Builds a scratch database (SQLite in a temporary folder unless --database-url is given; that
database's public schema is emptied first), queues the messages through ``queue_mail`` and runs
each measurement --repeat times against an aiosmtpd server on 127.0.0.1, printing the median.
Before each run the same rows are put back in the queue.

One worker (the default), the server in this process answering at once:
  app                `flask mail deliver`: claim, build, send over one connection per batch, record;
  floor build+send   the same rows, read beforehand, built with the email.mime classes (as the
                     app builds them) and sent with ``send_message`` over one smtplib connection;
                     and built with EmailMessage instead, for comparison;
  floor prebuilt     the same messages flattened beforehand: only the sending is timed.

--workers N, the server taking --server-ms per message (as a remote server might): N worker
processes, each running `flask mail deliver` on its own (started together once each has loaded
the app), next to one such process against the same server; and as the floor, 1 and N
processes sending their share of the prebuilt messages over one smtplib connection each.

Every run checks that each message arrived exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import smtplib
import socket
import statistics
import threading
import time
from datetime import timedelta
from email.charset import QP, Charset
from email.header import Header
from email.headerregistry import Address
from email.message import EmailMessage, Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import SMTP
from email.utils import format_datetime, formataddr

import flask_migrate
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from planner import create_app
from planner.extensions import db
from planner.mail.models import MailStatus, OutboxMessage
from planner.mail.services import queue_mail
from planner.timekeeping import utcnow
from scratch import scratch_database

UTF8_QP = Charset("utf-8")
UTF8_QP.body_encoding = QP


class CountingHandler:
    """Accepts every message (after ``delay`` seconds) and notes its Message-ID."""

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.message_ids: list[bytes] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, _server, _session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        header, _, _ = envelope.original_content.partition(b"\r\n\r\n")
        message_id = next((line for line in header.split(b"\r\n") if line.lower().startswith(b"message-id:")), b"")
        with self.lock:
            self.message_ids.append(message_id)
        return "250 OK"

    def take(self) -> list[bytes]:
        with self.lock:
            received, self.message_ids = self.message_ids, []
        return received


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- the floor: the email package and smtplib alone ------------------------------------------


def floor_message(row, sender: str) -> Message:
    """The message the worker sends for ``row``, built with the email.mime classes alone."""
    message = MIMEMultipart("alternative")
    for body, subtype in ((row.body_text, "plain"), (row.body_html, "html")):
        part = MIMENonMultipart("text", subtype, charset="utf-8")
        part.set_payload(body, UTF8_QP)
        message.attach(part)
    message["From"] = sender
    message["To"] = formataddr((row.to_name, row.to_address), charset="utf-8")
    if row.reply_to:
        message["Reply-To"] = row.reply_to
    message["Subject"] = Header(row.subject, "utf-8") if not row.subject.isascii() else row.subject
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = row.message_id
    message["Auto-Submitted"] = "auto-generated"
    message["Content-Language"] = row.language
    return message


def floor_email_message(row, sender: str) -> EmailMessage:
    """The same message built with EmailMessage (the email package's newer API)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = Address(display_name=row.to_name, addr_spec=row.to_address)
    if row.reply_to:
        message["Reply-To"] = row.reply_to
    message["Subject"] = row.subject
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = row.message_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.body_text)
    message.add_alternative(row.body_html, subtype="html")
    message["Content-Language"] = row.language
    return message


def floor_build_and_send(rows, sender: str, port: int, build=floor_message) -> None:
    with smtplib.SMTP("127.0.0.1", port) as connection:
        for row in rows:
            connection.send_message(build(row, sender))


def floor_prebuilt(messages: list[tuple[str, bytes]], sender: str, port: int) -> None:
    with smtplib.SMTP("127.0.0.1", port) as connection:
        for to_address, data in messages:
            connection.sendmail(sender, [to_address], data)


# -- the app -----------------------------------------------------------------------------------


def requeue() -> None:
    """Put every message back in the queue, as if just queued."""
    db.session.execute(
        sa.update(OutboxMessage).values(
            status=MailStatus.QUEUED,
            attempts=0,
            claimed_until=None,
            sent_at=None,
            last_error="",
            next_attempt_at=utcnow() - timedelta(seconds=1),
        )
    )
    db.session.commit()


def deliver_in_this_process(app) -> str:
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def worker_process(config: dict, start, results) -> None:
    """One worker process: load the app, wait for the others, run `flask mail deliver`."""
    app = create_app(config)
    runner = app.test_cli_runner()
    start.wait()
    result = runner.invoke(args=["mail", "deliver"])
    results.put((result.exit_code, result.output.strip()))


def floor_process(messages: list[tuple[str, bytes]], sender: str, port: int, start, results) -> None:
    """The floor's process: its share of the prebuilt messages over one smtplib connection."""
    start.wait()
    floor_prebuilt(messages, sender, port)
    results.put((0, ""))


def in_processes(target, arguments: list[tuple]) -> float:
    """Seconds from the moment one process per ``arguments`` starts working until the last is done."""
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(len(arguments) + 1), context.Queue()
    processes = [context.Process(target=target, args=(*args, start, results)) for args in arguments]
    for process in processes:
        process.start()
    start.wait()
    started = time.perf_counter()
    outcomes = [results.get(timeout=600) for _ in processes]
    elapsed = time.perf_counter() - started
    for process in processes:
        process.join()
    for exit_code, output in outcomes:
        assert exit_code == 0, output
    return elapsed


# -- measuring ---------------------------------------------------------------------------------


def check(received: list[bytes], expected: int, what: str) -> None:
    if len(received) != expected or len(set(received)) != expected:
        raise SystemExit(f"{what}: {len(received)} received, {len(set(received))} distinct, {expected} expected")


def rate(messages: int, runs: list[float]) -> str:
    rates = sorted(messages / seconds for seconds in runs)
    return f"{statistics.median(rates):7,.0f} mails/s   (runs: {', '.join(f'{r:,.0f}' for r in rates)})"


def one_worker(app, handler: CountingHandler, port: int, messages: int, repeat: int) -> None:
    sender = app.config["MAIL_DEFAULT_SENDER"]
    rows = db.session.execute(sa.select(OutboxMessage.__table__).order_by(OutboxMessage.id)).all()
    prebuilt = [(row.to_address, floor_message(row, sender).as_bytes(policy=SMTP)) for row in rows]
    db.session.commit()
    runs: dict[str, list[float]] = {"app": [], "build": [], "email": [], "prebuilt": []}
    for _ in range(repeat):
        requeue()
        started = time.perf_counter()
        summary = deliver_in_this_process(app)
        runs["app"].append(time.perf_counter() - started)
        check(handler.take(), messages, f"app ({summary})")

        started = time.perf_counter()
        floor_build_and_send(rows, sender, port)
        runs["build"].append(time.perf_counter() - started)
        check(handler.take(), messages, "floor build+send")

        started = time.perf_counter()
        floor_build_and_send(rows, sender, port, build=floor_email_message)
        runs["email"].append(time.perf_counter() - started)
        check(handler.take(), messages, "floor EmailMessage build+send")

        started = time.perf_counter()
        floor_prebuilt(prebuilt, sender, port)
        runs["prebuilt"].append(time.perf_counter() - started)
        check(handler.take(), messages, "floor prebuilt")
    medians = {name: statistics.median(messages / seconds for seconds in times) for name, times in runs.items()}
    print("one worker, SMTP server in this process answering at once:")
    print(f"  app    flask mail deliver                {rate(messages, runs['app'])}")
    print(f"  floor  email.mime build + send_message   {rate(messages, runs['build'])}")
    print(f"  floor  EmailMessage build + send_message {rate(messages, runs['email'])}")
    print(f"  floor  prebuilt, sendmail only           {rate(messages, runs['prebuilt'])}")
    print(f"  app / floor email.mime build+send:   {medians['app'] / medians['build']:.2f}x")
    print(f"  app / floor EmailMessage build+send: {medians['app'] / medians['email']:.2f}x")
    print(f"  app / floor prebuilt:                {medians['app'] / medians['prebuilt']:.2f}x")


def many_workers(app, handler: CountingHandler, messages: int, workers: int, repeat: int) -> None:
    config = {
        key: app.config[key]
        for key in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "MAIL_SERVER", "MAIL_PORT", "MAIL_BATCH_SIZE")
    }
    sender = app.config["MAIL_DEFAULT_SENDER"]
    rows = db.session.execute(sa.select(OutboxMessage.__table__).order_by(OutboxMessage.id)).all()
    prebuilt = [(row.to_address, floor_message(row, sender).as_bytes(policy=SMTP)) for row in rows]
    counts = (1, workers)
    app_runs: dict[int, list[float]] = {count: [] for count in counts}
    floor_runs: dict[int, list[float]] = {count: [] for count in counts}
    for _ in range(repeat):
        for count in counts:
            requeue()
            db.session.remove()
            db.engine.dispose()  # hold no connection (nor SQLite lock) while the processes work
            app_runs[count].append(in_processes(worker_process, [(config,)] * count))
            check(handler.take(), messages, f"{count} worker process(es)")
            shares = [(prebuilt[n::count], sender, config["MAIL_PORT"]) for n in range(count)]
            floor_runs[count].append(in_processes(floor_process, shares))
            check(handler.take(), messages, f"floor, {count} process(es)")
    print(f"worker processes, SMTP server answering each message in {handler.delay * 1000:g} ms:")
    for count in counts:
        label = f"{count} process{'es' if count > 1 else '  '}"
        print(f"  app    {label}  flask mail deliver          {rate(messages, app_runs[count])}")
        print(f"  floor  {label}  prebuilt, sendmail only     {rate(messages, floor_runs[count])}")
    for name, runs in (("app", app_runs), ("floor", floor_runs)):
        medians = [statistics.median(messages / seconds for seconds in runs[count]) for count in counts]
        print(f"  {name:5}  {workers} processes / 1 process: {medians[1] / medians[0]:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--server-ms", type=float, default=20.0, help="with --workers: the server's time per message")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    url = scratch_database(args.database_url, "mail-benchmark")
    handler = CountingHandler(delay=args.server_ms / 1000 if args.workers > 1 else 0.0)
    port = free_port()
    server = Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    config = {
        "SECRET_KEY": "benchmark",
        "SQLALCHEMY_DATABASE_URI": url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_BATCH_SIZE": args.batch_size,
    }
    app = create_app(config)
    try:
        with app.app_context():
            flask_migrate.upgrade()
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
            backend = sa.make_url(url).get_backend_name()
            print(
                f"database: {backend}, messages: {args.messages}, batch size: {args.batch_size}, "
                f"repetitions: {args.repeat} (median first)"
            )
            if args.workers > 1:
                many_workers(app, handler, args.messages, args.workers, args.repeat)
            else:
                one_worker(app, handler, port, args.messages, args.repeat)
            db.session.remove()
            db.engine.dispose()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
