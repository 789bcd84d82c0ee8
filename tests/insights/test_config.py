"""Insights settings: defaults that reach the local sandbox, and every bad variable reported at once."""
from __future__ import annotations

import pytest

from insights.config import ConfigError, load


def test_defaults_point_at_the_local_sandbox_and_a_sqlite_warehouse():
    settings = load({})
    assert settings.zendesk_url == "http://127.0.0.1:8001"
    assert settings.zendesk_email == "agent@demo.example"
    assert settings.warehouse_url.startswith("sqlite:///")
    assert settings.warehouse_url.endswith("var/warehouse.db")
    assert settings.alert_webhook_url == ""


def test_values_are_parsed_and_urls_trimmed():
    settings = load({"LC_ZENDESK_URL": "http://zd.local:9000/", "LC_ALERT_SENSITIVITY": "3.5",
                     "LC_ALERT_COOLDOWN_MIN": "60", "LC_WAREHOUSE_URL": "postgresql+psycopg://u@h/db"})
    assert settings.zendesk_url == "http://zd.local:9000"
    assert settings.alert_sensitivity == 3.5 and settings.alert_cooldown_min == 60
    assert settings.warehouse_url == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize("written", ["https://acme.zendesk.com", "https://acme.zendesk.com/",
                                     "https://acme.zendesk.com/api/v2", "https://acme.zendesk.com/api/v2/"])
def test_zendesk_url_is_the_account_root_however_it_is_written_as_the_backend_takes_it(written):
    assert load({"LC_ZENDESK_URL": written}).zendesk_url == "https://acme.zendesk.com"


def test_every_problem_is_listed():
    with pytest.raises(ConfigError) as info:
        load({"LC_EXPORT_PAGE_SIZE": "0", "LC_ALERT_SENSITIVITY": "high", "LC_ALERT_WEBHOOK_URL": "ftp://x",
              "LC_WAREHOUSE_URL": "warehouse.db"})
    assert len(info.value.problems) == 4
    assert any("LC_EXPORT_PAGE_SIZE" in p for p in info.value.problems)


@pytest.mark.parametrize(("url", "why"), [
    ("foo://x", "'foo' is not a supported warehouse"),
    ("mysql://u@h/db", "'mysql' is not a supported warehouse"),
    ("postgresql+asyncpg://u:pw@h/db", "driver of 'postgresql+asyncpg' is not installed"),
    ("warehouse.db", "must be an SQLAlchemy URL")])
def test_a_warehouse_url_the_jobs_cannot_use_is_refused_without_echoing_it(url, why):
    with pytest.raises(ConfigError) as info:
        load({"LC_WAREHOUSE_URL": url})
    [problem] = info.value.problems
    assert why in problem and ":pw@" not in problem


@pytest.mark.parametrize(("name", "value", "why"), [
    ("LC_ALERT_SENSITIVITY", "nan", "finite"), ("LC_EXPORT_RETRY_BUDGET_S", "inf", "finite"),
    ("LC_ZENDESK_TIMEOUT_S", "nan", "finite"), ("LC_ALERT_SENSITIVITY", "-inf", "finite"),
    ("LC_EXPORT_PAGE_SIZE", "5000", "at most 1000"), ("LC_WAREHOUSE_LOCK_WAIT_S", "0", "at least 0.1"),
    ("LC_WAREHOUSE_LOCK_WAIT_S", "1e9", "at most 86400"), ("LC_ALERT_INDEX_LAG_S", "3600", "at most 1800"),
    ("LC_ALERT_INDEX_LAG_S", "-1", "at least 0")])
def test_numbers_that_are_not_finite_or_past_zendesks_limits_are_refused(name, value, why):
    with pytest.raises(ConfigError) as info:
        load({name: value})
    assert info.value.problems == [f"{name} must be {'a finite number' if why == 'finite' else why}"]


def test_the_largest_page_zendesk_serves_is_accepted():
    assert load({"LC_EXPORT_PAGE_SIZE": "1000"}).export_page_size == 1000


def test_alerts_wait_three_minutes_for_search_to_index_new_tickets_by_default():
    assert load({}).alert_index_lag_s == 180
    assert load({"LC_ALERT_INDEX_LAG_S": "0"}).alert_index_lag_s == 0
