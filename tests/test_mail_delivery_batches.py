"""A batch goes out over one connection and its outcomes are written together, without losing
or doubling a mail: refusals, dropped connections and worker processes side by side."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

from sqlalchemy import event, select

from planner.extensions import db as _db
from planner.mail.delivery import deliver_due
from planner.mail.models import MailStatus, OutboxMessage
from planner.timekeeping import utcnow
from tests.smtp import HANG_UP
from tests.test_mail_cli import worker_environment
from tests.test_mail_delivery import at, queue_many


def outbox() -> dict[str, tuple[str, int, str]]:
    """Each message's (status, attempts, last_error) by recipient."""
    _db.session.expire_all()
    rows = _db.session.execute(
        select(OutboxMessage.to_address, OutboxMessage.status, OutboxMessage.attempts, OutboxMessage.last_error)
    )
    return {row.to_address: (row.status, row.attempts, row.last_error) for row in rows}


class Statements:
    """Counts claims, UPDATEs of outcomes and commits while it is active."""

    def __init__(self, engine):
        self.engine = engine
        self.claims = 0
        self.updates: list[str] = []
        self.commits = 0

    def _execute(self, _conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("WITH CLAIMABLE"):
            self.claims += 1
        elif statement.lstrip().upper().startswith("UPDATE OUTBOX_MESSAGE"):
            self.updates.append(statement)

    def _commit(self, _conn):
        self.commits += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._execute)
        event.listen(self.engine, "commit", self._commit)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._execute)
        event.remove(self.engine, "commit", self._commit)


def test_a_batch_is_claimed_in_one_statement_and_recorded_in_one_more(app, db, smtp_server):
    expected = queue_many(20)
    with Statements(db.engine) as statements:
        report = deliver_due(batch_size=50)
    assert report.sent == 20
    assert sorted(smtp_server.message_ids()) == expected
    assert statements.claims == 2, "expected one claim for the batch and one that found nothing left"
    assert len(statements.updates) == 1, f"expected one UPDATE for the sent mails: {statements.updates}"
    assert statements.commits == 3, "expected the claims and the outcomes committed once each"
    assert smtp_server.connections == 1, "the batch did not go over one connection"
    assert set(outbox().values()) == {(MailStatus.SENT, 1, "")}


def test_refused_recipients_fail_with_the_servers_answer_and_the_rest_are_sent(app, db, smtp_server):
    queue_many(6)
    smtp_server.answer("550 5.1.1 <person1@example.org>: User unknown", at="RCPT person1@example.org")
    smtp_server.answer("552 5.2.2 Mailbox full", at="RCPT person4@example.org")
    smtp_server.answer("451 4.3.0 Try again later", at="RCPT person2@example.org")
    now = utcnow()

    with Statements(db.engine) as statements:
        report = deliver_due(now=at(now))

    assert (report.sent, report.failed, report.retried) == (3, 2, 1)
    assert sorted(to for _sender, [to] in smtp_server.envelopes) == [
        "person0@example.org",
        "person3@example.org",
        "person5@example.org",
    ]
    rows = outbox()
    assert rows["person1@example.org"] == (MailStatus.FAILED, 1, "550 5.1.1 <person1@example.org>: User unknown")
    assert rows["person4@example.org"] == (MailStatus.FAILED, 1, "552 5.2.2 Mailbox full")
    assert rows["person2@example.org"] == (MailStatus.QUEUED, 1, "451 4.3.0 Try again later")
    for sent in ("person0@example.org", "person3@example.org", "person5@example.org"):
        assert rows[sent] == (MailStatus.SENT, 1, ""), f"{sent} was not recorded as sent"
    # One UPDATE for the three sent, one for each refusal with its own answer.
    assert len(statements.updates) == 4, statements.updates
    assert smtp_server.connections == 1, "a refused recipient cost the batch its connection"

    smtp_server.accept()
    assert deliver_due(now=at(now + timedelta(minutes=1))).sent == 1
    assert outbox()["person2@example.org"] == (MailStatus.SENT, 2, "")
    assert len(smtp_server.messages) == 4


def test_a_connection_dropped_mid_batch_is_opened_again_and_nothing_is_lost_or_sent_twice(app, db, smtp_server):
    expected = queue_many(5)
    smtp_server.answer(HANG_UP, at="RCPT person2@example.org")  # before its data: the server has nothing

    report = deliver_due()

    assert report.sent == 5
    assert report.retried == report.failed == 0
    assert smtp_server.connections == 2, "the worker did not reconnect after the drop"
    ids = smtp_server.message_ids()
    assert sorted(ids) == expected, "a mail was lost or sent twice"
    assert len(ids) == len(set(ids)) == 5
    assert set(outbox().values()) == {(MailStatus.SENT, 1, "")}


def test_a_connection_dropped_after_the_data_retries_only_that_mail_later(app, db, smtp_server):
    expected = queue_many(4)
    smtp_server.answer(HANG_UP, at="DATA")  # the first mail's data was sent, its answer never came
    now = utcnow()

    report = deliver_due(now=at(now))

    assert (report.sent, report.retried) == (3, 1)
    rows = outbox()
    [(dropped, (status, attempts, error))] = [(to, row) for to, row in rows.items() if row[0] != MailStatus.SENT]
    assert (status, attempts) == (MailStatus.QUEUED, 1)
    assert "SMTPServerDisconnected" in error
    assert deliver_due(now=at(now + timedelta(minutes=1))).sent == 1
    ids = smtp_server.message_ids()
    assert sorted(ids) == expected
    assert len(ids) == 4, "a mail the server never confirmed was not sent again, or one was sent twice"
    assert outbox()[dropped] == (MailStatus.SENT, 2, "")


def test_two_worker_processes_never_send_the_same_message(app, db, smtp_server, tmp_path):
    expected = queue_many(120)
    env = worker_environment(app, smtp_server, MAIL_BATCH_SIZE="5")
    command = [sys.executable, "-m", "flask", "--app", "planner", "mail", "deliver"]
    workers = [
        subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(2)
    ]
    outputs = []
    for worker in workers:
        output, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0, output
        outputs.append(output)
    sent = [int(output.split("Sent ", 1)[1].split()[0]) for output in outputs]
    ids = smtp_server.message_ids()
    assert len(ids) == len(set(ids)), "a message was sent by both workers"
    assert sorted(ids) == expected, "a message was lost"
    assert sum(sent) == 120, outputs
    assert set(outbox().values()) == {(MailStatus.SENT, 1, "")}
