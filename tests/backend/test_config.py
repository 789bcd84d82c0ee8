"""Start-up validation of the LC_* settings: every mistake is a ConfigError naming it, never a traceback."""

from __future__ import annotations

import sys

import pytest

from backend.config import DEV_HASH_KEY, DEV_SECRET, ConfigError, load, server_options
from backend.config_checks import warnings

CLOSED = "http://127.0.0.1:9"
VALID = {
    "LC_ENV": "test",
    "LC_JWT_SECRETS": "s" * 40,
    "LC_JWT_ISSUERS": "https://acme.zendesk.com",
    "LC_AUDIT_HASH_KEY": "k",
    "LC_LEARNER_API_URL": f"{CLOSED}/l",
    "LC_ENROLMENT_API_URL": f"{CLOSED}/e",
    "LC_COURSE_API_URL": f"{CLOSED}/c",
    "LC_PAYMENT_API_URL": f"{CLOSED}/p",
}


def test_the_valid_environment_loads():
    settings = load(VALID)
    assert settings.rate_limit == "120/minute" and settings.log_level == "INFO"


@pytest.mark.parametrize(
    "var, value",
    [
        ("LC_RATE_LIMIT", "lots"),
        ("LC_RATE_LIMIT", "0/minute"),
        ("LC_DATABASE_URL", "notaurl"),
        ("LC_DATABASE_URL", "mysql://audit@db/audit"),
        ("LC_REDIS_URL", "notaurl"),
        ("LC_REDIS_URL", "http://127.0.0.1:6379/0"),
        ("LC_LOG_LEVEL", "loud"),
        # PyJWT refuses these as HMAC keys: every token would fail, so the service must not start.
        ("LC_JWT_SECRETS", "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7vbqajDhA0123456789 ops@host"),
        ("LC_JWT_SECRETS",
         "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----"),
    ],
)
def test_a_malformed_setting_is_a_config_error_naming_it(var, value):
    with pytest.raises(ConfigError) as caught:
        load({**VALID, var: value})
    assert [p for p in caught.value.problems if p.startswith(f"{var}:")]
    assert str(caught.value).startswith("invalid configuration:")


@pytest.mark.parametrize(
    "var, value",
    [
        ("LC_RATE_LIMIT", "10 per second"),
        ("LC_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
        ("LC_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
        ("LC_DATABASE_URL", "sqlite+pysqlite:///var/audit.db"),
        ("LC_REDIS_URL", "redis://:pw@127.0.0.1:6379/0?socket_timeout=1"),
        ("LC_REDIS_URL", "rediss://cache.internal:6380/2"),
        ("LC_REDIS_URL", "unix:///run/redis.sock"),
        ("LC_LOG_LEVEL", "warning"),
    ],
)
def test_well_formed_values_are_accepted(var, value):
    load({**VALID, var: value})


def test_every_problem_is_listed_in_one_error_without_echoing_urls():
    with pytest.raises(ConfigError) as caught:
        load({**VALID, "LC_RATE_LIMIT": "lots", "LC_DATABASE_URL": "pg:secret-password@db",
              "LC_LOG_LEVEL": "loud"})
    named = [p.split(":", 1)[0] for p in caught.value.problems]
    assert named == ["LC_RATE_LIMIT", "LC_DATABASE_URL", "LC_LOG_LEVEL"]
    assert "secret-password" not in str(caught.value)


@pytest.mark.parametrize("var", ["LC_WORKERS", "LC_THREADS"])
@pytest.mark.parametrize("value", ["two", "0", "-1"])
def test_server_counts_must_be_positive_integers(var, value):
    with pytest.raises(ConfigError) as caught:
        server_options({var: value})
    assert [p.split(":", 1)[0] for p in caught.value.problems] == [var]


def test_server_options_defaults_and_values():
    assert server_options({}) == {"bind": "127.0.0.1:8000", "workers": 2, "threads": 8}
    assert server_options({"LC_BIND": "0.0.0.0:9000", "LC_WORKERS": "3", "LC_THREADS": " 4 "}) == {
        "bind": "0.0.0.0:9000", "workers": 3, "threads": 4}


@pytest.mark.parametrize(
    "var, value",
    [
        ("LC_JWT_LEEWAY_S", "-600"),
        ("LC_JWT_LEEWAY_S", "3600"),
        ("LC_JWT_MAX_LIFETIME_S", "-1"),
        ("LC_JWT_MAX_LIFETIME_S", "0"),
        ("LC_JWT_MAX_BYTES", "10"),
        ("LC_BREAKER_FAILURES", "0"),
        ("LC_BREAKER_RESET_S", "0"),
        ("LC_RETRIES", "-1"),
        ("LC_RETRIES", "1000"),
        ("LC_DEADLINE_MS", "0"),
        ("LC_CACHE_TTL_S", "-5"),
        ("LC_REFUND_WINDOW_DAYS", "-14"),
        ("LC_REFUND_MAX_PROGRESS_PCT", "500"),
        ("LC_REFUND_MAX_PROGRESS_PCT", "-1"),
        ("LC_DEADLINE_SOON_DAYS", "-7"),
        ("LC_MAX_ITEMS", "0"),
    ],
)
def test_a_number_out_of_its_range_is_a_config_error_naming_it(var, value):
    with pytest.raises(ConfigError) as caught:
        load({**VALID, var: value})
    assert [p.split(":", 1)[0] for p in caught.value.problems] == [var]
    assert f"(is {value})" in str(caught.value)


def test_every_number_out_of_range_is_listed_at_once():
    with pytest.raises(ConfigError) as caught:
        load({**VALID, "LC_JWT_LEEWAY_S": "-600", "LC_BREAKER_FAILURES": "0",
              "LC_REFUND_MAX_PROGRESS_PCT": "500", "LC_RATE_LIMIT": "lots"})
    named = [p.split(":", 1)[0] for p in caught.value.problems]
    assert named == ["LC_JWT_LEEWAY_S", "LC_BREAKER_FAILURES", "LC_REFUND_MAX_PROGRESS_PCT", "LC_RATE_LIMIT"]


@pytest.mark.parametrize("var, value", [("LC_JWT_LEEWAY_S", "0"), ("LC_CATALOGUE_TTL_S", "0"),
                                        ("LC_REFUND_MAX_PROGRESS_PCT", "100"),
                                        ("LC_REFUND_WINDOW_DAYS", "0")])
def test_numbers_at_the_ends_of_their_range_are_accepted(var, value):
    load({**VALID, var: value})


@pytest.mark.parametrize(
    "value",
    [
        "acme.zendesk.com",  # no scheme
        "http://acme.zendesk.com",  # the app signs https
        "https://acme.zendesk.com/api/v2",
        "https://acme.zendesk.com//",
        "https://acme.zendesk.com:443",
        "https://acme.zendesk.com?x=1",
        "https://",
    ],
)
def test_an_issuer_the_app_never_signs_is_refused_with_the_expected_form(value):
    with pytest.raises(ConfigError) as caught:
        load({**VALID, "LC_JWT_ISSUERS": f"https://beta.zendesk.com,{value}"})
    (problem,) = caught.value.problems
    assert problem.startswith("LC_JWT_ISSUERS: issuer #1 ")
    assert "https://<subdomain>.zendesk.com" in problem


def test_an_issuer_with_credentials_is_refused_without_echoing_them():
    with pytest.raises(ConfigError) as caught:
        load({**VALID, "LC_JWT_ISSUERS": "https://admin:hunter2@acme.zendesk.com"})
    assert "hunter2" not in str(caught.value) and "LC_JWT_ISSUERS: issuer #0 " in str(caught.value)


def test_one_trailing_slash_of_an_issuer_is_dropped():
    settings = load({**VALID, "LC_JWT_ISSUERS": "https://acme.zendesk.com/, https://beta.zendesk.com"})
    assert settings.jwt_issuers == ("https://acme.zendesk.com", "https://beta.zendesk.com")


ZENDESK = {"LC_ZENDESK_EMAIL": "agent@acme.example", "LC_ZENDESK_API_TOKEN": "zendesk-token"}


@pytest.mark.parametrize(
    "value",
    ["https://acme.zendesk.com", "https://acme.zendesk.com/", "https://acme.zendesk.com/api/v2",
     "https://acme.zendesk.com/api/v2/"],
)
def test_the_zendesk_url_is_the_accounts_root_however_it_ends(value):
    assert load({**VALID, **ZENDESK, "LC_ZENDESK_URL": value}).zendesk_url == "https://acme.zendesk.com"


@pytest.mark.parametrize(
    "value",
    ["acme.zendesk.com", "ftp://acme.zendesk.com", "https://acme.zendesk.com/api",
     "https://acme.zendesk.com/api/v2/tickets", "https://acme.zendesk.com?locale=fr",
     "https://agent:secret-pw@acme.zendesk.com", "https://acme.zendesk.com:port", "https://"],
)
def test_a_zendesk_url_that_is_not_an_accounts_root_is_refused(value):
    with pytest.raises(ConfigError) as caught:
        load({**VALID, **ZENDESK, "LC_ZENDESK_URL": value})
    assert [p.split(":", 1)[0] for p in caught.value.problems] == ["LC_ZENDESK_URL"]
    assert "secret-pw" not in str(caught.value)


@pytest.mark.parametrize(
    "value",
    [
        "postgresql+psycopg2://audit:secret-pw@db/audit",  # psycopg2 is not installed: psycopg 3 is
        "postgresql+asyncpg://audit@db/audit",
        "postgresql+pg8000://audit@db/audit",
        "sqlite+aiosqlite:///var/audit.db",
    ],
)
def test_a_database_driver_the_backend_does_not_run_on_is_refused(value):
    with pytest.raises(ConfigError) as caught:
        load({**VALID, "LC_DATABASE_URL": value})
    (problem,) = caught.value.problems
    assert problem.startswith("LC_DATABASE_URL: driver ")
    assert "postgresql+psycopg://" in problem or "sqlite+pysqlite://" in problem
    assert "secret-pw" not in problem


def test_a_database_driver_that_does_not_import_is_refused(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if psycopg were not installed
    with pytest.raises(ConfigError) as caught:
        load({**VALID, "LC_DATABASE_URL": "postgresql://audit@db/audit"})
    assert caught.value.problems == [
        "LC_DATABASE_URL: its driver psycopg cannot be imported (ModuleNotFoundError: psycopg)"]


@pytest.mark.parametrize(
    "value, why",
    [
        ("redis://127.0.0.1:notaport/0", "Port could not be cast"),
        ("redis://127.0.0.1:99999/0", "Port out of range"),
        ("redis://127.0.0.1:6379/0?timeout=5", "unexpected keyword argument 'timeout'"),
        ("unix:///run/redis.sock?db=zero", "Invalid value for 'db'"),
        ("redis://:secret-pw@[::1/0", "Invalid IPv6 URL"),
    ],
)
def test_a_redis_url_redis_cannot_use_is_refused_saying_why(value, why):
    with pytest.raises(ConfigError) as caught:
        load({**VALID, "LC_REDIS_URL": value})
    (problem,) = caught.value.problems
    assert problem.startswith("LC_REDIS_URL: redis cannot use it: ") and why in problem
    assert "secret-pw" not in problem


def test_a_redis_password_never_appears_in_the_message():
    with pytest.raises(ConfigError) as caught:
        load({**VALID, "LC_REDIS_URL": "redis://:secret-pw@127.0.0.1:6379/0?secret-pw=1"})
    assert "unexpected keyword argument" in str(caught.value) and "secret-pw" not in str(caught.value)


@pytest.mark.parametrize("var, value", [
    ("LC_JWT_SECRETS", DEV_SECRET), ("LC_JWT_SECRETS", f"{'n' * 40},{DEV_SECRET}"),
    ("LC_AUDIT_HASH_KEY", DEV_HASH_KEY),
])
def test_the_development_secrets_published_in_the_repository_are_refused_in_production(var, value):
    with pytest.raises(ConfigError) as caught:
        load({**VALID, var: value, "LC_ENV": "production"})
    (problem,) = caught.value.problems
    assert problem.startswith(var) and "development" in problem and DEV_SECRET not in problem
    assert load({**VALID, var: value, "LC_ENV": "development"})  # make run's own defaults
    assert load({**VALID, var: value, "LC_ENV": "test"})  # the browser tests' page signs with it


def test_the_zendesk_api_token_never_travels_over_plain_http_except_to_loopback():
    with pytest.raises(ConfigError) as caught:
        load({**VALID, **ZENDESK, "LC_ZENDESK_URL": "http://acme.zendesk.com"})
    assert [p.split(":", 1)[0] for p in caught.value.problems] == ["LC_ZENDESK_URL"]
    assert "https" in caught.value.problems[0]
    for local in ("http://127.0.0.1:8001", "http://localhost:8001", "http://[::1]:8001"):
        assert load({**VALID, **ZENDESK, "LC_ZENDESK_URL": local}).zendesk_url == local
    assert load({**VALID, **ZENDESK, "LC_ZENDESK_URL": "http://zendesk.test", "LC_ENV": "development"})


def test_settings_that_start_but_protect_less_than_they_seem_are_warned_about():
    assert warnings(load({**VALID, **ZENDESK, "LC_ZENDESK_URL": "https://acme.zendesk.com"})) == []
    (off,) = warnings(load(VALID))
    assert off.startswith("ticket-bound mode is off (LC_ZENDESK_URL is not set)")
    unbound = warnings(load({**VALID, **ZENDESK, "LC_ZENDESK_URL": "https://acme.zendesk.com",
                             "LC_TICKET_BOUND": "0", "LC_MANUAL_SEARCH": "0"}))
    assert [w.split(" ", 1)[0] for w in unbound] == ["ticket-bound", "LC_MANUAL_SEARCH=0"]
    assert "LC_TICKET_BOUND=0" in unbound[0]
    assert warnings(load({**VALID, "LC_ENV": "development"})) == []
