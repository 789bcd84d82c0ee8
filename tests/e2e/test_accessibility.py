"""What the agent sees and hears: action results beside the control, focus rings, labelled fields."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.contrast import contrast, layered
from tests.servers import wait_for

CONTROLS = "button, a[href], input, select, textarea"

# Every control the message overlaps, in the iframe's own coordinates.
COVERED = """(message, selector) => {
  const m = message.getBoundingClientRect();
  return [...document.querySelectorAll(selector)].filter((c) => {
    const r = c.getBoundingClientRect();
    return r.width && r.height && r.left < m.right && m.left < r.right
      && r.top < m.bottom && m.top < r.bottom;
  }).map((c) => c.dataset.testid || c.tagName);
}"""


def visible_copy(ticket, pattern: str):
    """The message the agent sees, not its copy in the visually hidden live regions."""
    return ticket.app.get_by_text(re.compile(pattern)).and_(ticket.app.locator(":not(.offscreen)"))


def inside(inner: dict | None, outer: dict, slack: float = 0.5) -> bool:
    """inner (None: not shown at all) lies within outer, give or take sub-pixel rounding."""
    if inner is None:
        return False
    return all(inner[xy] >= outer[xy] - slack and inner[xy] + inner[size] <= outer[xy] + outer[size] + slack
               for xy, size in (("x", "width"), ("y", "height")))


def vertical_gap(a: dict, b: dict) -> float:
    return max(0.0, b["y"] - (a["y"] + a["height"]), a["y"] - (b["y"] + b["height"]))


def assert_beside(ticket, message, control) -> None:
    """The message is on screen, uncut by the iframe, next to the control, covering no control."""
    expect(message).to_be_visible()
    frame = ticket.page.get_by_test_id("page-app-frame")
    # The iframe grows to the new content once the host answers the app's resize.
    wait_for(lambda: inside(message.bounding_box(), frame.bounding_box()), timeout=5,
             what=f"the message {message.bounding_box()} is cut off by the iframe {frame.bounding_box()}")
    viewport = {"x": 0, "y": 0, **ticket.page.viewport_size}
    wait_for(lambda: inside(message.bounding_box(), viewport), timeout=5,
             what=f"the message {message.bounding_box()} is outside the agent's screen {viewport}")
    box = message.bounding_box()
    gap = vertical_gap(box, control.bounding_box())
    assert gap <= 16, f"the message is {gap}px away from the control that was used"
    assert message.evaluate(COVERED, CONTROLS) == [], "the message covers a control"


@pytest.mark.parametrize(("control", "shown", "spoken"), [
    ("lc-copy-id", r"^Copied", r"^Copied L-\d+$"),
    ("lc-action-tags", r"^Tags added: lc_", r"^Tags added: lc_"),  # the button: "Tags on the ticket"
])
def test_an_action_result_shows_beside_its_control_and_is_announced_politely(open_ticket, control, shown,
                                                                              spoken):
    ticket = open_ticket(1001)
    ticket.wait_state("matched")
    button = ticket.testid(control).first
    button.scroll_into_view_if_needed()
    in_panel = "el => el.getBoundingClientRect().top + scrollY"  # layout, whatever the sidebar's scroll
    before = button.evaluate(in_panel)
    button.click()
    message = visible_copy(ticket, shown)
    assert_beside(ticket, message, button)
    moved = button.evaluate(in_panel) - before
    assert abs(moved) < 0.5, f"the message pushed the control {moved}px away"
    status = ticket.testid("lc-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text(re.compile(spoken))
    expect(message).to_be_hidden(timeout=10_000)  # it clears itself after a few seconds


def test_a_failed_copy_shows_beside_the_button_and_is_announced_assertively(open_ticket):
    ticket = open_ticket(1001)
    ticket.wait_state("matched")
    # A browser that refuses both the clipboard API and the execCommand fallback.
    ticket.app.locator("html").evaluate("""() => {
      const writeText = () => Promise.reject(new Error('denied'));
      Object.defineProperty(navigator, 'clipboard', { value: { writeText } });
      document.execCommand = () => false;
    }""")
    button = ticket.testid("lc-copy-id").first
    button.click()
    assert_beside(ticket, visible_copy(ticket, r"^Could not copy"), button)
    alert = ticket.app.get_by_role("alert").filter(has_text="Could not copy")
    expect(alert).to_have_attribute("aria-live", "assertive")


# What lies behind an element: every ancestor's background colour, the page's first.
BEHIND = """const layers = [];
  for (let n = el.parentElement; n; n = n.parentElement) {
    layers.unshift(getComputedStyle(n).backgroundColor);
  }"""

FOCUSED = """() => {
  const el = document.activeElement;
  const cs = getComputedStyle(el);
  """ + BEHIND + """
  return { testid: el.dataset.testid || el.tagName, focusVisible: el.matches(':focus-visible'),
    outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth), outlineColor: cs.outlineColor,
    outlineOffset: parseFloat(cs.outlineOffset), boxShadow: cs.boxShadow, own: cs.backgroundColor, layers };
}"""


def focus_indicator(info: dict) -> tuple[str, float] | None:
    """(colour, thickness) of the focus outline, else of the widest box-shadow ring; None without either."""
    if info["outlineStyle"] not in ("none", "hidden") and info["outlineWidth"] > 0:
        return info["outlineColor"], info["outlineWidth"]
    rings = re.findall(r"(rgba?\([^)]*\))\s+(?:-?[\d.]+px\s+){3}([\d.]+)px", info["boxShadow"] or "")
    return max(((c, float(s)) for c, s in rings), key=lambda r: r[1], default=None)


@pytest.mark.parametrize(("ticket_id", "theme", "must_see"), [
    (1001, None, {"lc-copy-id", "lc-reveal", "lc-action-insert", "lc-action-admin", "lc-action-tags",
                  "lc-action-refresh"}),
    (1001, "dark", {"lc-copy-id", "lc-reveal", "lc-action-insert", "lc-action-admin", "lc-action-tags"}),
    (1005, None, {"lc-show-all"}),
    (1007, None, {"lc-manual-kind", "lc-manual-value", "lc-manual-submit", "lc-action-refresh"}),
])
def test_every_control_shows_a_focus_ring_of_3_to_1_against_what_surrounds_it(open_ticket, ticket_id, theme,
                                                                                must_see):
    ticket = open_ticket(ticket_id, theme=theme, settings={
        "mask_pii": "true", "admin_link_template": "https://admin.example.com/learners/{learner_id}"})
    ticket.wait_state("not-found" if ticket_id == 1007 else "matched")
    controls = ticket.app.locator(CONTROLS)
    controls.first.focus()
    seen = set()
    for _ in range(controls.count()):  # by keyboard, as an agent moves through the panel
        info = ticket.app.locator("html").evaluate(FOCUSED)
        seen.add(info["testid"])
        assert info["focusVisible"], f"{info['testid']} got keyboard focus without :focus-visible"
        ring = focus_indicator(info)
        assert ring, f"{info['testid']} shows no focus indicator"
        colour, thickness = ring
        panel = layered(info["layers"])
        around = [panel] if info["outlineOffset"] > 0 else [panel, layered([*info["layers"], info["own"]])]
        painted = layered([*info["layers"], colour])
        for neighbour in around:
            ratio = contrast(painted, neighbour)
            assert ratio >= 3, f"{info['testid']}: focus ring {colour} is {ratio:.2f}:1 against {neighbour}"
        assert thickness >= 2, f"{info['testid']}: focus ring only {thickness}px thick"
        ticket.page.keyboard.press("Tab")
    assert must_see <= seen, f"never reached by Tab: {must_see - seen}"


@pytest.mark.parametrize(("locale", "label"), [
    ("en-US", "Value to search for"), ("fr", "Valeur à rechercher"), ("zh-CN", "要搜索的内容")])
def test_the_manual_search_field_is_named_by_a_visible_label(open_ticket, locale, label):
    ticket = open_ticket(1007, locale=locale)
    ticket.wait_state("not-found")
    field = ticket.testid("lc-manual-value")
    expect(ticket.app.get_by_role("textbox", name=label)).to_have_attribute("data-testid", "lc-manual-value")
    expect(field).not_to_have_attribute("aria-label", re.compile(".*"))  # the name is the text on screen
    visible = ticket.app.locator("label[for=lc-manual-value]:not(.offscreen)")
    expect(visible).to_have_text(label)
    expect(visible).to_be_visible()
    assert field.evaluate("el => [...el.labels].map((l) => l.textContent)") == [label]


@pytest.mark.parametrize("theme", [None, "dark"])
def test_the_manual_search_fields_have_borders_of_3_to_1(open_ticket, theme):
    ticket = open_ticket(1007, theme=theme)
    ticket.wait_state("not-found")
    for testid in ("lc-manual-value", "lc-manual-kind"):
        colours = ticket.testid(testid).evaluate("""(el) => {
          const cs = getComputedStyle(el);
          """ + BEHIND + """
          return { border: cs.borderTopColor, inside: cs.backgroundColor, layers };
        }""")
        outside = layered(colours["layers"])
        border = layered([*colours["layers"], colours["border"]])
        for neighbour in (outside, layered([*colours["layers"], colours["inside"]])):
            ratio = contrast(border, neighbour)
            assert ratio >= 3, f"{testid}: border {colours['border']} is {ratio:.2f}:1 against {neighbour}"


def test_each_progress_bar_is_named_by_its_course(open_ticket):
    ticket = open_ticket(1001)
    ticket.wait_state("matched")
    rows = ticket.testid("lc-enrolment")
    expect(rows.first).to_be_visible()
    names = []
    for index in range(rows.count()):
        row = rows.nth(index)
        title = row.locator(".row-head strong, strong").first.inner_text().strip()
        bar = row.get_by_role("progressbar")
        expect(bar).to_have_accessible_name(f"Progress in {title}")
        names.append(title)
    assert len(names) > 1 and len(set(names)) == len(names)  # several bars, each its own name


def test_a_failed_section_is_announced_once_by_the_panel_not_again_by_its_banners(open_ticket, clean_sandbox):
    ticket = open_ticket(1002)  # two accounts: a payments banner in each card
    ticket.wait_state("matched")
    clean_sandbox.fault("payments", "error")
    ticket.testid("lc-action-refresh").click()
    ticket.wait_state("partial")
    expect(ticket.app.locator("[data-testid=lc-section-status][data-section=payments]")).to_have_count(2)
    expect(ticket.testid("lc-status")).to_have_text("Learner context loaded; some systems did not answer.")
    # The banners are not live regions of their own, which would say the same thing twice more.
    assert ticket.app.locator("#app [role=status], #app [role=alert], #app [aria-live]").count() == 0


def test_no_account_because_the_learner_system_failed_is_announced_as_such_not_as_loaded(open_ticket,
                                                                                          clean_sandbox):
    ticket = open_ticket(1001)
    ticket.wait_state("matched")
    clean_sandbox.fault("learners", "error")
    ticket.testid("lc-action-refresh").click()  # past the backend's cache, to the failing system
    ticket.wait_state("partial")
    expect(ticket.testid("lc-match")).to_have_count(0)
    expect(ticket.testid("lc-status")).to_have_text(re.compile("^The learner system did not answer"))
    # and on screen, above the manual search
    expect(ticket.testid("lc-learner-down")).to_contain_text("The learner system did not answer")
    expect(ticket.testid("lc-learner-down").get_by_test_id("lc-manual-form")).to_be_visible()
