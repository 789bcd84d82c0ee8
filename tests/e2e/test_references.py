"""The "In this ticket" section says whose a reference is only when it can know, and which account."""
from __future__ import annotations

from playwright.sync_api import expect

from sandbox.internal import personas as p


def reference(ticket, value: str):
    return ticket.app.locator(f"[data-testid=lc-reference]:has(strong:text-is('{value}'))")


def test_an_order_named_in_the_ticket_cannot_be_checked_while_payments_fail(open_ticket, clean_sandbox):
    ticket = open_ticket(1001)
    ticket.wait_state("matched")
    order = reference(ticket, p.AMELIE_RECENT_ORDER_ID)
    expect(order).to_have_attribute("data-verdict", "matched")
    clean_sandbox.fault("payments", "error")
    ticket.testid("lc-action-refresh").click()
    ticket.wait_state("partial")
    # Payments failed, so the order was not found; that says nothing about whose it is.
    expect(order).to_have_attribute("data-verdict", "unchecked")
    expect(order.get_by_test_id("lc-reference-verdict")).to_have_text("Can’t check now")
    expect(order).not_to_contain_text("Not this learner’s")
    # The course is linked through the enrolments, which answered.
    course = reference(ticket, p.AMELIE_RECENT_COURSE_ID)
    expect(course.get_by_test_id("lc-reference-verdict")).to_have_text("This learner’s")
    clean_sandbox.clear_faults()


def test_a_course_beyond_the_heavy_learners_capped_list_is_not_called_someone_elses(open_ticket):
    ticket = open_ticket(1005)
    ticket.wait_state("matched")
    # 300 enrolments, 50 looked at: the backend cannot rule the course out.
    course = reference(ticket, "C-0319")
    expect(course).to_have_attribute("data-verdict", "capped")
    expect(course.get_by_test_id("lc-reference-verdict")).to_have_text(
        "Can’t tell: only recent records checked")


def test_with_two_accounts_a_reference_says_which_one_masked_until_revealed(open_ticket):
    ticket = open_ticket(1002, settings={"mask_pii": "true"})
    ticket.wait_state("matched")
    order = reference(ticket, p.WEI_FAILED_ORDER_ID)
    expect(order).to_have_attribute("data-learner-id", p.WEI_WORK_ID)
    verdict = order.get_by_test_id("lc-reference-verdict")
    expect(verdict).to_have_text(f"Belongs to W••• Z••• ({p.WEI_WORK_ID})")
    card = ticket.app.locator(f"[data-testid=lc-match][data-learner-id='{p.WEI_WORK_ID}']")
    card.get_by_test_id("lc-reveal").click()
    expect(verdict).to_have_text(f"Belongs to Wei Zhang ({p.WEI_WORK_ID})")


def test_with_one_account_a_reference_is_simply_this_learners(open_ticket):
    ticket = open_ticket(1001)
    ticket.wait_state("matched")
    order = reference(ticket, p.AMELIE_RECENT_ORDER_ID)
    expect(order.get_by_test_id("lc-reference-verdict")).to_have_text("This learner’s")
    expect(order).not_to_have_attribute("data-learner-id", p.AMELIE_ID)
