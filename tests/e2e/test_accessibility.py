"""What the agent sees and hears: action results beside the control."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

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
    ("lc-action-tags", r"^Tags added: lc_", r"^Tags added: lc_"),  # the button itself reads "Tags added"
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
