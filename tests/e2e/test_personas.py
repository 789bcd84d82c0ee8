"""Every demo ticket (one persona each) shows its designed state in the real app, through the page."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from sandbox.internal import personas as p
from tests.learner_facts import soonest_deadline


def match_ids(ticket) -> list[str]:
    return [m.get_attribute("data-learner-id") for m in ticket.testid("lc-match").all()]


def flag_codes(ticket) -> set[str]:
    return {f.get_attribute("data-code") for f in ticket.testid("lc-flag").all()}


def test_1001_single_match_with_refund_eligible_order(open_ticket):
    ticket = open_ticket(1001)
    ticket.wait_state("matched")
    assert match_ids(ticket) == [p.AMELIE_ID]
    assert "refund_eligible" in flag_codes(ticket)
    expect(ticket.app.locator(f"[data-testid=lc-order][data-order-id='{p.AMELIE_RECENT_ORDER_ID}']")).to_be_visible()
    expect(ticket.testid("lc-match-why")).to_contain_text(p.AMELIE_EMAIL)


def test_1002_two_accounts_each_saying_why(open_ticket):
    ticket = open_ticket(1002)
    ticket.wait_state("matched")
    assert sorted(match_ids(ticket)) == sorted([p.WEI_ID, p.WEI_WORK_ID])
    whys = ticket.testid("lc-match-why").all_text_contents()
    assert any(p.WEI_EMAIL in why for why in whys) and any(p.WEI_WORK_EMAIL in why for why in whys)
    # Ticket-bound: the address the ticket was e-mailed from is unverified in Zendesk, and says so.
    assert [why for why in whys if "(ticket sender, unverified)" in why] == \
        [why for why in whys if p.WEI_EMAIL in why]


def test_1003_sponsored_learner_with_a_deadline(open_ticket):
    ticket = open_ticket(1003)
    ticket.wait_state("matched")
    assert match_ids(ticket) == [p.SAM_ID]
    assert "enterprise_sponsored" in flag_codes(ticket)
    sponsored = ticket.app.locator("[data-testid=lc-flag][data-code=enterprise_sponsored]")
    expect(sponsored).to_contain_text(p.SAM_SPONSOR_NAME)
    expect(ticket.testid("lc-payer")).to_contain_text(p.SAM_SPONSOR_NAME)  # mask_pii is off
    # The learner in London, the agent in New York: both clocks.
    expect(ticket.testid("lc-deadline").first).to_contain_text("Learner’s time:")
    expect(ticket.testid("lc-deadline").first).to_contain_text("Your time:")
    # The flag too: the deadline is the learner's, on their clock and the agent's.
    soon = ticket.app.locator("[data-testid=lc-flag][data-code=deadline_soon]")
    expect(soon).to_contain_text("(learner’s time)")
    expect(soon).to_contain_text("(yours).")
    expect(soon).to_have_attribute("data-enrolment-id", p.SAM_ENROLMENT_ID)


def test_1003_masked_until_revealed_sponsor_included(open_ticket):
    ticket = open_ticket(1003, settings={"mask_pii": "true"})
    ticket.wait_state("matched")
    payer = ticket.testid("lc-payer")
    sponsored = ticket.app.locator("[data-testid=lc-flag][data-code=enterprise_sponsored]")
    for shown in (ticket.testid("lc-learner-name"), payer, sponsored):
        expect(shown).to_contain_text("•••")
    expect(payer).not_to_contain_text(p.SAM_SPONSOR_NAME)
    expect(sponsored).not_to_contain_text(p.SAM_SPONSOR_NAME)
    ticket.testid("lc-reveal").click()
    # One way to say the state: the label ("Hide personal data"), not also aria-pressed="true",
    # which a screen reader would read as "Hide personal data, pressed": hidden.
    expect(ticket.testid("lc-reveal")).to_have_text("Hide personal data")
    expect(ticket.testid("lc-reveal")).not_to_have_attribute("aria-pressed", re.compile(".*"))
    expect(ticket.testid("lc-reveal")).to_have_attribute("data-revealed", "true")
    expect(payer).to_contain_text(p.SAM_SPONSOR_NAME)
    expect(sponsored).to_contain_text(p.SAM_SPONSOR_NAME)
    expect(ticket.testid("lc-learner-email")).to_have_text(p.SAM_EMAIL)


def test_1004_financial_aid(open_ticket):
    ticket = open_ticket(1004)
    ticket.wait_state("matched")
    assert match_ids(ticket) == [p.PRIYA_ID]
    assert "financial_aid" in flag_codes(ticket)
    # Aid covers part of a course; the learner still pays, as her order rows say.
    expect(ticket.testid("lc-payer")).to_have_text("Who pays: The learner, with financial aid")


def test_1005_heavy_history_shows_first_items_then_the_capped_list(open_ticket):
    ticket = open_ticket(1005)
    ticket.wait_state("matched")
    # Every enrolment with a deadline this week is one line, not one flag each.
    soon = ticket.app.locator("[data-testid=lc-flag][data-code=deadline_soon]")
    expect(soon).to_have_count(1)
    assert int(soon.get_attribute("data-count")) > 1
    expect(soon).to_contain_text(f"{soon.get_attribute('data-count')} deadlines within")
    # Learner and agent both on New York time: one line for both clocks.
    expect(ticket.testid("lc-deadline").first).to_contain_text("Learner’s time and yours:")
    expect(ticket.testid("lc-deadline").first).not_to_contain_text("Your time:")
    show_all = ticket.app.locator("[data-testid=lc-enrolments] [data-testid=lc-show-all]")
    expect(show_all).to_have_attribute("aria-expanded", "false")
    # The backend sends 50 of 300 (deadlines soon first): the toggle says so rather than "show all".
    expect(show_all).to_have_text(f"Show 50 of {p.HEAVY_ENROLMENTS}")
    before = ticket.testid("lc-enrolment").count()
    show_all.click()
    expect(show_all).to_have_attribute("aria-expanded", "true")
    assert ticket.testid("lc-enrolment").count() == 50 > before
    expect(ticket.app.locator("[data-testid=lc-enrolments] [data-testid=lc-list-capped]")).to_have_text(
        f"Showing 50 of {p.HEAVY_ENROLMENTS}: deadlines soon first, then the most recent.")
    orders = ticket.app.locator("[data-testid=lc-payments] [data-testid=lc-show-all]")
    expect(orders).to_have_text(f"Show the 50 most recent (of {p.HEAVY_ORDERS:,})")
    # Only some of the enrolments were read: an order's enrolment missing from them is not "not found".
    orders.click()
    refunds = ticket.testid("lc-refund").all_text_contents()
    assert any(r == "No refund: enrolment not among the records checked" for r in refunds), refunds
    assert not any("not found" in r for r in refunds), refunds


def test_1005_most_urgent_deadline_is_in_the_first_rows_without_show_more(open_ticket, clean_sandbox):
    # Read from the enrolments system itself: the next deadline over all 300 enrolments, on one the
    # learner has not touched for long (far down the system's newest-activity-first list).
    due = soonest_deadline(clean_sandbox, p.HEAVY_ID)
    assert due.position >= 50
    ticket = open_ticket(1005)
    ticket.wait_state("matched")
    enrolments = ticket.app.locator("[data-testid=lc-enrolments]")
    expect(enrolments.get_by_test_id("lc-show-all")).to_have_attribute("aria-expanded", "false")
    rows = enrolments.get_by_test_id("lc-enrolment")
    expect(rows).to_have_count(5)
    assert due.enrolment_id in [row.get_attribute("data-enrolment-id") for row in rows.all()]
    first = rows.first
    expect(first).to_have_attribute("data-enrolment-id", due.enrolment_id)
    expect(first).to_be_visible()
    expect(first.get_by_test_id("lc-deadline")).to_contain_text(f"Next: {due.title}")
    expect(first.get_by_test_id("lc-deadline-soon")).to_have_text("Deadline soon")
    # The flag at the top of the card is about that very enrolment.
    soon = ticket.app.locator("[data-testid=lc-flag][data-code=deadline_soon]")
    expect(soon).to_have_attribute("data-enrolment-id", due.enrolment_id)
    expect(soon).to_contain_text(f"Next: {due.title}")


def test_1006_erased_account(open_ticket):
    ticket = open_ticket(1006)
    ticket.wait_state("matched")
    expect(ticket.testid("lc-learner-status")).to_have_attribute("data-status", "erased")
    assert "account_erased" in flag_codes(ticket)
    # Its records are gone: "No enrolments." / "No orders." would say the learner had none.
    for section in ("lc-enrolments", "lc-payments"):
        expect(ticket.testid(section)).to_contain_text("Not available: account erased")
        expect(ticket.testid(section)).not_to_contain_text(re.compile(r"^No |\bNo (enrolments|orders)\."))


def test_1007_not_found_offers_a_manual_search_that_finds_the_learner(open_ticket):
    ticket = open_ticket(1007)
    ticket.wait_state("not-found")
    # No account on screen: a reference in the ticket is listed without "(not) this learner's".
    expect(ticket.testid("lc-reference").first).to_have_attribute("data-matched", "false")
    expect(ticket.testid("lc-reference").first).not_to_contain_text("learner")
    ticket.testid("lc-manual-kind").select_option("email")
    ticket.testid("lc-manual-value").fill(p.AMELIE_EMAIL)
    ticket.testid("lc-manual-submit").click()
    ticket.wait_state("matched")
    assert match_ids(ticket) == [p.AMELIE_ID]
    expect(ticket.testid("lc-manual-badge")).to_be_visible()
