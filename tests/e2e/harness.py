"""Start what the browser tests need (backend, Chromium with the local ZAF SDK) and open ticket pages."""
from __future__ import annotations

import shutil
import subprocess
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from playwright.sync_api import Browser, BrowserContext, FrameLocator, Page, Playwright
from werkzeug.serving import make_server

from sandbox.ticket_page import config as page_config
from tests.servers import ROOT, free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SDK = ROOT / "var" / "zaf_sdk.js"
ISSUER = "https://demo.zendesk.com"
TIMEOUT_MS = 20_000


def build_sdk() -> Path:
    """The local ZAF SDK bundle (built once with esbuild when absent)."""
    if not SDK.is_file():
        subprocess.run(["node", str(ROOT / "scripts" / "build_sdk.mjs")], cwd=ROOT, check=True,
                       capture_output=True)
    return SDK


def chromium_available() -> bool:
    return CHROMIUM.is_file() or shutil.which("chromium") is not None


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with nothing reaching out to the network by itself."""
    path = str(CHROMIUM if CHROMIUM.is_file() else shutil.which("chromium"))
    return playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)


@dataclass
class Backend:
    """The real backend app served in-process on a free port."""

    url: str
    server: object
    app: object

    def stop(self) -> None:
        self.server.shutdown()
        self.app.extensions["lc"].close()


def start_backend(sandbox_url: str, work_dir: Path) -> Backend:
    """The backend wired to the sandbox (internal APIs + Zendesk), signed with the page's secret."""
    from backend import create_app

    secret = page_config.load().shared_secret  # the same secret the sandbox's page signs with
    config = {
        "env": "test", "jwt_secrets": (secret,), "jwt_issuers": (ISSUER,),
        "learner_api_url": f"{sandbox_url}/internal/learners/v1",
        "enrolment_api_url": f"{sandbox_url}/internal/enrolments/v1",
        "course_api_url": f"{sandbox_url}/internal/courses/v1",
        "payment_api_url": f"{sandbox_url}/internal/payments/v1",
        "internal_api_token": "sandbox-internal-token",
        "zendesk_url": sandbox_url, "zendesk_email": "agent@demo.example",
        "zendesk_api_token": "sandbox-zendesk-token",
        "audit_hash_key": "e2e-audit-hash-key", "database_url": f"sqlite:///{work_dir / 'audit.db'}",
        "redis_url": "", "rate_limit": "100000/minute", "rate_limit_account": "1000000/minute",
        # Deterministic fault tests: one try per call, and a breaker that never opens during the run.
        "retries": 0, "breaker_failures": 100_000,
        "RATE_LIMIT_PREFIX": f"lc-e2e-{uuid.uuid4().hex}",
    }
    app = create_app(config)
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return Backend(url=f"http://127.0.0.1:{port}", server=server, app=app)


def new_context(browser: Browser, *, locale: str = "en-US", dark: bool = False) -> BrowserContext:
    """A fresh browser profile whose requests for Zendesk's CDN SDK get the local build."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale,
                                  color_scheme="dark" if dark else "light")
    sdk = build_sdk()
    context.route("https://static.zdassets.com/**",
                  lambda route: route.fulfill(path=str(sdk), content_type="text/javascript"))
    context.set_default_timeout(TIMEOUT_MS)
    return context


@dataclass
class TicketPage:
    """The local Zendesk ticket page and the app inside its iframe."""

    page: Page

    @property
    def app(self) -> FrameLocator:
        return self.page.frame_locator("[data-testid=page-app-frame]")

    def testid(self, name: str):
        return self.app.get_by_test_id(name)

    def wait_state(self, state: str) -> None:
        self.app.locator(f"[data-testid=lc-app][data-state={state}]").wait_for()

    def state(self) -> str | None:
        return self.app.get_by_test_id("lc-app").get_attribute("data-state")

    def frame_height(self) -> float:
        return self.page.get_by_test_id("page-app-frame").bounding_box()["height"]

    def zaf_log(self, kind: str) -> list[dict]:
        return [e for e in self.page.evaluate("window.zafLog") if e["type"] == kind]


def page_url(sandbox_url: str, *, ticket: int, backend_url: str | None, locale: str = "en-US",
             theme: str | None = None, settings: dict[str, str] | None = None) -> str:
    """The ticket page URL: page on localhost, the app on 127.0.0.1 (same port, two origins)."""
    port = urlsplit(sandbox_url).port
    query: dict[str, str] = {"ticket": str(ticket), "locale": locale, "tz": "America/New_York"}
    if theme:
        query["theme"] = theme
    if backend_url is not None:
        query["setting.backend_url"] = backend_url
    query.update({f"setting.{k}": v for k, v in (settings or {}).items()})
    return f"http://localhost:{port}/?{urlencode(query)}"


def open_ticket(context: BrowserContext, url: str) -> TicketPage:
    """Load the page and wait until the app has left its loading state."""
    page = context.new_page()
    page.goto(url)
    ticket = TicketPage(page)
    ticket.app.locator("[data-testid=lc-app]:not([data-state=loading])").wait_for()
    return ticket
