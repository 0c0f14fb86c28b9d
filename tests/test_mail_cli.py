"""`flask mail deliver`, `flask mail worker` and `flask mail send-test`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

from sqlalchemy import select

from planner.mail.cli import run_worker
from planner.mail.models import MailStatus, OutboxMessage
from tests.test_mail_delivery import queue, queue_many


def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_deliver_sends_what_is_due_and_says_how_much(app, db, smtp_server):
    expected = queue_many(12)
    result = app.test_cli_runner().invoke(args=["mail", "deliver", "--batch-size", "5"])
    assert result.exit_code == 0, result.output
    assert "Sent 12 message(s); 0 to retry later, 0 failed" in result.output
    assert sorted(smtp_server.message_ids()) == expected


def test_deliver_reports_a_server_that_is_down(app, db, smtp_server):
    smtp_server.stop()
    queue_many(2)
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 0
    assert "Sent 0 message(s); 0 to retry later" in result.output
    assert "The mail server could not be reached: 2 message(s) wait for it." in result.output
    assert "Cannot connect" in result.output


def test_send_test_queues_a_message_for_deliver(app, db, smtp_server):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["mail", "send-test", "--to", "check@example.org", "--language", "en"])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["mail", "deliver"]).exit_code == 0
    [received] = smtp_server.messages
    assert received["To"] == "check@example.org"
    assert received["Subject"] == "Test message from Reeks"


@contextmanager
def worker_in_a_thread(app, lines: list[str]):
    """``run_worker`` as `mail worker` runs it, in a thread, every 0.05 s; its output in ``lines``."""
    stop = threading.Event()

    def work():
        with app.app_context():
            run_worker(stop, interval=0.05, batch_size=10, echo=lambda line, **kw: lines.append(line))

    worker = threading.Thread(target=work)
    worker.start()
    try:
        yield
    finally:
        stop.set()
        worker.join(timeout=10)
    assert not worker.is_alive(), "the worker did not stop"


def test_the_worker_keeps_delivering_until_stopped(app, db, smtp_server):
    lines = []
    with worker_in_a_thread(app, lines):
        first = queue_many(3)
        assert wait_for(lambda: len(smtp_server.messages) == 3)
        second = queue_many(2)
        assert wait_for(lambda: len(smtp_server.messages) == 5)
    assert sorted(smtp_server.message_ids()) == sorted(first + second)
    # One line per round that did something; a round may have sent both lots.
    assert sum(int(line.split()[1]) for line in lines) == 5, lines


def test_the_worker_process_stops_gracefully_on_sigterm(app, db, smtp_server, tmp_path):
    message = queue()
    db.session.commit()
    env = worker_environment(app, smtp_server)
    command = [sys.executable, "-m", "flask", "--app", "planner", "mail", "worker", "--interval", "0.2"]
    with subprocess.Popen(
        command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    ) as worker:
        try:
            assert wait_for(lambda: len(smtp_server.messages) == 1), "the worker sent nothing"
            worker.send_signal(signal.SIGTERM)
            output, _ = worker.communicate(timeout=20)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.communicate()
    assert worker.returncode == 0, output
    assert "Mail worker started" in output
    assert "Mail worker stopped. Sent 1 message(s)" in output
    assert smtp_server.message_ids() == [message.message_id]
    db.session.expire_all()
    assert db.session.scalar(select(OutboxMessage.status)) == MailStatus.SENT


def worker_environment(app, smtp_server, **settings) -> dict:
    return dict(
        os.environ,
        SECRET_KEY="test-secret",
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        MAIL_SERVER=smtp_server.host,
        MAIL_PORT=str(smtp_server.port),
        **settings,
    )


def test_deliver_refuses_a_lease_too_short_for_the_timeout(app, db, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_LEASE_SECONDS", 50)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 30)
    message = queue()
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "deliver"])
    assert result.exit_code == 1, result.output
    assert "MAIL_LEASE_SECONDS (50) must be at least twice MAIL_TIMEOUT (30)" in result.output
    assert "Set MAIL_LEASE_SECONDS to 60 or more" in result.output
    db.session.expire_all()
    stored = db.session.get(OutboxMessage, message.id)
    assert (stored.status, stored.attempts) == (MailStatus.QUEUED, 0), "a refused start claimed mail"
    assert smtp_server.messages == []


def test_the_worker_refuses_to_start_with_a_lease_too_short_for_the_timeout(app, db, smtp_server, tmp_path):
    queue()
    db.session.commit()
    command = [sys.executable, "-m", "flask", "--app", "planner", "mail", "worker", "--interval", "0.2"]
    environment = worker_environment(app, smtp_server, MAIL_LEASE_SECONDS="50", MAIL_TIMEOUT="30")
    try:
        finished = subprocess.run(command, env=environment, cwd=tmp_path, capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        raise AssertionError("the worker started with a lease it can never send within") from None
    assert finished.returncode == 1
    assert "MAIL_LEASE_SECONDS (50) must be at least twice MAIL_TIMEOUT (30)" in finished.stderr
    assert "Mail worker started" not in finished.stdout
    assert smtp_server.messages == []


def test_deliver_sends_with_a_lease_of_60_and_a_timeout_of_30(app, db, smtp_server, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_LEASE_SECONDS", 60)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 30)
    expected = queue_many(4)
    result = app.test_cli_runner().invoke(args=["mail", "deliver", "--batch-size", "3"])
    assert result.exit_code == 0, result.output
    assert "Sent 4 message(s); 0 to retry later, 0 failed, 0 handed back." in result.output
    assert sorted(smtp_server.message_ids()) == expected
