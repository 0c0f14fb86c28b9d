"""Fixtures for the browser tests: a live server, Debian's Chromium, and axe-core checks.

The session ``app`` (tests/conftest.py) is served by werkzeug on a free local port,
and Playwright drives the Chromium that Debian installs at /usr/bin/chromium; no
browser is ever downloaded. Without that Chromium the browser tests are deselected,
with a line in the terminal summary saying so, unless the CI environment variable is
set: then they fail, so a CI job cannot pass without having run them.

Every page a test reaches is checked with axe-core through the ``browse`` fixture;
a serious or critical violation fails the test, and a page that was loaded but never
checked fails it too.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, Response, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
MISSING_CHROMIUM = f"Chromium not found at {CHROMIUM}: install it with apt-get install chromium"
NOT_RUN = f"Browser tests were NOT run: {CHROMIUM} not found (apt-get install chromium)"
BLOCKING_IMPACTS = ("serious", "critical")
TIMEOUT_MS = 15_000

_deselected = pytest.StashKey[int]()


def chromium_available() -> bool:
    return CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)


def on_ci() -> bool:
    return bool(os.environ.get("CI"))


def _is_browser_test(item: pytest.Item) -> bool:
    return item.get_closest_marker("browser") is not None


# Hooks. pytest calls a conftest's collection and summary hooks for the whole session,
# so they only touch items from this directory or marked as browser tests.


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        uses_browser = {"page", "browser", "browse"} & set(getattr(item, "fixturenames", ()))
        if uses_browser and item.path.is_relative_to(HERE) and not _is_browser_test(item):
            item.add_marker(pytest.mark.browser)
    if chromium_available() or on_ci():
        return
    deselected = [item for item in items if _is_browser_test(item)]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not _is_browser_test(item)]
        config.stash[_deselected] = len(deselected)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    # Only reached without Chromium when CI is set (otherwise the test was deselected);
    # failing here, rather than in a fixture, reports the test as failed, not as an error.
    if _is_browser_test(item) and not chromium_available():
        pytest.fail(MISSING_CHROMIUM, pytrace=False)


def pytest_sessionfinish(session: pytest.Session) -> None:
    # An xdist worker prints no summary: it hands its count to the controlling process,
    # whose summary (tests/conftest.py) says it.
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["browser_tests_not_run"] = session.config.stash.get(_deselected, 0)


def pytest_terminal_summary(terminalreporter, exitstatus, config: pytest.Config) -> None:
    count = config.stash.get(_deselected, 0)
    if count:
        report_not_run(terminalreporter, count)


def report_not_run(terminalreporter, count: int) -> None:
    terminalreporter.write_sep("=", "browser tests", yellow=True, bold=True)
    terminalreporter.write_line(f"{NOT_RUN}; {count} deselected.", yellow=True, bold=True)


# Fixtures.


class RequestTracker:
    """Counts requests the live server is handling, so teardown can wait for them.

    A page can still have requests in flight when its test ends (Chromium asks for
    /favicon.ico after the load event, for one); they must not race the ``db`` fixture
    emptying the tables, nor the engine being disposed at the end of the session.
    """

    def __init__(self):
        self._busy = 0
        self._changed = threading.Condition()
        tracker = self

        class Handler(WSGIRequestHandler):
            def run_wsgi(self) -> None:
                with tracker._changed:
                    tracker._busy += 1
                try:
                    super().run_wsgi()
                finally:
                    with tracker._changed:
                        tracker._busy -= 1
                        tracker._changed.notify_all()

        self.handler = Handler

    def wait_until_idle(self, timeout: float = 10) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self._busy == 0, timeout=timeout):
                pytest.fail(f"The live server was still handling {self._busy} request(s) after {timeout} s")


@pytest.fixture(scope="session")
def server_requests() -> RequestTracker:
    return RequestTracker()


@pytest.fixture(scope="session")
def live_server(app, server_requests: RequestTracker):
    """The session's app served over HTTP on a free local port; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=server_requests.handler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server_requests.wait_until_idle()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not chromium_available():
        # Deselected, or failed in pytest_runtest_call on CI: nothing to launch.
        yield None
        return
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def page(live_server, browser: Browser | None, server_requests: RequestTracker):
    """A fresh browser context and page for each test, with relative URLs on the live server."""
    if browser is None:
        yield None
        return
    context = browser.new_context(base_url=live_server, locale="nl-NL", timezone_id="Europe/Amsterdam")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()
        server_requests.wait_until_idle()


@pytest.fixture
def browse(page: Page | None, axe: Axe):
    """Navigation helpers that check every page they reach with axe-core."""
    if page is None:
        yield None
        return
    browsing = CheckedBrowsing(page, axe)
    yield browsing
    browsing.assert_every_page_checked()


class CheckedBrowsing:
    """Navigate, then check the page that was reached before the test goes on.

    ``visit`` and ``follow`` both wait for the new page's load event and run axe-core
    on it. A load nobody checked (say, a click that navigated without ``follow``) is
    reported by the next check and at the end of the test.
    """

    def __init__(self, page: Page, axe: Axe):
        self.page = page
        self._axe = axe
        self._loads: list[str] = []
        self._checked = 0
        page.on("load", lambda loaded: self._loads.append(loaded.url))

    def visit(self, path: str) -> Response | None:
        with self.page.expect_event("load"):
            response = self.page.goto(path)
        self.check_accessibility()
        return response

    def follow(self, locator: Locator) -> None:
        """Click a link or submit button that leads to another page."""
        with self.page.expect_event("load"):
            locator.click()
        self.check_accessibility()

    def check_accessibility(self) -> None:
        unchecked = self._loads[self._checked : -1]
        self._checked = len(self._loads)
        if unchecked:
            pytest.fail(
                "Pages were loaded without an accessibility check: " + ", ".join(unchecked),
                pytrace=False,
            )
        results = self._axe.run(self.page)
        problems = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        if problems:
            pytest.fail(describe_violations(self.page.url, problems), pytrace=False)

    def assert_every_page_checked(self) -> None:
        unchecked = self._loads[self._checked :]
        if unchecked:
            pytest.fail(
                "Pages were loaded without an accessibility check: " + ", ".join(unchecked),
                pytrace=False,
            )


def describe_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} serious or critical violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            summary = node.get("failureSummary")
            if summary:
                lines.extend("      " + line for line in summary.splitlines())
    return "\n".join(lines)
