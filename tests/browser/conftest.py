"""Browser tests: real Chromium (Debian's) driven by Playwright, against a live Django server.

Every test in this folder is marked `browser` and runs against pytest-django's `live_server`,
which needs a transactional database. The domains and the national cell come from data
migrations; a transactional test empties the tables when it ends, so these tests also ask for
a *serialized rollback*, which puts that migration data back before each of them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
# Every wait of the tests is bounded: actions and assertions give up after this.
TIMEOUT_MS = 10_000
HERE = Path(__file__).resolve().parent

expect.set_options(timeout=TIMEOUT_MS)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def browser(django_db_setup: None) -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        if os.environ.get("CI"):
            pytest.fail(
                f"Chromium missing at {CHROMIUM}: the browser tests must run in CI "
                "(install Debian's `chromium` package).",
                pytrace=False,
            )
        pytest.skip(f"Chromium missing: browser tests skipped (no {CHROMIUM})")
    serialized_contents = _serialized_contents()
    with _orm_allowed_under_playwright(), sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        _carry_over(serialized_contents)
        yield chromium
        chromium.close()
        # The connections opened under Playwright are not the test runner's (see
        # _carry_over): close them now, or PostgreSQL refuses to drop the test database.
        connections.close_all()


@pytest.fixture
def new_tab(browser: Browser, live_server) -> Iterator[Callable[..., Page]]:
    """Opens French-speaking browser tabs on the live server, each a different person.

    Every tab has its own browser context, so its own cookies and session. A JavaScript error
    or a Content Security Policy violation in any of them fails the test.
    """
    contexts: list[BrowserContext] = []
    script_errors: list[str] = []

    def open_tab(*, enforce_csp: bool = False) -> Page:
        # axe is injected as an inline script, which the policy forbids: tabs that run axe
        # bypass the policy, and test_content_security_policy.py checks the pages under it.
        context = browser.new_context(
            locale="fr-FR", base_url=live_server.url, bypass_csp=not enforce_csp
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        tab = context.new_page()
        tab.on("pageerror", lambda error: script_errors.append(f"{tab.url}: {error}"))
        # The Content Security Policy forbids inline code: a page that needs some breaks.
        tab.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text
                and script_errors.append(f"{tab.url}: {message.text}")
            ),
        )
        return tab

    yield open_tab
    for context in contexts:
        context.close()
    assert not script_errors, "JavaScript errors in the pages:\n" + "\n".join(script_errors)


@pytest.fixture
def page(new_tab: Callable[..., Page]) -> Page:
    """A browser tab for the person the test follows."""
    return new_tab()


@contextmanager
def _orm_allowed_under_playwright() -> Iterator[None]:
    """Let the tests use the ORM while Playwright's sync API is started.

    That API keeps an asyncio event loop running in this thread for as long as it is started.
    Django sees the loop and refuses ORM calls made from the thread (SynchronousOnlyOperation):
    the test bodies' own, and pytest-django's flush and reload of the database between tests.
    They are plain synchronous calls that never run inside the loop, so the guard is lifted
    with DJANGO_ALLOW_ASYNC_UNSAFE, for the lifetime of the browser only.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _serialized_contents() -> dict[str, str]:
    """The copy of the migration data the test runner kept for serialized rollbacks."""
    kept = {}
    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            kept[alias] = contents
    return kept


def _carry_over(serialized_contents: dict[str, str]) -> None:
    """Give the connections seen under Playwright the data kept for serialized rollbacks.

    With an event loop running, Django's connection handler hands this thread *other*
    connection objects than before (its storage then follows the async context). The test
    database is the same, but the copy of the migration data that the test runner stored on
    the first objects, and that a serialized rollback reloads, is not on the new ones.
    """
    for alias, contents in serialized_contents.items():
        connections[alias]._test_serialized_contents = contents
