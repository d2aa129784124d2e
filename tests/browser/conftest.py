"""Fixtures for the real-browser tests: Debian's Chromium driven by Playwright (sync API).

No browser is ever downloaded: the tests use /usr/bin/chromium and skip, saying why, where it is
not installed. Pages are served by pytest-django's live_server.
"""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One Chromium for all tests in this folder.

    While Playwright's sync API is running, the test thread counts as having a running asyncio
    event loop, so Django refuses database access from it (SynchronousOnlyOperation) although
    nothing runs concurrently; DJANGO_ALLOW_ASYNC_UNSAFE lifts that. Both the event loop and the
    variable are confined to this package (scope="package", variable restored afterwards), so
    that the other tests run with Django's async safety intact and subprocesses they start do
    not inherit the variable (`check --deploy` warns about it).
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); no browser tests")
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh browser context (phone-sized unless told otherwise).

    Keyword arguments go to `browser.new_context`; relative URLs go to the live server.
    """
    contexts = []

    def make(**options) -> Page:
        options.setdefault("viewport", PHONE)
        options.setdefault("base_url", live_server.url)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    """A fresh phone-sized page (390 × 844) in its own context, for one test."""
    return new_page()


@pytest.fixture
def reference_data(transactional_db) -> None:
    """Languages, fields of action, target groups and the Dortmund districts, so that the home
    page shows real counts."""
    call_command("load_reference_data", verbosity=0)
    call_command(
        "load_districts",
        str(Path(settings.BASE_DIR) / "data" / "dortmund" / "stadtbezirke.geojson"),
        number_property="stadtbezirk_nr",
        name_property="stadtbezirk",
        verbosity=0,
    )


@pytest.fixture(scope="module")
def axe():
    """axe-core, injected into each page it checks (tests/browser/pages.py)."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe()
