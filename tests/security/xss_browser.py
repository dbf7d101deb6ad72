"""A live server and a chromium for the script-injection tests, both living beside a world built once per module.

Why not tests/browser's ``live_server`` and ``page``: those need a transactional database (flushed after every
test) and their fixtures are not visible from tests/security. Here the world stays inside the transaction that
tests/security/conftest.py holds open for the module, and the server shares the test's own database connection
(as pytest-django already does for in-memory SQLite), so it sees the world on PostgreSQL too:

- :class:`SharedConnectionServer` answers one request at a time (a plain, non-threading WSGI server), so two
  requests never use the shared connection at once, and the connection's ``close`` is a no-op while it is shared
  (Django closes connections after each request, which would end the world's transaction).
- :class:`BrowserThread` runs Playwright's sync API in a thread of its own: a second ``sync_playwright`` cannot
  start in a thread where one is already running (tests/browser's, when the suites run together). Everything
  Playwright does happens in that thread; it never touches the ORM, the test thread does.
"""

import os
import queue
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler
from playwright.sync_api import Error as PlaywrightError

from tests.security.payloads import DOM_AUDIT_JS, POKE_JS

CHROMIUM = Path(os.environ.get("KESAI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 15_000


# --- The server -----------------------------------------------------------------------------------------------


class _SerialWSGIServer(WSGIServer):
    """One request at a time; Django then closes each HTTP connection after its response."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


class _ServerThread(LiveServerThread):
    server_class = _SerialWSGIServer

    def _create_server(self, connections_override=None):
        return self.server_class((self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False)


class SharedConnectionServer:
    def __init__(self, host: str = "127.0.0.1"):
        self.connection = connections["default"]
        self.thread = _ServerThread(host, StaticFilesHandler, connections_override={"default": self.connection})
        self.thread.daemon = True

    def start(self) -> None:
        self.connection.inc_thread_sharing()
        self.connection.close = lambda: None  # the world's transaction must outlive every request
        self.thread.start()
        self.thread.is_ready.wait()
        if self.thread.error:
            self.stop()
            raise self.thread.error

    def stop(self) -> None:
        self.thread.terminate()
        del self.connection.close
        self.connection.dec_thread_sharing()

    @property
    def url(self) -> str:
        return f"http://{self.thread.host}:{self.thread.port}"


# --- The browser ----------------------------------------------------------------------------------------------


class BrowserThread:
    """Chromium driven from a thread of its own; :meth:`call` runs ``function(browser, ...)`` there."""

    def __init__(self):
        self._jobs: queue.Queue = queue.Queue()
        self._results: queue.Queue = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="xss-chromium", daemon=True)

    def start(self) -> None:
        self._thread.start()
        ok, value = self._results.get(timeout=120)
        if not ok:
            raise value

    def _run(self) -> None:
        from playwright.sync_api import sync_playwright

        try:
            manager = sync_playwright().start()
            browser = manager.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except BaseException as error:  # reported to the test thread
            self._results.put((False, error))
            return
        self._results.put((True, None))
        while True:
            job = self._jobs.get()
            if job is None:
                break
            function, args, kwargs = job
            try:
                self._results.put((True, function(browser, *args, **kwargs)))
            except BaseException as error:
                self._results.put((False, error))
        browser.close()
        manager.stop()

    def call(self, function: Callable, *args, timeout: float = 600, **kwargs) -> Any:
        self._jobs.put((function, args, kwargs))
        ok, value = self._results.get(timeout=timeout)
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        self._jobs.put(None)
        self._thread.join(timeout=60)


# --- Looking at pages -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """A page to open, and the plain payloads it must show as text (``texts``) or as form values (``values``)."""

    path: str
    texts: tuple[str, ...] = ()
    values: tuple[str, ...] = ()
    status: int = 200
    #: names of the text areas that hold stored HTML: what they hold is audited as the browser would parse it
    html_fields: tuple[str, ...] = ()


@dataclass
class Seen:
    """What one page did and showed."""

    visit: Visit
    url: str = ""
    status: int | None = None
    sentinel: str | None = None
    dialogs: list[str] = field(default_factory=list)
    dom: list[str] = field(default_factory=list)
    html: str = ""
    text: str = ""
    values: list[str] = field(default_factory=list)
    poked: int = 0
    hovered: int = 0
    clicked: int = 0

    @property
    def missing_texts(self) -> list[str]:
        return [value for value in self.visit.texts if squash(value) not in self.text]

    @property
    def missing_values(self) -> list[str]:
        return [value for value in self.visit.values if not any(squash(value) in shown for shown in self.values)]


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


#: After the load event: let timers, toggles and autofocus run, audit the page (and the HTML inside its text
#: areas, as the browser would parse it), then poke every element that shows a payload.
_AFTER_LOAD_JS = """
async ([audit, poke, htmlFields]) => {
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 60))));
    const check = eval(audit);
    const dom = check(document);
    for (const area of document.querySelectorAll("textarea")) {
        if (htmlFields.includes(area.name)) {
            const parsed = new DOMParser().parseFromString(area.value, "text/html");
            dom.push(...check(parsed).map((finding) => `in the HTML of textarea ${area.name}: ${finding}`));
        }
    }
    return { dom, poked: eval(poke)() };
}
"""

#: What the page shows: its text (not the insides of text areas, scripts and style sheets), its form values.
_READ_JS = """
() => {
    const skip = new Set(["TEXTAREA", "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"]);
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
        acceptNode: (node) => skip.has(node.parentElement && node.parentElement.tagName)
            ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT,
    });
    const parts = [document.title];
    while (walker.nextNode()) parts.push(walker.currentNode.textContent);
    return {
        sentinel: window.__xss === undefined ? null : String(window.__xss),
        text: parts.join(" "),
        values: [...document.querySelectorAll("input, textarea, select option")]
            .map((element) => element.tagName === "OPTION" ? element.textContent : element.value),
        html: document.documentElement.outerHTML,
    };
}
"""

_SETTLE_JS = """
() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 60))))
"""


def watch(page, log: list) -> None:
    """Every dialog the page opens is dismissed and written to ``log`` (a payload that runs may call alert)."""

    def on_dialog(dialog) -> None:
        log.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)


def inspect(page, visit: Visit, *, status: int | None = None, dialogs: list | None = None, hovers: int = 2) -> Seen:
    """Check the page as it is now: audit, poke, hover, click the defanged links, then read the sentinel."""
    seen = Seen(visit=visit, url=page.url, status=status)
    after = page.evaluate(_AFTER_LOAD_JS, [DOM_AUDIT_JS, POKE_JS, list(visit.html_fields)])
    seen.dom, seen.poked = after["dom"], after["poked"]
    seen.hovered = _hover_some(page, hovers)
    seen.clicked = _click_defanged_links(page)
    if seen.clicked:
        page.evaluate(_SETTLE_JS)
    read = page.evaluate(_READ_JS)
    seen.sentinel, seen.html = read["sentinel"], read["html"]
    seen.text = squash(read["text"])
    seen.values = [squash(value) for value in read["values"]]
    if dialogs:
        seen.dialogs = list(dialogs)
        dialogs.clear()
    return seen


def new_page(browser, base_url: str, cookies: list[dict]):
    context = browser.new_context(base_url=base_url, locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    if cookies:
        context.add_cookies(cookies)
    return context, context.new_page()


def look(browser, base_url: str, cookies: list[dict], visits: list[Visit]) -> list[Seen]:
    """Open each page as the person whose session cookie is given, and inspect it."""
    context, page = new_page(browser, base_url, cookies)
    dialogs: list[str] = []
    watch(page, dialogs)
    seen = []
    try:
        for visit in visits:
            response = page.goto(visit.path, wait_until="load")
            seen.append(inspect(page, visit, status=response.status if response else None, dialogs=dialogs))
        page.goto("about:blank")
    finally:
        context.close()
    return seen


_MARK_HOVER_TARGETS_JS = """
(limit) => {
    const targets = [];
    for (const element of document.querySelectorAll("body *")) {
        if (targets.length >= limit) break;
        const own = [...element.childNodes]
            .some((child) => child.nodeType === Node.TEXT_NODE && /xq\\d+/.test(child.textContent));
        if (own && element.getClientRects().length) {
            element.setAttribute("data-xss-hover", String(targets.length));
            targets.push(targets.length);
        }
    }
    return targets;
}
"""


def _hover_some(page, limit: int) -> int:
    """Move the real mouse over the first few elements that show a payload."""
    hovered = 0
    for index in page.evaluate(_MARK_HOVER_TARGETS_JS, limit):
        try:
            page.hover(f'[data-xss-hover="{index}"]', timeout=1_000, force=True)
        except PlaywrightError:  # off-screen or covered: the synthetic events of POKE_JS reached it anyway
            pass
        else:
            hovered += 1
    return hovered


_DEFANGED_LINKS_JS = """
() => {
    const targets = [];
    document.querySelectorAll("a").forEach((link, index) => {
        const href = (link.getAttribute("href") || "").trim().toLowerCase();
        if (/jsclick/.test(link.textContent) && (!href || href.startsWith("javascript") || href.startsWith("data:"))) {
            link.setAttribute("data-xss-click", String(index));
            targets.push(index);
        }
    });
    return targets.slice(0, 6);
}
"""


def _click_defanged_links(page) -> int:
    """Click the links a rich payload made from a javascript: or data: URL: with the URL gone, nothing happens."""
    clicked = 0
    for index in page.evaluate(_DEFANGED_LINKS_JS):
        try:
            page.click(f'[data-xss-click="{index}"]', timeout=1_000, force=True, no_wait_after=True)
        except PlaywrightError:  # hidden (a collapsed card): nothing a person could click either
            pass
        else:
            clicked += 1
    return clicked


def run_steps(browser, base_url: str, cookies: list[dict], steps: list[tuple]) -> list[Seen]:
    """Type through the forms as a person would. Steps: ``("goto", path)``, ``("fill", selector, text)``,
    ``("check", selector)``, ``("select", selector, index)``, ``("file", selector, name, mime type, bytes)``,
    ``("submit", selector)`` (clicks and waits for the page that answers), ``("inspect", visit)``."""
    context, page = new_page(browser, base_url, cookies)
    dialogs: list[str] = []
    watch(page, dialogs)
    seen, status = [], None
    try:
        for step in steps:
            action, *args = step
            if action == "goto":
                response = page.goto(args[0], wait_until="load")
                status = response.status if response else None
            elif action == "fill":
                page.fill(args[0], args[1])
            elif action == "check":
                page.check(args[0])
            elif action == "select":
                page.select_option(args[0], index=args[1])
            elif action == "file":
                selector, name, mime_type, content = args
                page.set_input_files(selector, files=[{"name": name, "mimeType": mime_type, "buffer": content}])
            elif action == "submit":
                with page.expect_navigation(wait_until="load") as navigation:
                    page.click(args[0])
                response = navigation.value
                status = response.status if response else None
            elif action == "inspect":
                seen.append(inspect(page, args[0], status=status, dialogs=dialogs))
            else:
                raise ValueError(f"unknown step {step!r}")
        page.goto("about:blank")
    finally:
        context.close()
    return seen


def show_html(browser, documents: list[tuple[Visit, str]]) -> list[Seen]:
    """Load each HTML document into a blank page (no server: relative URLs fail, as WeasyPrint's would not) and
    inspect it."""
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    seen = []
    try:
        for visit, html in documents:
            page = context.new_page()  # a fresh window each time, so no sentinel carries over
            dialogs: list[str] = []
            watch(page, dialogs)
            page.set_content(html, wait_until="load")
            seen.append(inspect(page, visit, dialogs=dialogs))
            page.close()
    finally:
        context.close()
    return seen
