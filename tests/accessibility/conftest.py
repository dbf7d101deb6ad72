"""The accessibility audit's harness: one Debian chromium, driven from a thread of its own, against pytest-django's
live server.

Every test here is marked `browser`, so scripts/test runs it with the Playwright journeys (`-m browser`) and keeps
it out of the parallel part (`-m "not browser"`).

Why a thread: Playwright's sync API refuses to start while another sync Playwright is running in the same thread,
and tests/browser keeps its own for the whole session. Driving this module's chromium from a separate thread lets the
two directories run in one session in any order. The thread only speaks HTTP to the live server; the tests' own
database work stays in the main thread.
"""

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.accessibility.axe import AXE_JS, Finding, audit
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, DEFAULT_TIMEOUT_MS

HERE = Path(__file__).resolve().parent
T = TypeVar("T")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/accessibility as `browser`, before `-m` selection looks at the marks.

    They may run before or after the journeys in tests/browser: the journeys' serialized rollback restores the
    migrated database whatever flushed it before them (see tests/browser/conftest.py).
    """
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


class Visit:
    """One person at one computer (a fresh browser context); `check` audits the page they are looking at."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.findings: list[Finding] = []
        self.pages: list[str] = []

    def check(self, label: str) -> None:
        self.findings.extend(audit(self.page, label))
        self.pages.append(label)


class BrowserThread:
    """Chromium and everything done with it live in one worker thread; `visit` runs a whole journey there."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="axe-chromium")
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None

    def _call(self, function: Callable[..., T], *args) -> T:
        return self._executor.submit(function, *args).result()

    def start(self) -> None:
        def start() -> None:
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

        self._call(start)

    def stop(self) -> None:
        def stop() -> None:
            if self._browser is not None:
                self._browser.close()
            if self._playwright is not None:
                self._playwright.stop()

        try:
            self._call(stop)
        finally:
            self._executor.shutdown()

    def visit(self, base_url: str, journey: Callable[[Visit], None]) -> Visit:
        def run() -> Visit:
            context = self._browser.new_context(
                base_url=base_url, locale="en-GB", viewport={"width": 1280, "height": 900}
            )
            context.set_default_timeout(DEFAULT_TIMEOUT_MS)
            try:
                visit = Visit(context.new_page())
                journey(visit)
                return visit
            finally:
                context.close()

        return self._call(run)


@pytest.fixture(scope="module")
def chromium() -> Iterator[BrowserThread]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the accessibility audit drives Debian's chromium. Run scripts/test, which "
            "installs it (as root: apt-get install -y --no-install-recommends chromium).",
            pytrace=False,
        )
    if not AXE_JS.exists():
        pytest.fail(
            f"{AXE_JS} is missing. Install the pinned axe-core with `npm ci --no-audit --no-fund --ignore-scripts` "
            "at the repository root (scripts/test does it; as root without npm: apt-get install -y npm).",
            pytrace=False,
        )
    thread = BrowserThread()
    thread.start()
    yield thread
    thread.stop()


@pytest.fixture
def visit(chromium: BrowserThread, live_server) -> Callable[[Callable[[Visit], None]], Visit]:
    """`visit(journey)`: runs `journey(Visit)` in a fresh browser context pointed at the live server, in the browser
    thread, and returns the Visit with its findings. Call it once per person."""
    return lambda journey: chromium.visit(live_server.url, journey)
