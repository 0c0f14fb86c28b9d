"""Hypothesis throws odd input at every route of the app, as an admin, an organiser, a trekker and a
stranger, and the app must answer each without a server error and without leaving rows behind where it
should not.

What is sent: for every URL rule (but ``static``) values for its variables (the world's own ids and
tokens, or huge, zero, non-ASCII, control characters, empty, very long, times in the night the clocks
go forward); random query strings; and for every POST route the fields of the form that shows it,
found by reading the pages as a logged-in user, each kept, changed into something odd, left out or
sent twice, plus random bytes or an empty file in file fields.

What fails: any 5xx or exception; a GET that commits a write (but the audit trail's record of a view);
a POST refused with a 4xx that leaves any row changed.

Bounded for CI: ``FUZZ_EXAMPLES`` inputs in all (default below, about half a minute on SQLite), shared
out over the rules, each rule's drawn from a seed of its own so that every run sends the same inputs;
``FUZZ_SEED=n`` explores others. Every distinct problem is listed, with where else it was seen, rather
than only the first. The world (tests/world.py) is put back as built every ``REBUILD_EVERY`` inputs,
and after a request that may have logged its user out, so the data stays sensible.
"""

from __future__ import annotations

import io
import os
import re
import sys
import time
import traceback
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urlsplit

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, note, seed, settings, strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from planner.extensions import db
from tests import factories
from tests.world import add_history, build_world, empty_tables

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1000"))
FUZZ_SEED = os.environ.get("FUZZ_SEED")
REBUILD_EVERY = 80

# The four kinds of user, by their key in the world.
ROLES = {"admin": "admin", "organiser": "organiser_a", "trekker": "trekker_a", "anonymous": "anonymous"}

# Any request may add to the audit trail that it showed or exported personal data (a refused form
# shows its page again), but only a POST that got through may record a change or a deletion.
SHOWN = ("view", "export")
# Tables a refused POST may leave changed, by endpoint, and why.
REFUSAL_MAY_WRITE = {
    "auth.login": {"failed_login": "a wrong password is counted, to slow down guessing"},
    "auth.account": {"failed_login": "so is a wrong current password when changing it"},
    "letters.code": {"failed_login": "a wrong code from a letter is counted, to slow down guessing"},
}
# A request to these that gets through may end the session of the client's user: the world is rebuilt.
ENDS_SESSIONS = {
    "auth.logout",
    "auth.log_out_everywhere",
    "auth.end_user_sessions",
    "auth.edit_user",
    "auth.account",
    "auth.login",
}
# Form fields a route reads without a form that shows them on a page the fuzz test reads.
KNOWN_FORM_FIELDS = [
    "person_id",
    "ids",
    "printed_at",
    "status",
    "action",
    "direction",
    "open",
    "payload",
    "import",
    "starred",
    "starred_only",
    "show",
    "redacted_text",
    "next",
    "create",
    "title",
    "name",
    "reason",
    "lang",
    "emails",
    "consent_photos",
]
KNOWN_QUERY_NAMES = [
    "page",
    "q",
    "next",
    "programme",
    "series",
    "starred",
    "show",
    "appendix",
    "action",
    "object_type",
    "actor",
    "since",
    "until",
]


def _clock_change_days() -> list[date]:
    """The last Sundays of March and October this year and the next two: the nights the clocks change."""
    days = []
    this_year = factories.today_in_amsterdam().year
    for year in range(this_year, this_year + 3):
        for month in (3, 10):
            day = date(year, month, 31)
            days.append(day - timedelta(days=(day.weekday() + 1) % 7))
    return days


CLOCK_DAYS = _clock_change_days()
NASTY_TEXT = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e309",
    "NaN",
    "99999999999999999999",
    "-99999999999999999999",
    str(2**63),
    str(2**63 - 1),
    str(-(2**63) - 1),
    "9" * 400,
    "x" * 5000,
    "ÉÉN Wijkteam",
    "één wijkteam",
    "ß",
    "İstanbul",
    "日本語",
    "😀",
    "\u202eevil",
    "\u200b",
    "\x00",
    "\x02",
    "a\x1fb",
    "\x7f",
    "\r\n",
    "\t",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%00",
    "null",
    "true",
    "[]",
    "{}",
    "a@b",
    "x@example.org",
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "2027-02-30",
    "2027-13-01",
    "24:00",
    "25:61",
    "02:30",
    "23:59:60",
    "-0",
    "+1",
    " 1 ",
    "１２",
    *(day.isoformat() for day in CLOCK_DAYS),
    *(f"{day.isoformat()}T02:30" for day in CLOCK_DAYS),
]
NASTY_INTS = [0, 1, -1, 2**31, 2**31 - 1, 2**63 - 1, 2**63, 2**64, 10**20, 99999999999999999999]


def _as_text(value: str | int) -> str:
    return str(value)


nasty_text = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.sampled_from(NASTY_INTS).map(_as_text),
    st.integers().map(_as_text),
    st.text(max_size=30),
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=5),
)

# A spreadsheet to import, with odd cells under a header the import knows.
odd_csv = st.lists(st.lists(nasty_text, min_size=1, max_size=5), min_size=1, max_size=5).map(
    lambda rows: ("Naam;E-mail;Rol;Organisatie;Gemeente\n" + "\n".join(";".join(row) for row in rows)).encode()
)


def _valid_for(kind: str, options: list[str], draw, name: str = "") -> str:
    """A value the browser could send for an input of this kind (or, for a text input, of this name);
    without ``draw``, the first such value."""

    def pick(choices):
        return choices[0] if draw is None else draw(st.sampled_from(choices))

    if options:
        return pick(options)
    if kind in ("text", "hidden", "textarea"):
        kind = next((k for words, k in NAME_HINTS if any(w in name for w in words)), kind)
    if kind == "date":
        later = factories.today_in_amsterdam() + timedelta(days=40)
        return pick([later.isoformat(), *(day.isoformat() for day in CLOCK_DAYS), "2027-01-05", "2026-12-25"])
    if kind == "time":
        return pick(["19:30", "02:30", "21:30", "00:00", "23:59", "09:00"])
    if kind == "datetime-local":
        return f"{pick(CLOCK_DAYS).isoformat()}T{pick(['02:30', '19:30', '03:00'])}"
    if kind == "number":
        return pick(["4", "1", "0", "-1", "2", "12", "60"])
    if kind == "email":
        return pick(["nieuw@example.org", "organiser_a@example.org", "admin@example.org"])
    if kind == "checkbox":
        return pick(["y", "on", "1", "yes"])
    return pick(["Nieuwe naam", "Gendt", "Wijkteam", "Een zin met een paar woorden."])


NAME_HINTS = [
    (("email",), "email"),
    (("_on", "date", "day", "since", "until"), "date"),
    (("start", "end", "time"), "time"),
    (("count", "number", "size", "months", "hours", "_id", "capacity"), "number"),
]


SAMPLE_CSV = b"Naam;E-mail;Rol;Organisatie\nAnna de Vries;anna@example.org;bewoner;Wijkteam\n"


@dataclass
class FormField:
    name: str
    kind: str  # the input's type, "select" or "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)


class _FormReader(HTMLParser):
    """Every <form> of a page: method, action and fields (name, kind, default value, options)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form: dict | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"].split("#")[0])
        if tag == "form":
            self._form = {
                "method": attributes.get("method", "get").lower(),
                "action": attributes.get("action"),
                "fields": [],
            }
            self.forms.append(self._form)
        elif self._form is None or (not attributes.get("name") and tag != "option"):
            return
        elif tag == "input":
            kind = attributes.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset") and "name" not in attributes:
                return
            checked = "checked" in attributes
            value = attributes.get("value", "on" if kind in ("checkbox", "radio") else "")
            if kind in ("checkbox", "radio") and not checked:
                self._form["fields"].append(FormField(attributes["name"], kind, "", [value]))
            else:
                self._form["fields"].append(
                    FormField(attributes["name"], kind, value, [value] if kind in ("checkbox", "radio") else [])
                )
        elif tag == "select":
            self._select = FormField(attributes["name"], "select")
            self._form["fields"].append(self._select)
        elif tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            self._select.options.append(value)
            if "selected" in attributes or not self._select.value:
                self._select.value = value
        elif tag == "textarea":
            self._textarea = FormField(attributes["name"], "textarea")
            self._form["fields"].append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _merge_radios(fields: list[FormField]) -> list[FormField]:
    """Radio buttons and checkboxes of one name become one field with their values as options."""
    merged: dict[str, FormField] = {}
    for f in fields:
        if f.name in merged and f.kind in ("radio", "checkbox"):
            merged[f.name].options += f.options
            merged[f.name].value = merged[f.name].value or f.value
        elif f.name not in merged:
            merged[f.name] = f
    return list(merged.values())


def _rules(app):
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule)


_VARIABLE = re.compile(r"<(?:([^<>:]+):)?(\w+)>")


def _url(rule, chosen: dict) -> str:
    """The rule's path with each variable replaced by the chosen value, quoted as a browser would."""
    return _VARIABLE.sub(lambda m: quote(str(chosen[m.group(2)]), safe=""), rule.rule)


def _world_value(world, rule, name: str, values: dict):
    if rule.endpoint in ("evaluation_participant.answer", "evaluation_participant.language") and name in (
        "code",
        "token",
    ):
        return values["evaluation_token"]
    if rule.endpoint == "evaluation_participant.thanks":
        return values["screen_code"]
    if rule.endpoint == "feeds.personal_feed":
        return world.feed_token
    if rule.endpoint == "feeds.series_feed" and name == "token":
        return values["series_feed_token"]
    if rule.endpoint == "dashboard.staff_feed" and name == "token":
        return values["staff_feed_token"]
    return values[name]


class WriteWatch:
    """The tables written to and committed while watching, from the SQL the engine runs: what a request
    left behind. Writes undone by a rollback, also to a savepoint, do not count."""

    _WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
    _EVENTS = ("after_cursor_execute", "commit", "rollback", "savepoint", "rollback_savepoint", "release_savepoint")

    def __init__(self, engine):
        self.engine = engine
        self.watching = False
        self.pending: list[set[str]] = [set()]  # the transaction's writes, then each open savepoint's
        self.committed: set[str] = set()
        for name in self._EVENTS:
            sa.event.listen(engine, name, getattr(self, f"_{name}"))

    def close(self):
        for name in self._EVENTS:
            sa.event.remove(self.engine, name, getattr(self, f"_{name}"))

    def start(self):
        self.pending, self.committed, self.watching = [set()], set(), True

    def stop(self) -> set[str]:
        self.watching = False
        return self.committed

    def _after_cursor_execute(self, conn, cursor, statement, parameters, context, executemany):
        if self.watching and (match := self._WRITE.match(statement)):
            self.pending[-1].add(match.group(1))

    def _commit(self, conn):
        self.committed |= set().union(*self.pending)
        self.pending = [set()]

    def _rollback(self, conn):
        self.pending = [set()]

    def _savepoint(self, conn, name):
        self.pending.append(set())

    def _rollback_savepoint(self, conn, name, context):
        if len(self.pending) > 1:
            self.pending.pop()

    def _release_savepoint(self, conn, name, context):
        if len(self.pending) > 1:
            released = self.pending.pop()
            self.pending[-1] |= released


def _audit_entries_after(last_id: int) -> tuple[int, set[str]]:
    """The audit trail's newest id, and the actions of the entries after ``last_id``."""
    table = db.metadata.tables["audit_event"]
    with db.engine.connect() as connection:
        rows = connection.execute(sa.select(table.c.id, table.c.action).where(table.c.id > last_id)).all()
    return max((row.id for row in rows), default=last_id), {getattr(row.action, "value", row.action) for row in rows}


def _rows_of_every_table() -> dict:
    with db.engine.connect() as connection:
        return {
            table: [dict(row._mapping) for row in connection.execute(table.select().order_by(*table.primary_key))]
            for table in db.metadata.sorted_tables
        }


def _put_back(rows: dict) -> None:
    """Every table holds exactly the given rows again; sequences go on from where they were, so a
    row added later never takes an id from one put back."""
    db.session.rollback()
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())
        for table, table_rows in rows.items():
            if table_rows:
                connection.execute(table.insert(), table_rows)


def _gist(error: Exception) -> str:
    """What kind of error it is, without the values: one finding per kind."""
    return re.sub(r"\d+|\[SQL:.*", "", str(error).split("\n")[0])[:80]


class Fuzzer:
    """Sends one drawn input at a time to the app and keeps what went wrong, with the figures."""

    def __init__(self, app):
        self.app = app
        self.rules = _rules(app)
        self.adapter = app.url_map.bind("localhost")
        self.tried = 0
        self.since_rebuild = 0
        self.dirty = True
        self.world = None
        self.built = None
        self.scenes: list[dict] = []
        self.actions: list[tuple] = []  # (endpoint, path, fields) of each form found
        self.cookies: dict[str, list] = {}
        self.csrf: dict[str, str] = {}
        self.post_forms: dict[str, list[list[FormField]]] = {}
        self.query_names: set[str] = set(KNOWN_QUERY_NAMES)
        self.findings: dict[tuple, str] = {}
        self.also: dict[tuple, Counter] = {}
        self.covered: Counter = Counter()  # (endpoint, method) → inputs sent
        self.statuses: Counter = Counter()
        self.by_endpoint: dict[tuple, Counter] = defaultdict(Counter)
        self.watch = WriteWatch(db.engine)
        self._rebuild()
        self._discover_forms()

    # The world

    def _rebuild(self):
        """Back to the world as it was built: its rows, and each client's cookies (so its login)."""
        if self.built is None:
            empty_tables()
            self.world = build_world(self.app)
            self.scenes = add_history(self.world)
            self.csrf = {key: client.csrf_token() for key, client in self.world.clients.items()}
            self.built = _rows_of_every_table()
            self.cookies = {
                key: [(c.key, c.value, c.domain, c.path) for c in client._cookies.values()]
                for key, client in self.world.clients.items()
            }
        else:
            _put_back(self.built)
            for key, cookies in self.cookies.items():
                client = self.world.clients[key] = self.app.test_client()
                for name, value, domain, path in cookies:
                    client.set_cookie(name, value, domain=domain, path=path)
        self.since_rebuild, self.dirty = 0, False
        self.last_audit_id, _ = _audit_entries_after(0)

    def _discover_forms(self):
        """Read every page that a GET shows, as the admin and as a stranger, and keep its forms."""
        found: dict[str, dict[tuple, list[FormField]]] = {}
        pages = list(
            dict.fromkeys(
                (who, _url(rule, {name: _world_value(self.world, rule, name, values) for name in rule.arguments}))
                for values in self.scenes
                for rule in self.rules
                if "GET" in rule.methods
                for who in ("admin", "anonymous")
            )
        )
        seen = set(pages)
        for who, url in pages:  # grows with the links the pages show, one step deep
            response = self.world.clients[who].get(url)
            if response.mimetype != "text/html":
                continue
            reader = _FormReader()
            reader.feed(response.get_data(as_text=True))
            for form in reader.forms:
                self._keep_form(form, url, found)
            if "?" in url:
                continue
            for link in reader.links:
                page = (who, link)
                if link.startswith("/") and "?" in link and page not in seen and len(pages) < 600:
                    seen.add(page)
                    pages.append(page)
        # Forms that follow a form (the import's review, a series' proposal): each form sent once as shown.
        for endpoint, action, fields in list(self.actions):
            if endpoint in ENDS_SESSIONS:
                continue
            sent = MultiDict(
                [
                    (
                        f.name,
                        (io.BytesIO(SAMPLE_CSV), "mensen.csv")
                        if f.kind == "file"
                        else f.value or (f.options[0] if f.options else _valid_for(f.kind, [], None, f.name)),
                    )
                    for f in fields
                    if f.name != "csrf_token"
                ]
            )
            sent.add("csrf_token", self.csrf["admin"])
            response = self.world.clients["admin"].post(action, data=sent, csrf=False)
            if response.mimetype == "text/html":
                reader = _FormReader()
                reader.feed(response.get_data(as_text=True))
                for form in reader.forms:
                    self._keep_form(form, action, found)
        self.post_forms = {endpoint: list(forms.values()) for endpoint, forms in found.items()}
        self.dirty = True  # reading the pages may have written (the audit trail)

    def _keep_form(self, form: dict, page_url: str, found: dict):
        fields = _merge_radios(form["fields"])
        if form["method"] != "post":
            self.query_names |= {f.name for f in fields}
            return
        action = urlsplit(form["action"] or page_url)
        try:
            endpoint, _ = self.adapter.match(action.path, method="POST")
        except HTTPException:
            return
        key = tuple(sorted(f.name for f in fields))
        if key not in found.setdefault(endpoint, {}):
            found[endpoint][key] = fields
            self.actions.append((endpoint, action.path, fields))

    # One input

    def one(self, data, rule):
        if self.dirty or self.since_rebuild >= REBUILD_EVERY:
            self._rebuild()
        self.since_rebuild += 1
        self.tried += 1
        role = data.draw(st.sampled_from(sorted(ROLES)), label="role")
        values = self.scenes[data.draw(st.integers(0, len(self.scenes) - 1), label="scene")]
        methods = sorted(rule.methods & {"GET", "POST"})
        method = data.draw(st.sampled_from(methods), label="method")
        chosen = {}
        for name in sorted(rule.arguments):
            if data.draw(st.integers(0, 3), label=f"odd {name}?") == 0:
                chosen[name] = data.draw(nasty_text, label=name)
            else:
                chosen[name] = _world_value(self.world, rule, name, values)
        url = _url(rule, chosen)
        if data.draw(st.integers(0, 3), label="query string?") == 0:
            names = st.one_of(st.sampled_from(sorted(self.query_names)), nasty_text)
            query = data.draw(st.lists(st.tuples(names, nasty_text), min_size=1, max_size=4), label="query")
            url += "?" + urlencode(query)
        client = self.world.clients[ROLES[role]]
        form = self._form_data(data, rule, ROLES[role]) if method == "POST" else None
        described = f"{method} {url} as {role}" + (f" with {list(form.items(multi=True))!r}"[:3000] if form else "")
        note(described)
        self.covered[(rule.endpoint, method)] += 1
        self._send(client, method, url, form, rule.endpoint, described)

    def _form_data(self, data, rule, who: str) -> MultiDict:
        forms = self.post_forms.get(rule.endpoint)
        if forms:
            fields = data.draw(st.sampled_from(forms), label="form")
        else:
            fields = [FormField(name, "text") for name in KNOWN_FORM_FIELDS]
        sent = MultiDict()
        # Mostly one odd field among sensible ones, so the input gets past the other fields' checks.
        mode = data.draw(st.sampled_from(["one odd field", "one odd field", "sensible", "chaos"]), label="mode")
        odd = data.draw(st.integers(0, max(len(fields) - 1, 0)), label="odd field")
        for number, f in enumerate(fields):
            if f.name == "csrf_token":
                continue
            if mode == "chaos" or (mode == "one odd field" and number == odd):
                choices = ["keep", "valid", "odd", "odd", "missing", "twice"]
            else:
                choices = ["keep", "valid"]
            what = data.draw(st.sampled_from(choices), label=f"{f.name}: ")
            if f.kind == "file":
                if what != "missing":
                    content = data.draw(
                        st.one_of(st.just(b""), st.binary(max_size=3000), odd_csv), label="file content"
                    )
                    name = data.draw(st.sampled_from(["people.xlsx", "people.csv", "", "../x.xlsx", "é.xlsx"]))
                    sent.add(f.name, (io.BytesIO(content), name))
                continue
            if what == "missing":
                continue
            if what == "keep" and f.value:
                value = f.value
            elif what in ("keep", "valid"):
                value = _valid_for(f.kind, f.options, data.draw, f.name)
            else:
                value = data.draw(nasty_text, label=f.name)
            sent.add(f.name, value)
            if what == "twice":
                sent.add(f.name, data.draw(st.one_of(nasty_text, st.just(value)), label=f"{f.name} again"))
        if data.draw(st.integers(0, 4), label="extra field?") == 0:
            sent.add(data.draw(nasty_text, label="extra name"), data.draw(nasty_text, label="extra value"))
        token = self.csrf.get(who, "")
        csrf = data.draw(st.sampled_from(["right"] * 18 + ["missing", "wrong"]), label="csrf")
        if csrf == "right":
            sent.add("csrf_token", token)
        elif csrf == "wrong":
            sent.add("csrf_token", token[::-1])
        return sent

    def _send(self, client, method: str, url: str, form, endpoint: str, described: str):
        self.watch.start()
        try:
            response = client.get(url) if method == "GET" else client.post(url, data=form, csrf=False)
            status = response.status_code
            response.close()
        except Exception as error:
            self.watch.stop()
            frames = traceback.extract_tb(error.__traceback__)
            ours = [f for f in frames if "/planner/" in f.filename and "site-packages" not in f.filename]
            place = ours[-1] if ours else frames[-1]
            self._found(
                ("exception", type(error).__name__, frames[-1].filename, frames[-1].lineno, _gist(error)),
                f"{described}\n  raised {type(error).__name__}: {str(error)[:300]}\n"
                f"  at {place.filename}:{place.lineno}",
                error,
                also=f"{endpoint} ({place.name})",
            )
            self.dirty = True  # the request may have left the session in a bad state
            return
        written = self.watch.stop()
        if "audit_event" in written:
            self.last_audit_id, actions = _audit_entries_after(self.last_audit_id)
            if actions <= set(SHOWN):
                written.discard("audit_event")  # it said what was shown, which is allowed
        if method == "POST":
            written -= set(REFUSAL_MAY_WRITE.get(endpoint, {}))
        self.statuses[status] += 1
        self.by_endpoint[(endpoint, method)][status] += 1
        if status >= 500:
            self._found(("5xx", endpoint, status), f"{described}\n  answered {status}")
        if method == "GET" and written:
            self._found(
                ("GET writes", endpoint, tuple(sorted(written))), f"{described}\n  a GET wrote to {sorted(written)}"
            )
        if method == "POST":
            if 400 <= status < 500 and written:
                self._found(
                    ("refused but changed", endpoint, tuple(sorted(written))),
                    f"{described}\n  answered {status} but changed {sorted(written)}",
                )
            if status < 400 and endpoint in ENDS_SESSIONS:
                self.dirty = True

    def _found(self, key: tuple, message: str, error: Exception | None = None, also: str = ""):
        """Kept, one message per kind of problem and place, so one run lists them all."""
        if key not in self.findings:
            if error is not None:
                message += "\n" + "".join(traceback.format_exception(error)[-6:])[-2500:]
            self.findings[key] = message
        if also:
            self.also.setdefault(key, Counter())[also] += 1

    def problems(self) -> list[str]:
        return [
            message
            + (
                f"\n  seen {sum(self.also[key].values())} times, in: {sorted(self.also[key])}"
                if key in self.also
                else ""
            )
            for key, message in self.findings.items()
        ]

    def table(self) -> str:
        """The answers each endpoint gave, for FUZZ_VERBOSE=1: which ones never let an input through."""
        return "\n".join(
            f"{method:4} {endpoint:45} {dict(sorted(statuses.items()))}"
            for (endpoint, method), statuses in sorted(self.by_endpoint.items())
        )

    def summary(self) -> str:
        posts = {rule.endpoint for rule in self.rules if "POST" in rule.methods}
        with_form = posts & set(self.post_forms)
        endpoints = {endpoint for endpoint, _ in self.covered}
        all_endpoints = {rule.endpoint for rule in self.rules}
        return (
            f"fuzz: {self.tried} inputs, {len(endpoints)} of {len(all_endpoints)} endpoints "
            f"({len(self.covered)} endpoint-method pairs); POST routes with a form read from a page: "
            f"{len(with_form)} of {len(posts)} (without: {sorted(posts - with_form)}); "
            f"statuses {dict(sorted(self.statuses.items()))}"
        )


def _examples_for(rules) -> list[tuple]:
    """FUZZ_EXAMPLES shared out over the rules, a rule with a POST three times a GET-only one's share."""
    weights = [3 if "POST" in rule.methods else 1 for rule in rules]
    total = sum(weights)
    return [(rule, max(2, round(FUZZ_EXAMPLES * weight / total))) for rule, weight in zip(rules, weights, strict=True)]


def _run_for(fuzzer: Fuzzer, rule, examples: int) -> None:
    """Hypothesis draws ``examples`` inputs for one rule, from a seed of the rule's own: the same inputs
    on every run, unless FUZZ_SEED is set."""

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate],
        print_blob=False,
    )
    @seed(zlib.crc32(f"{rule.endpoint} {rule.rule}".encode()) + int(FUZZ_SEED or 0))
    @given(st.data())
    def one_input(data):
        fuzzer.one(data, rule)

    one_input()


@pytest.mark.fuzz
def test_no_input_gives_a_server_error_or_leaves_rows_behind(app, db):
    started = time.monotonic()
    fuzzer = Fuzzer(app)
    try:
        for rule, examples in _examples_for(fuzzer.rules):
            _run_for(fuzzer, rule, examples)
    finally:
        fuzzer.watch.close()
        if os.environ.get("FUZZ_VERBOSE") == "1":
            print(fuzzer.table(), file=sys.stderr)  # noqa: T201
        # The figures, for whoever reads the log (with -s, or after a failure).
        print(f"\n{fuzzer.summary()}; {time.monotonic() - started:.1f} s", file=sys.stderr)  # noqa: T201
    if fuzzer.findings:
        pytest.fail(f"{len(fuzzer.findings)} distinct problems:\n\n" + "\n\n".join(fuzzer.problems()), pytrace=False)


def test_the_form_reader_finds_fields_options_and_defaults():
    reader = _FormReader()
    reader.feed(
        '<form method="post" action="/x"><input type="hidden" name="csrf_token" value="t">'
        '<input name="title" value="Hoi"><select name="kind"><option value="a">A</option>'
        '<option value="b" selected>B</option></select><textarea name="note">Tekst</textarea>'
        '<input type="checkbox" name="yes" value="y"><input type="radio" name="r" value="1" checked>'
        '<input type="radio" name="r" value="2"><input type="file" name="upload"></form>'
        '<form><input name="q"></form>'
    )
    post, search = reader.forms
    fields = {f.name: f for f in _merge_radios(post["fields"])}
    assert (post["method"], post["action"], search["method"]) == ("post", "/x", "get")
    assert fields["title"].value == "Hoi"
    assert (fields["kind"].value, fields["kind"].options) == ("b", ["a", "b"])
    assert fields["note"].value == "Tekst"
    assert (fields["yes"].value, fields["yes"].options) == ("", ["y"])
    assert (fields["r"].value, fields["r"].options) == ("1", ["1", "2"])
    assert fields["upload"].kind == "file"
    assert [f.name for f in search["fields"]] == ["q"]


def test_writes_are_seen_when_committed_and_not_when_rolled_back(app, db):
    from planner.audit.models import AuditAction
    from planner.audit.services import record_event

    def add_entry():
        record_event(actor="system", action=AuditAction.VIEW, object_type="person")
        db.session.flush()

    watch = WriteWatch(db.engine)
    try:
        watch.start()
        add_entry()
        db.session.rollback()
        assert watch.stop() == set()
        watch.start()
        db.session.execute(sa.text("SELECT 1"))
        with db.session.begin_nested() as savepoint:
            add_entry()
            savepoint.rollback()
        db.session.commit()
        assert watch.stop() == set()
        watch.start()
        with db.session.begin_nested():
            add_entry()
        db.session.commit()
        assert watch.stop() == {"audit_event"}
    finally:
        watch.close()
