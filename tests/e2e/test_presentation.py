"""Languages, dark mode and the admin-facing states (not configured, unauthorized)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import harness


@pytest.mark.parametrize("locale", ["fr", "zh-CN"])
def test_the_app_speaks_the_agents_language(open_ticket, locale):
    english = open_ticket(1001)
    english.wait_state("matched")
    label_en = english.testid("lc-action-refresh").text_content()
    ticket = open_ticket(1001, locale=locale)
    ticket.wait_state("matched")
    expect(ticket.app.locator("html")).to_have_attribute("lang", locale)
    assert ticket.testid("lc-action-refresh").text_content() != label_en


def test_dates_follow_the_agents_regional_format_in_the_ui_language(open_ticket):
    ticket = open_ticket(1003, locale="en-GB")
    ticket.wait_state("matched")
    expect(ticket.app.locator("html")).to_have_attribute("lang", "en")
    day_month_year = re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}$")  # 26 Aug 2026, not Aug 26, 2026
    expect(ticket.testid("lc-learner-since")).to_have_text(day_month_year)
    expect(ticket.testid("lc-action-refresh")).to_have_text("Refresh")


def test_dark_mode_follows_the_host_and_its_changes(open_ticket):
    ticket = open_ticket(1001, theme="dark")
    html = ticket.app.locator("html")
    expect(html).to_have_attribute("data-color-scheme", "dark")
    ticket.page.get_by_test_id("page-theme-toggle").click()
    expect(html).to_have_attribute("data-color-scheme", "light")


def test_missing_backend_url_shows_what_the_admin_must_set(open_ticket):
    ticket = open_ticket(1001, settings={"backend_url": ""})
    ticket.wait_state("not-configured")
    expect(ticket.testid("lc-not-configured")).to_contain_text("Backend URL")


def test_a_wrong_shared_secret_shows_unauthorized(open_ticket):
    ticket = open_ticket(1001, settings={"shared_secret": "a-wrong-secret-that-is-long-enough-0123456789"})
    ticket.wait_state("unauthorized")
    expect(ticket.testid("lc-unauthorized")).to_be_visible()


def test_an_sdk_that_did_not_load_says_so_and_reloading_recovers(browser, clean_sandbox, backend):
    context = harness.new_context(browser)
    try:
        cdn_down = {"on": True}
        sdk = harness.build_sdk()
        context.unroute("https://static.zdassets.com/**")
        context.route("https://static.zdassets.com/**", lambda route: route.abort() if cdn_down["on"]
                      else route.fulfill(path=str(sdk), content_type="text/javascript"))
        ticket = harness.open_ticket(context, harness.page_url(clean_sandbox.url, ticket=1001,
                                                               backend_url=backend.url))
        ticket.wait_state("error")
        expect(ticket.testid("lc-error")).to_have_attribute("data-code", "no_sdk")
        expect(ticket.testid("lc-error")).to_contain_text("static.zdassets.com")
        expect(ticket.testid("lc-error-retry")).to_have_count(0)  # nothing to retry with: no client
        cdn_down["on"] = False
        ticket.testid("lc-reload").click()
        ticket.wait_state("matched")
    finally:
        context.close()


def test_opened_outside_zendesk_the_app_says_where_to_open_it(browser, clean_sandbox):
    context = harness.new_context(browser)
    try:
        page = context.new_page()
        page.goto(f"{clean_sandbox.url}/app/assets/iframe.html")  # no origin or app_guid: not in Zendesk
        error = page.get_by_test_id("lc-error")
        expect(error).to_have_attribute("data-code", "no_zaf")
        expect(error).to_contain_text("Open this app from a Zendesk ticket")
        expect(page.get_by_test_id("lc-reload")).to_have_count(0)
        expect(page.get_by_test_id("lc-error-retry")).to_have_count(0)
    finally:
        context.close()


def test_a_past_due_subscription_says_since_when_it_is_unpaid_never_that_it_ends(open_ticket):
    ticket = open_ticket(1002)
    ticket.wait_state("matched")
    row = ticket.testid("lc-subscription")
    expect(row).to_contain_text("Past due")  # the pill, on its own, stays capitalised
    expect(row).to_contain_text(re.compile(r"Unpaid since [A-Z][a-z]{2} \d{1,2}, \d{4}"))
    expect(row).not_to_contain_text("ends")


def test_chinese_sentences_and_lists_use_chinese_punctuation(open_ticket, clean_sandbox):
    ticket = open_ticket(1003, locale="zh-CN")  # Sam matches by email and by external ID
    ticket.wait_state("matched")
    why = ticket.testid("lc-match-why").first.text_content()
    assert "、" in why and "," not in why, why
    clean_sandbox.fault("payments", "error")
    ticket.testid("lc-action-refresh").click()
    banner = ticket.app.locator("[data-testid=lc-section-status][data-section=payments]")
    expect(banner).to_be_visible()
    # "付款：不可用。没有已保存的数据。": the second sentence follows the "。" with no space.
    text = banner.locator("span").first.text_content()
    assert re.search(r"。\S", text) and "。 " not in text, text


def test_no_space_follows_a_chinese_full_width_colon(open_ticket, clean_sandbox):
    ticket = open_ticket(1001, locale="zh-CN")
    ticket.wait_state("matched")
    clean_sandbox.fault("learners", "error")  # nobody shown: the manual search, with the ticket's order id
    ticket.testid("lc-action-refresh").click()
    ticket.wait_state("partial")
    suggestions = ticket.testid("lc-manual-suggestion").first.locator("xpath=..")
    expect(suggestions).to_contain_text("：")
    text = suggestions.text_content()
    assert "： " not in text and re.search(r"：\S", text), text


def test_12_hour_times_have_no_leading_zero_and_24_hour_times_keep_it(open_ticket):
    # Sam's deadline is at 12:00 UTC: 7 or 8 AM for the agent in New York.
    ticket = open_ticket(1003)
    ticket.wait_state("matched")
    yours = re.compile(r"Your time: .*\d{4}, [1-9]:\d\d AM")
    expect(ticket.testid("lc-deadline").first).to_contain_text(yours)
    french = open_ticket(1003, locale="fr")
    french.wait_state("matched")
    expect(french.testid("lc-deadline").first).to_contain_text(re.compile(r"\d{4}, 0[78]:00 UTC"))


def test_a_refunded_order_says_refunded_once(open_ticket):
    ticket = open_ticket(1005)
    ticket.wait_state("matched")
    ticket.app.locator("[data-testid=lc-payments] [data-testid=lc-show-all]").click()
    pill = ticket.app.locator(".pill", has_text=re.compile("^Refunded$"))
    refunded = ticket.testid("lc-order").filter(has=pill)
    expect(refunded.first).to_be_visible()
    for text in refunded.all_text_contents():
        assert text.lower().count("refunded") == 1, text  # no "No refund: already refunded" under the pill


def test_every_progress_bar_in_a_list_ends_at_the_same_point(open_ticket):
    ticket = open_ticket(1001)  # 8 %, 55 % and 100 %: labels of different widths
    ticket.wait_state("matched")
    bars = ticket.app.get_by_role("progressbar")
    expect(bars.first).to_be_visible()
    boxes = [bars.nth(i).bounding_box() for i in range(bars.count())]
    rights = {round(box["x"] + box["width"]) for box in boxes}
    assert bars.count() > 1 and len(rights) == 1, rights


def test_a_sponsor_is_joined_to_who_pays_the_way_each_language_does(open_ticket):
    ticket = open_ticket(1003, locale="zh-CN")  # Sam: sponsored by Globex
    ticket.wait_state("matched")
    expect(ticket.testid("lc-payer")).to_have_text(re.compile(r"^付款方：机构（Globex[^）]*）$"))


# For each id (and each half of an email) in the panel: on how many lines its characters lie, and whether
# the copy button after it sits on its last line.
ID_LINES = """() => {
  const IDS = /ORD-\\d{4}-\\d{6}|L-\\d{7}|sso-[\\w-]+/g;
  const EMAILS = /([^\\s@,()（）、：:]+@)([^\\s,()（）、]+)/g;
  const tops = (el, from, to) => {
    const seen = new Set();
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let offset = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const [start, end] = [Math.max(from - offset, 0), Math.min(to - offset, node.length)];
      if (start < end) {
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, end);
        for (const r of range.getClientRects()) if (r.width) seen.add(Math.round(r.bottom));
      }
      offset += node.length;
    }
    return [...seen];
  };
  const out = [];
  const places = '[data-testid=lc-order] .row-head, [data-testid=lc-reference],'
    + ' [data-testid=lc-learner-email], [data-testid=lc-match-why], [data-testid=lc-match] .small';
  for (const el of document.querySelectorAll(places)) {
    const text = el.textContent;
    for (const m of text.matchAll(IDS)) {
      const lines = tops(el, m.index, m.index + m[0].length);
      const copy = el.querySelector(`[data-testid=lc-copy-id][data-value="${m[0]}"]`);
      const icon = copy && copy.getBoundingClientRect();
      const glued = !copy || lines.some((bottom) => icon.top < bottom && icon.bottom > bottom - 20);
      out.push({ id: m[0], lines: lines.length, glued });
    }
    for (const m of text.matchAll(EMAILS)) {
      out.push({ id: m[1], lines: tops(el, m.index, m.index + m[1].length).length, glued: true });
      const at = m.index + m[1].length;
      out.push({ id: m[2], lines: tops(el, at, at + m[2].length).length, glued: true });
    }
  }
  return out;
}"""
# The page's CSP refuses a <style>; the CSSOM is allowed.
NARROW_SIDEBAR = ("document.querySelector('.workspace').style"
                  ".setProperty('grid-template-columns', '260px minmax(0,1fr) 274px', 'important')")


@pytest.mark.parametrize(("number", "locale", "narrow"), [
    (1003, "zh-CN", False), (1005, "en-US", False), (1001, "en-US", True), (1005, "en-US", True),
    (1003, "zh-CN", True)])
def test_ids_and_email_halves_never_break_inside_and_keep_their_copy_button(open_ticket, number, locale,
                                                                             narrow):
    ticket = open_ticket(number, locale=locale)
    ticket.wait_state("matched")
    if narrow:  # the sidebar at its narrowest: the iframe follows the column
        ticket.page.evaluate(NARROW_SIDEBAR)
        ticket.page.wait_for_function(
            "document.querySelector('[data-testid=page-app-frame]').getBoundingClientRect().width < 275")
    frame = next(f for f in ticket.page.frames if "/app/assets/iframe.html" in f.url)
    found = frame.evaluate(ID_LINES)
    assert any(f["id"].startswith("ORD-") for f in found), found
    broken = [f for f in found if f["lines"] != 1 or not f["glued"]]
    assert broken == [], broken
