"""Session-wide browser and backend for the browser tests; one fresh browser profile per test."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import IN_CI
from tests.e2e import harness
from tests.servers import Sandbox


def pytest_collection_modifyitems(items):
    for item in items:
        if "/tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not harness.chromium_available():
        if IN_CI:
            pytest.fail("Chromium is required under CI (.ci/run installs Debian's chromium)")
        pytest.skip("Chromium is not installed")
    harness.build_sdk()
    with sync_playwright() as playwright:
        browser = harness.launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def backend(sandbox: Sandbox, tmp_path_factory) -> Iterator[harness.Backend]:
    server = harness.start_backend(sandbox.url, tmp_path_factory.mktemp("e2e-backend"))
    yield server
    server.stop()


@pytest.fixture
def open_ticket(browser, clean_sandbox: Sandbox, backend) -> Iterator[Callable[..., harness.TicketPage]]:
    """open_ticket(1003, locale=…, theme=…, settings={…}) -> TicketPage once the app has settled."""
    contexts = []

    def _open(ticket: int = 1001, *, locale: str = "en-US", theme: str | None = None,
              settings: dict[str, str] | None = None) -> harness.TicketPage:
        context = harness.new_context(browser, locale=locale, dark=theme == "dark")
        contexts.append(context)
        url = harness.page_url(clean_sandbox.url, ticket=ticket, locale=locale, theme=theme,
                               settings=settings, backend_url=backend.url)
        return harness.open_ticket(context, url)

    yield _open
    for context in contexts:
        context.close()
