"""Playwright harness for the browser journeys: Debian's chromium against pytest-django's live server.

Never `playwright install`: these machines have no network but the package registries, and scripts/test installs
Debian's chromium instead. Every test here is marked `browser` and needs transactional database access, because
the live server answers from another thread and only sees committed rows.

One connection per thread, loop or no loop: Django keeps its database connections in an asgiref `Local` that is
per thread, but per asyncio context while an event loop runs in the thread. Playwright's sync API keeps its loop
running in the main thread, so from then on `connections["default"]` would be a second, fresh connection object
without the `_test_serialized_contents` that Django stored on the first when it set up the test database; a
journey's serialized rollback then restored nothing, and after any other transactional test had flushed the
database the journey found no Wagtail root page and no permissions. The `playwright` fixture hands the loop's
context the main thread's own connection objects, so the order of the tests no longer matters.
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.db import DEFAULT_DB_ALIAS, connections
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright
from wagtail.models import Page as WagtailPage

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
    """Playwright, with Django's connections kept as they were before its event loop started (see the module's
    docstring): the loop's context gets the main thread's connection objects, not new ones."""
    main_thread_connections = {alias: connections[alias] for alias in connections}
    with sync_playwright() as p:
        for alias, connection in main_thread_connections.items():
            connections[alias] = connection
        yield p


@pytest.fixture(autouse=True)
def _journey_starts_from_the_migrated_database(request: pytest.FixtureRequest, playwright: Playwright) -> None:
    """Fail a journey at once, saying why, when its serialized rollback restored nothing: the connection it uses has
    no serialized contents, or the database lacks Wagtail's root page or the admin permission that migrations make.
    Runs after the database is set up and with Playwright's loop running, as the journey itself does."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("serialized_rollback"):
        return
    request.getfixturevalue("django_db_serialized_rollback")
    connection = connections[DEFAULT_DB_ALIAS]
    problems = []
    if not hasattr(connection, "_test_serialized_contents"):
        problems.append("the connection the ORM uses here carries no _test_serialized_contents")
    if WagtailPage.get_first_root_node() is None:
        problems.append("Wagtail's root page is missing")
    if not Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin").exists():
        problems.append("the wagtailadmin.access_admin permission is missing")
    if problems:
        pytest.fail(f"The serialized rollback restored nothing: {'; '.join(problems)}.", pytrace=False)


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
