"""A requester the agent picks but has not saved: the panel never shows the saved requester's learner as
theirs (ticket-bound mode reads the saved ticket), and shows the new requester's once the ticket is saved."""
from __future__ import annotations

import pytest
from playwright.sync_api import Frame, expect

from sandbox.internal import personas as p
from sandbox.ticket_page import config as page_config
from tests.backend.conftest import bearer, token
from tests.e2e import harness

RECORD_LEARNERS = """() => {
  window.seenLearners = [];
  const record = () => document.querySelectorAll('[data-learner-id]')
    .forEach((el) => window.seenLearners.push(el.dataset.learnerId));
  new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
}"""


@pytest.fixture
def open_ticket(open_ticket, backend, clean_sandbox):
    """The page's open_ticket; afterwards the tickets saved with another requester are as generated
    again, and the session's backend reads their requester afresh (as after a save), or its cache
    would keep the saved requester for LC_ZENDESK_CACHE_TTL_S and mislead the next tests."""
    yield open_ticket
    secret = page_config.load().shared_secret
    client = backend.app.test_client()
    for ticket_id in clean_sandbox.forget_zendesk_edits():
        resp = client.post("/api/v1/learner-context", json={"refresh": True},
                           headers=bearer(token(secret, iss=harness.ISSUER, ticket_id=ticket_id)))
        assert resp.status_code == 200


def app_frame(ticket: harness.TicketPage) -> Frame:
    return next(f for f in ticket.page.frames if "/app/assets/iframe.html" in f.url)


def pick_requester(ticket: harness.TicketPage, email: str) -> None:
    """The requester field of the ticket: another existing user, not saved."""
    ticket.page.get_by_test_id("page-requester-input").fill(email)
    ticket.page.get_by_test_id("page-requester-change").click()
    expect(ticket.page.get_by_test_id("page-requester-email")).to_have_text(email)


def card(ticket: harness.TicketPage, learner_id: str):
    return ticket.app.locator(f"[data-testid=lc-match][data-learner-id='{learner_id}']")


def test_an_unsaved_requester_never_gets_the_saved_requesters_learner_and_saving_shows_theirs(open_ticket):
    ticket = open_ticket(1001)
    ticket.wait_state("matched")
    expect(card(ticket, p.AMELIE_ID)).to_be_visible()
    app_frame(ticket).evaluate(RECORD_LEARNERS)  # from here on, every learner the panel draws

    pick_requester(ticket, p.SAM_EMAIL)
    expect(ticket.page.get_by_test_id("page-requester-unsaved")).to_be_visible()
    # The backend still resolves Amélie (the saved requester): the panel says why it shows no one.
    ticket.wait_state("requester-unsaved")
    expect(ticket.testid("lc-requester-unsaved")).to_contain_text("Save the ticket")
    expect(ticket.testid("lc-status")).to_have_text(
        "The requester was changed. Save the ticket to see the new requester’s learner context.")
    expect(ticket.app.locator("[data-testid=lc-match]")).to_have_count(0)
    expect(ticket.testid("lc-action-insert")).to_have_count(0)
    expect(ticket.testid("lc-action-tags")).to_have_count(0)

    ticket.page.get_by_test_id("page-submit").click()
    expect(card(ticket, p.SAM_ID)).to_be_visible()
    ticket.wait_state("matched")
    assert ["ticket.submit.done"] in [e["detail"] for e in ticket.zaf_log("event")]
    seen = app_frame(ticket).evaluate("window.seenLearners")
    assert p.AMELIE_ID not in seen and p.SAM_ID in seen


def test_picking_the_saved_requester_again_shows_their_learner_again(open_ticket):
    ticket = open_ticket(1001)
    ticket.wait_state("matched")
    pick_requester(ticket, p.SAM_EMAIL)
    ticket.wait_state("requester-unsaved")
    pick_requester(ticket, p.AMELIE_EMAIL)
    expect(ticket.page.get_by_test_id("page-requester-unsaved")).to_be_hidden()
    expect(card(ticket, p.AMELIE_ID)).to_be_visible()
    ticket.wait_state("matched")


def test_an_address_no_user_has_changes_nothing(open_ticket):
    ticket = open_ticket(1003)
    ticket.wait_state("matched")
    ticket.page.get_by_test_id("page-requester-input").fill("no.one@example.com")
    ticket.page.get_by_test_id("page-requester-change").click()
    expect(ticket.page.get_by_test_id("page-error")).to_contain_text("no user with that email address")
    expect(ticket.page.get_by_test_id("page-requester-email")).to_have_text(p.SAM_EMAIL)
    assert not [e for e in ticket.zaf_log("event") if e["detail"][0].startswith("ticket.requester")]
    expect(card(ticket, p.SAM_ID)).to_be_visible()
