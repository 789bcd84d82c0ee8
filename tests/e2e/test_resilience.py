"""The panel never freezes, never lies and never loses the agent: odd answers, races, slow starts."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Frame, Route, expect

from sandbox.internal import personas as p
from tests.e2e import harness
from tests.servers import wait_for

PLACEHOLDER = r"\{[a-z_]+\}"


@pytest.fixture
def open_with(browser, clean_sandbox, backend) -> Iterator[Callable[..., harness.TicketPage]]:
    """open_with(ticket, proxy=handler, before=fn(context)) -> TicketPage; proxy calls go to handler."""
    contexts = []

    def _open(ticket: int = 1001, *, proxy: Callable[[Route], None] | None = None, locale: str = "en-US",
              before: Callable | None = None, settings: dict[str, str] | None = None) -> harness.TicketPage:
        context = harness.new_context(browser, locale=locale)
        contexts.append(context)
        if proxy is not None:
            context.route("**/_page/proxy", proxy)
        if before is not None:
            before(context)
        url = harness.page_url(clean_sandbox.url, ticket=ticket, locale=locale, settings=settings,
                               backend_url=backend.url)
        return harness.open_ticket(context, url)

    yield _open
    for context in contexts:
        context.close()


def answer(status: int, body: object, headers: dict[str, str] | None = None) -> Callable[[Route], None]:
    """A proxy handler answering every backend call with this status and JSON body, as the proxy would."""
    def handle(route: Route) -> None:
        route.fulfill(json={"status": status, "statusText": "", "body": json.dumps(body),
                            "headers": {"content-type": "application/json", **(headers or {})}})
    return handle


def changed(edit: Callable[[dict], None]) -> Callable[[Route], None]:
    """A proxy handler passing the real backend's answer through after edit(answer) changed it."""
    def handle(route: Route) -> None:
        forwarded = route.fetch().json()
        body = json.loads(forwarded["body"])
        edit(body)
        route.fulfill(json={**forwarded, "body": json.dumps(body)})
    return handle


def app_frame(ticket: harness.TicketPage) -> Frame:
    return next(f for f in ticket.page.frames if "/app/assets/iframe.html" in f.url)


def test_an_answer_the_app_cannot_read_is_an_error_with_retry(open_with):
    ticket = open_with(1001, proxy=answer(200, {"matches": [{"learner": None}], "sections": {}}))
    ticket.wait_state("error")
    expect(ticket.testid("lc-error")).to_have_attribute("data-code", "bad_response")
    expect(ticket.testid("lc-error-retry")).to_be_visible()


def test_an_answer_the_views_cannot_draw_is_an_error_not_a_frozen_skeleton(open_with):
    def break_an_enrolment(body: dict) -> None:
        body["matches"][0]["enrolments"] = [None]
    ticket = open_with(1001, proxy=changed(break_an_enrolment))
    ticket.wait_state("error")
    expect(ticket.testid("lc-error")).to_have_attribute("data-code", "bad_response")


def test_a_rate_limit_without_a_wait_says_so_without_a_placeholder(open_with):
    ticket = open_with(1001, proxy=answer(429, {"error": {"code": "rate_limited", "message": "slow down"}}))
    ticket.wait_state("error")
    expect(ticket.testid("lc-error")).to_contain_text("Try again in a moment.")
    expect(ticket.testid("lc-error")).not_to_contain_text("{")


def test_a_rate_limit_names_the_wait_from_the_error_details(open_with):
    body = {"error": {"code": "rate_limited", "message": "slow down", "details": {"retry_after_s": 17}}}
    ticket = open_with(1001, proxy=answer(429, body))
    expect(ticket.testid("lc-error")).to_contain_text("Try again in 17 s.")


def test_a_backend_host_the_package_does_not_allow_is_named_for_the_admin(open_with):
    ticket = open_with(1001, settings={"backend_url": "https://lc.example.com"})
    ticket.wait_state("error")  # not "unauthorized": the secret and the issuer are not the problem
    expect(ticket.testid("lc-error")).to_have_attribute("data-code", "domain_not_whitelisted")
    expect(ticket.testid("lc-error")).to_contain_text("allowed domains")
    expect(ticket.testid("lc-error-retry")).to_have_count(0)  # only a new package helps


def test_a_request_too_large_for_the_proxy_offers_no_retry_that_would_fail_again(open_with):
    ticket = open_with(1001, proxy=answer(413, ""))
    expect(ticket.testid("lc-error")).to_have_attribute("data-code", "payload_too_large")
    expect(ticket.testid("lc-error")).to_contain_text("administrator")
    expect(ticket.testid("lc-error-retry")).to_have_count(0)


def test_a_catalog_that_fails_to_load_falls_back_to_english(open_with):
    def no_french(context) -> None:
        context.route("**/assets/i18n/fr.js", lambda route: route.abort())
    ticket = open_with(1001, locale="fr", before=no_french)
    ticket.wait_state("matched")
    expect(ticket.testid("lc-action-refresh")).to_have_text("Refresh")
    expect(ticket.testid("lc-action-insert")).to_have_text("Insert into reply")


def test_unknown_facts_show_no_placeholders_or_raw_keys(open_with):
    def forget_facts(body: dict) -> None:
        match = body["matches"][0]
        for enrolment in match["enrolments"]:
            enrolment["course"]["title"] = None
            enrolment["next_deadline"] = {"title": None, "kind": None, "due_at": "soon", "extended": False}
        for payment in match["payments"]:
            payment["product"] = {**payment["product"], "title": None, "kind": "gift_card"}
            payment["refund"] = {**payment["refund"], "until": None, "reason": "new_policy_code"}
    ticket = open_with(1001, proxy=changed(forget_facts))
    ticket.wait_state("matched")
    panel = ticket.testid("lc-app")
    expect(panel).not_to_contain_text("{")
    for raw_key in ("deadline.null", "product.gift_card", "refund.reason.", "undefined", "NaN"):
        expect(panel).not_to_contain_text(raw_key)
    expect(ticket.testid("lc-deadline").first).to_contain_text("Next: Deadline")


def test_long_unbroken_values_wrap_inside_the_panel(open_with):
    long_email = "a" * 120 + "@example.com"

    def lengthen(body: dict) -> None:
        body["matches"][0]["learner"]["email"] = long_email
        body["matches"][0]["matched_by"] = [{"kind": "email", "value": long_email}]
    ticket = open_with(1001, proxy=changed(lengthen))
    ticket.wait_state("matched")
    expect(ticket.testid("lc-learner-email")).to_have_text(long_email)
    overflowing = app_frame(ticket).evaluate(
        # Text that does not wrap makes its box scroll wider than it is, or pushes the box out of view.
        "[...document.querySelectorAll('#app *')]"
        ".filter((el) => el.scrollWidth > el.clientWidth + 1"
        "  || el.getBoundingClientRect().right > innerWidth + 1)"
        ".map((el) => el.dataset.testid || el.tagName)")
    assert overflowing == []


def test_keyboard_focus_stays_on_add_tags_once_the_tags_are_added(open_with):
    ticket = open_with(1001)
    ticket.wait_state("matched")
    tags = ticket.testid("lc-action-tags")
    tags.focus()
    ticket.page.keyboard.press("Enter")
    expect(tags).to_have_attribute("aria-disabled", "true")
    expect(tags).to_be_focused()


def test_relative_times_and_local_time_follow_the_clock(open_with):
    ticket = open_with(1001, before=lambda c: c.clock.install())
    ticket.wait_state("matched")
    local_time = ticket.testid("lc-learner-local-time")
    before = local_time.text_content()
    ticket.page.clock.fast_forward("02:00:00")
    expect(local_time).not_to_have_text(before)


def test_the_minute_redraw_keeps_the_agents_text_selection(open_with):
    ticket = open_with(1001, before=lambda c: c.clock.install())
    ticket.wait_state("matched")
    local_time = ticket.testid("lc-learner-local-time")
    before = local_time.text_content()
    frame = app_frame(ticket)
    selected = frame.evaluate("""() => {
      window.selectedEl = document.querySelector('[data-testid=lc-learner-email]');
      getSelection().selectAllChildren(window.selectedEl);
      return getSelection().toString();
    }""")
    assert selected
    ticket.page.clock.fast_forward("02:00:00")
    expect(local_time).not_to_have_text(before)  # redrawn: the clock moved on
    assert frame.evaluate("getSelection().toString()") == selected
    assert frame.evaluate("window.selectedEl.isConnected")  # the same text, not a copy of it


def test_an_app_zendesk_never_registers_says_so_and_offers_reload(browser, clean_sandbox):
    context = harness.new_context(browser)
    try:
        context.clock.install()
        page = context.new_page()
        # Framed by nobody: the SDK starts, its handshake is never answered.
        page.goto(f"{clean_sandbox.url}/app/assets/iframe.html?origin=http://localhost&app_guid=never")
        page.clock.fast_forward(11_000)
        expect(page.get_by_test_id("lc-error")).to_have_attribute("data-code", "no_handshake")
        expect(page.get_by_test_id("lc-reload")).to_be_visible()
    finally:
        context.close()


def test_an_answer_for_the_previous_requester_is_never_shown_for_the_new_one(open_with, clean_sandbox):
    ticket = open_with(1001)
    ticket.wait_state("matched")
    clean_sandbox.fault("learners", "latency", ms=20_000, times=1)
    ticket.testid("lc-action-refresh").click()  # Amélie's lookup, held at the learners system
    wait_for(lambda: clean_sandbox.holding().get("learners") == 1, 10, "the held learners call")
    ticket.wait_state("loading")
    # From here on, record every learner the panel draws.
    app_frame(ticket).evaluate("""() => {
      window.seenLearners = [];
      new MutationObserver(() => document.querySelectorAll('[data-learner-id]')
        .forEach((el) => window.seenLearners.push(el.dataset.learnerId)))
        .observe(document.body, { subtree: true, childList: true, attributes: true });
    }""")
    ticket.page.get_by_test_id("page-ticket-picker").select_option("1003")
    # The page tells the app only once it has loaded ticket 1003; an answer arriving before that is
    # rightly the one the app asked for, so release Amélie's only after the app has been told.
    wait_for(lambda: any(e["detail"] == ["ticket.requester.id.changed"] for e in ticket.zaf_log("event")),
             10, "the requester change reaching the app")
    clean_sandbox.clear_faults()  # Amélie's answer now arrives after the panel has moved on to Sam
    expect(ticket.app.locator(f"[data-testid=lc-match][data-learner-id='{p.SAM_ID}']")).to_be_visible()
    assert p.AMELIE_ID not in app_frame(ticket).evaluate("window.seenLearners")


def test_the_minute_redraw_never_loses_a_half_typed_manual_search(open_with):
    ticket = open_with(1007, before=lambda c: c.clock.install())
    ticket.wait_state("not-found")
    value = ticket.testid("lc-manual-value")
    value.fill("amelie.dur")
    ticket.page.clock.fast_forward(61_000)  # while the agent types: no redraw under their hands
    expect(value).to_have_value("amelie.dur")
    expect(value).to_be_focused()
    app_frame(ticket).evaluate("document.activeElement.blur()")
    ticket.page.clock.fast_forward(61_000)  # redrawn now, with what was typed
    expect(value).to_have_value("amelie.dur")
