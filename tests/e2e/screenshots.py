"""Save screenshots of the app's main states under docs/screenshots/: `python -m tests.e2e.screenshots`."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.e2e import harness
from tests.servers import ROOT, start_sandbox

OUT = ROOT / "docs" / "screenshots"

# name -> (ticket, page options, state to wait for, sandbox fault before refreshing or None)
SHOTS: dict[str, tuple[int, dict, str, str | None]] = {
    "matched-1001": (1001, {}, "matched", None),
    "two-accounts-1002": (1002, {}, "matched", None),
    "sponsored-deadline-1003": (1003, {}, "matched", None),
    "financial-aid-1004": (1004, {}, "matched", None),
    "heavy-history-1005": (1005, {}, "matched", None),
    "erased-1006": (1006, {}, "matched", None),
    "not-found-1007": (1007, {}, "not-found", None),
    "partial-payments": (1004, {}, "matched", "payments"),
    "french-1001": (1001, {"locale": "fr"}, "matched", None),
    "chinese-1002": (1002, {"locale": "zh-CN"}, "matched", None),
    "dark-1003": (1003, {"theme": "dark"}, "matched", None),
    "not-configured": (1001, {"settings": {"backend_url": ""}}, "not-configured", None),
    "unauthorized": (1001, {"settings": {"shared_secret": "a-wrong-secret-that-is-long-enough-0123"}},
                     "unauthorized", None),
}


def shoot(browser, sandbox, backend_url: str, name: str, spec: tuple, out: Path) -> None:
    """One state of the app: the whole ticket page for the first, the sidebar iframe for the others."""
    ticket_id, options, state, fault = spec
    context = harness.new_context(browser, locale=options.get("locale", "en-US"),
                                  dark=options.get("theme") == "dark")
    try:
        url = harness.page_url(sandbox.url, ticket=ticket_id, backend_url=backend_url,
                               locale=options.get("locale", "en-US"), theme=options.get("theme"),
                               settings=options.get("settings"))
        ticket = harness.open_ticket(context, url)
        ticket.wait_state(state)
        if fault:
            sandbox.fault(fault, "error")
            ticket.testid("lc-action-refresh").click()
            ticket.app.locator(f"[data-testid=lc-section-status][data-section={fault}]").wait_for()
        ticket.page.wait_for_timeout(300)  # let the resize round-trip settle before the picture
        frame = ticket.page.get_by_test_id("page-app-frame")
        # Chromium paints a cross-origin iframe only inside the viewport: make the viewport fit it.
        box = frame.bounding_box()
        ticket.page.set_viewport_size({"width": 1280, "height": max(900, int(box["y"] + box["height"]) + 24)})
        ticket.page.wait_for_timeout(300)
        frame.screenshot(path=str(out / f"{name}.png"))
        if name == "matched-1001":
            ticket.page.screenshot(path=str(out / "ticket-page.png"), full_page=True)
    finally:
        sandbox.clear_faults()
        context.close()


def main(out: Path = OUT) -> int:
    """Start sandbox, backend and Chromium, save every state, print the files written."""
    out.mkdir(parents=True, exist_ok=True)
    sandbox = start_sandbox()
    with tempfile.TemporaryDirectory() as work:
        backend = harness.start_backend(sandbox.url, Path(work))
        try:
            with sync_playwright() as playwright:
                browser = harness.launch(playwright)
                for name, spec in SHOTS.items():
                    shoot(browser, sandbox, backend.url, name, spec, out)
                    print(out / f"{name}.png")
                browser.close()
        finally:
            backend.stop()
            sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
