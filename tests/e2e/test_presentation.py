"""Languages, dark mode and the admin-facing states (not configured, unauthorized)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize("locale", ["fr", "zh-CN"])
def test_the_app_speaks_the_agents_language(open_ticket, locale):
    english = open_ticket(1001)
    english.wait_state("matched")
    label_en = english.testid("lc-action-refresh").text_content()
    ticket = open_ticket(1001, locale=locale)
    ticket.wait_state("matched")
    expect(ticket.app.locator("html")).to_have_attribute("lang", locale)
    assert ticket.testid("lc-action-refresh").text_content() != label_en


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
