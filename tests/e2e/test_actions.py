"""What the agent does from the sidebar lands in the ticket: reply text, tags, refresh, retries, resize."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from sandbox.internal import personas as p


def test_insert_into_reply_lands_in_the_reply_box(open_ticket):
    ticket = open_ticket(1001)
    ticket.wait_state("matched")
    reply = ticket.page.get_by_test_id("page-reply")
    expect(reply).to_have_value("")
    ticket.testid("lc-action-insert").click()
    expect(reply).to_have_value(re.compile(re.escape(p.AMELIE_ID)))
    assert p.AMELIE_RECENT_ORDER_ID in reply.input_value()
    # Amélie's summary is in French, the agent works in English: the agent is told which.
    expect(ticket.testid("lc-feedback")).to_have_text("Summary inserted into the reply, in French.")


def test_add_tags_adds_the_suggested_tags_to_the_ticket(open_ticket):
    ticket = open_ticket(1001)
    ticket.wait_state("matched")
    tags = ticket.page.get_by_test_id("page-tag")
    before = tags.all_text_contents()
    ticket.testid("lc-action-tags").click()
    expect(tags).not_to_have_count(len(before))
    after = tags.all_text_contents()
    added = [t for t in after if t not in before]
    assert added and all(t.startswith("lc_") for t in added)
    assert set(before) <= set(after)


def test_refresh_asks_the_internal_systems_again(open_ticket, clean_sandbox):
    ticket = open_ticket(1003)
    ticket.wait_state("matched")
    clean_sandbox.clear_requests()
    ticket.testid("lc-action-refresh").click()
    ticket.wait_state("matched")
    expect(ticket.testid("lc-match")).to_have_count(1)
    systems = {r["system"] for r in clean_sandbox.requests_log()}
    assert {"learners", "enrolments", "payments"} <= systems


def test_a_failing_system_shows_a_partial_section_then_recovers_on_retry(open_ticket, clean_sandbox):
    ticket = open_ticket(1004)
    ticket.wait_state("matched")
    clean_sandbox.fault("payments", "error")
    ticket.testid("lc-action-refresh").click()
    banner = ticket.app.locator("[data-testid=lc-section-status][data-section=payments]")
    expect(banner).to_be_visible()
    expect(banner).not_to_have_attribute("data-status", "ok")
    expect(ticket.testid("lc-match")).to_have_count(1)  # the rest of the answer is still shown
    clean_sandbox.clear_faults()
    banner.get_by_test_id("lc-section-retry").click()
    expect(banner).to_have_count(0)
    expect(ticket.testid("lc-order").first).to_be_visible()


def test_the_app_resizes_its_iframe_to_its_content(open_ticket):
    ticket = open_ticket(1001)
    ticket.wait_state("matched")
    resizes = ticket.zaf_log("resize")
    assert resizes, "the app never invoked resize"
    last = round(resizes[-1]["detail"][0])
    expect(ticket.page.get_by_test_id("page-app-frame")).to_have_css("height", f"{last}px")
    assert ticket.frame_height() != 200  # the page's initial height


def test_switching_ticket_requeries_for_the_new_requester(open_ticket):
    ticket = open_ticket(1001)
    ticket.wait_state("matched")
    ticket.page.get_by_test_id("page-ticket-picker").select_option("1003")
    expect(ticket.app.locator(f"[data-testid=lc-match][data-learner-id='{p.SAM_ID}']")).to_be_visible()


def search_manually(ticket, email: str) -> None:
    ticket.testid("lc-manual-value").fill(email)
    ticket.testid("lc-manual-submit").click()
    expect(ticket.testid("lc-manual-badge")).to_be_visible()
    ticket.wait_state("matched")


def test_a_manual_results_details_go_into_the_reply_only_once_the_agent_confirms(open_ticket):
    ticket = open_ticket(1007)  # nobody@example.com: the agent looks Amélie up by hand
    ticket.wait_state("not-found")
    search_manually(ticket, p.AMELIE_EMAIL)
    reply = ticket.page.get_by_test_id("page-reply")
    insert = ticket.testid("lc-action-insert")
    insert.click()
    confirm = ticket.testid("lc-confirm")
    expect(confirm).to_contain_text("manual search")
    expect(ticket.testid("lc-confirm-yes")).to_be_focused()
    expect(reply).to_have_value("")  # nothing written yet
    ticket.testid("lc-confirm-cancel").click()
    expect(confirm).to_have_count(0)
    expect(insert).to_be_focused()
    expect(reply).to_have_value("")
    insert.click()
    ticket.testid("lc-confirm-yes").click()
    expect(reply).to_have_value(re.compile(re.escape(p.AMELIE_ID)))
    expect(confirm).to_have_count(0)
    expect(insert).to_be_focused()


def test_a_manual_results_tags_go_onto_the_ticket_only_once_the_agent_confirms(open_ticket):
    ticket = open_ticket(1007)
    ticket.wait_state("not-found")
    search_manually(ticket, p.AMELIE_EMAIL)
    tags = ticket.page.get_by_test_id("page-tag")
    before = tags.all_text_contents()
    ticket.testid("lc-action-tags").click()
    # Names the tags it would add, as a list in words (like the feedback), not Zendesk's space-separated form.
    expect(ticket.testid("lc-confirm")).to_contain_text(re.compile(r"lc_\w+, lc_\w+"))
    assert tags.all_text_contents() == before
    ticket.testid("lc-confirm-yes").click()
    expect(tags).not_to_have_count(len(before))
    # Not "Tags added" a second time right above the feedback "Tags added: …": where the tags now are.
    expect(ticket.testid("lc-action-tags")).to_have_text("Tags on the ticket")
    expect(ticket.testid("lc-feedback")).to_contain_text(re.compile(r"^Tags added: lc_\w+, lc_"))
    assert any(t.startswith("lc_") for t in tags.all_text_contents() if t not in before)


def test_a_reply_summary_while_payments_are_down_asks_first_and_never_says_there_are_no_orders(open_ticket,
                                                                                                clean_sandbox):
    ticket = open_ticket(1001)
    ticket.wait_state("matched")
    clean_sandbox.fault("payments", "error")
    ticket.testid("lc-action-refresh").click()
    ticket.wait_state("partial")
    reply = ticket.page.get_by_test_id("page-reply")
    ticket.testid("lc-action-insert").click()
    expect(ticket.testid("lc-confirm")).to_contain_text("did not load (Payments)")
    expect(reply).to_have_value("")
    ticket.testid("lc-confirm-yes").click()
    expect(reply).to_have_value(re.compile(re.escape(p.AMELIE_ID)))
    text = reply.input_value()  # in Amélie's French
    assert "Introduction to Machine Learning" in text  # what did load
    assert "ORD-" not in text and "aucune" not in text, text  # no orders, and no "none"


def test_with_enrolments_and_payments_both_down_there_is_no_summary_to_insert(open_ticket, clean_sandbox):
    ticket = open_ticket(1001)
    ticket.wait_state("matched")
    clean_sandbox.fault("payments", "error")
    clean_sandbox.fault("enrolments", "error")
    ticket.testid("lc-action-refresh").click()
    ticket.wait_state("partial")
    expect(ticket.testid("lc-match")).to_be_visible()
    expect(ticket.testid("lc-action-insert")).to_have_count(0)
