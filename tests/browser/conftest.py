"""Playwright harness for the browser journeys: Debian's chromium against pytest-django's live server.

Never `playwright install`: these machines have no network but the package registries, and scripts/test installs
Debian's chromium instead. Every test here is marked `browser` and needs transactional database access, because
the live server answers from another thread and only sees committed rows.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

CHROMIUM = Path(os.environ.get("KESAI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 10_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
HERE = Path(__file__).resolve().parent

expect.set_options(timeout=DEFAULT_TIMEOUT_MS)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser as `browser`, before `-m` selection looks at the marks."""
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def _allow_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an asyncio loop running in the main thread, and Django then refuses ORM calls
    made from that thread (fixtures, assertions) with SynchronousOnlyOperation. Relax that for the browser tests
    only; the rest of the suite keeps Django's guard."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def playwright(_allow_orm_beside_playwright: None) -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser journeys drive Debian's chromium. Run scripts/test, which installs "
            "it (as root: apt-get install -y --no-install-recommends chromium). Do not run `playwright install`.",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _keep_evidence_of_failure(request: pytest.FixtureRequest, page: Page, suffix: str) -> None:
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{request.node.nodeid}{suffix}")
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.html").write_text(page.content(), encoding="utf-8")
    except Exception as exc:  # the page may be gone; the test's own failure matters more
        print(f"could not save a screenshot of {name}: {exc}")


@pytest.fixture
def new_person(browser: Browser, live_server, request: pytest.FixtureRequest) -> Iterator[Callable[[], Page]]:
    """Another person at another computer: each call opens a fresh browser context (no shared cookies),
    pointed at the live server, so relative URLs work. On failure every person's page is saved as a
    full-page screenshot and its HTML in test-artifacts/browser/."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(
            base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for number, context in enumerate(contexts, start=1):
        if context.pages:
            _keep_evidence_of_failure(request, context.pages[0], f"-person{number}")
        context.close()


@pytest.fixture
def page(new_person: Callable[[], Page]) -> Page:
    """The first person of a journey."""
    return new_person()
