"""Start-up validation of the loaded settings: every mistake named by its LC_ variable, at once."""
from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from backend.config import DEV_HASH_KEY, DEV_SECRET, MIN_SECRET_BYTES

if TYPE_CHECKING:
    from backend.config import Settings


# Every number's sane range: a negative leeway or lifetime refuses every token, a breaker opening at
# 0 failures refuses every call, a 500 % progress cap or a negative window turns the policy around.
RANGES: dict[str, tuple[int, int]] = {
    "jwt_leeway_s": (0, 300), "jwt_max_lifetime_s": (1, 86_400), "jwt_max_bytes": (256, 65_536),
    "deadline_ms": (1, 60_000), "call_timeout_ms": (1, 60_000), "retries": (0, 10),
    "breaker_failures": (1, 1_000_000), "breaker_reset_s": (1, 3_600), "pool_size": (1, 1_024),
    "cache_ttl_s": (0, 86_400), "catalogue_ttl_s": (0, 86_400), "zendesk_cache_ttl_s": (0, 3_600),
    "max_body_bytes": (1, 10_485_760), "max_items": (1, 1_000), "refund_window_days": (0, 365),
    "refund_max_progress_pct": (0, 100), "deadline_soon_days": (0, 365), "ready_cache_s": (0, 300),
}


def _unusable_secrets(secrets: tuple[str, ...], var: str) -> list[str]:
    """Secrets PyJWT refuses as HMAC keys (PEM, SSH or JWK text): every token would fail at run time."""
    from jwt import InvalidKeyError
    from jwt.algorithms import HMACAlgorithm

    bad = []
    for index, secret in enumerate(secrets):
        try:
            HMACAlgorithm(HMACAlgorithm.SHA256).prepare_key(secret)
        except InvalidKeyError:
            bad.append(index)
    if not bad:
        return []
    return [f"{var}: secret(s) #{bad} look like a public key or JWK, not an HMAC secret"]


def check(s: Settings) -> list[str]:
    """Every problem of the loaded settings, each naming its LC_ variable."""
    problems = []
    if s.env not in ("development", "production", "test"):
        problems.append("LC_ENV: must be development, test or production")
    # The secrets come from LC_JWT_SECRETS or from the file LC_JWT_SECRETS_FILE names (load() read it).
    secrets_var = "LC_JWT_SECRETS_FILE" if s.jwt_secrets_file else "LC_JWT_SECRETS"
    if not s.jwt_secrets and not s.jwt_secrets_file:
        problems.append("LC_JWT_SECRETS: required (comma-separated, the first is current),"
                        " or LC_JWT_SECRETS_FILE: a file of them")
    problems += _unusable_secrets(s.jwt_secrets, secrets_var)
    if not s.development:
        short = [i for i, secret in enumerate(s.jwt_secrets) if len(secret.encode()) < MIN_SECRET_BYTES]
        if short:
            problems.append(f"{secrets_var}: secret(s) #{short} shorter than {MIN_SECRET_BYTES} bytes")
        if not s.audit_hash_key:
            problems.append("LC_AUDIT_HASH_KEY: required outside development (keys the identifier hashes)")
    if s.env == "production":
        # Both are published in this repository: anyone could sign tokens, or reverse the hashes.
        published = [i for i, secret in enumerate(s.jwt_secrets) if secret == DEV_SECRET]
        if published:
            problems.append(f"{secrets_var}: secret(s) #{published} are the development secret published in"
                            " this repository; in production use a secret of your own")
        if s.audit_hash_key == DEV_HASH_KEY:
            problems.append("LC_AUDIT_HASH_KEY: the development key published in this repository; in"
                            " production use a key of your own")
    if not s.development and s.zendesk_url.startswith("http://") and not _loopback(s.zendesk_url):
        problems.append("LC_ZENDESK_URL: must be https outside development (the API token goes with every"
                        " request; plain http only to a loopback address)")
    if not s.jwt_issuers:
        problems.append("LC_JWT_ISSUERS: required, e.g. https://acme.zendesk.com")
    problems += _issuer_problems(s.jwt_issuers)
    for name, url in s.system_urls.items():
        if not url.startswith(("http://", "https://")):
            problems.append(f"LC_{_url_var(name)}: required http(s) URL of the {name} API")
    if s.zendesk_url and not (s.zendesk_email and s.zendesk_api_token):
        problems.append("LC_ZENDESK_EMAIL and LC_ZENDESK_API_TOKEN: required with LC_ZENDESK_URL")
    if s.zendesk_url and not _is_root_url(s.zendesk_url):
        # Not echoed: a URL may carry credentials.
        problems.append("LC_ZENDESK_URL: must be the account's address, http(s)://<host>[:port], e.g."
                        " https://acme.zendesk.com (a trailing / or /api/v2 is dropped; no other path,"
                        " no query, no credentials)")
    for name, (low, high) in RANGES.items():
        value = getattr(s, name)
        if not low <= value <= high:
            problems.append(f"LC_{name.upper()}: must be between {low} and {high} (is {value})")
    return problems + _check_formats(s)


_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*")


def _issuer_problems(issuers: tuple[str, ...]) -> list[str]:
    """An issuer is compared with the token's `iss` character for character, and the app signs
    `https://<subdomain>.zendesk.com`: anything else (no scheme, a path, a port) refuses every token."""
    problems = []
    for index, value in enumerate(issuers):
        if value.startswith("https://") and _HOST.fullmatch(value.removeprefix("https://")):
            continue
        shown = f" {value[:100]!r}" if "@" not in value else ""  # an issuer is public; credentials are not
        problems.append(f"LC_JWT_ISSUERS: issuer #{index}{shown} is not of the form https://<subdomain>.zendesk.com"
                        " (what the app signs as iss: https, the host, no port, path or query)")
    return problems


def warnings(s: Settings) -> list[str]:
    """Settings that start but may not do what the admin meant; logged once at start-up."""
    out = []
    if not s.ticket_bound_active and not s.development:
        why = "LC_TICKET_BOUND=0" if not s.ticket_bound else "LC_ZENDESK_URL is not set"
        out.append(f"ticket-bound mode is off ({why}): lookups use the requester identifiers the browser"
                   " sends, which the proxy signs unchecked")
        if not s.manual_search:
            out.append("LC_MANUAL_SEARCH=0 without ticket-bound mode limits the app's search form only: the"
                       " browser can still send any identifier as the requester's")
    return out


def _loopback(url: str) -> bool:
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return False
    return host in ("localhost", "::1") or host.startswith("127.")


def _is_root_url(url: str) -> bool:
    """http(s)://host[:port] and nothing else."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is no number or out of range
    except ValueError:
        return False
    return (parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.path
            and not parts.query and not parts.fragment and parts.username is None and "@" not in parts.netloc)


def _check_formats(s: Settings) -> list[str]:
    """Settings parsed by libraries later: refused here, so a typo stops start-up with one message.
    The values are not echoed: URLs may carry passwords."""
    # Imported here: `import backend.config` stays cheap for jobs and scripts.
    from limits import parse as parse_limit

    problems = []
    for var, value, example in (("LC_RATE_LIMIT", s.rate_limit, "120/minute"),
                                ("LC_RATE_LIMIT_ACCOUNT", s.rate_limit_account, "1200/minute")):
        try:
            if parse_limit(value).amount <= 0:
                problems.append(f"{var}: the amount must be positive, e.g. {example}")
        except ValueError:
            problems.append(f"{var}: not a rate such as {example} or 10 per second")
    problems += _database_problems(s.database_url)
    if s.redis_url:
        problems += _redis_problems(s.redis_url)
    if s.log_level.upper() not in logging.getLevelNamesMapping():
        problems.append("LC_LOG_LEVEL: must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return problems


# The one driver per database the audit store is built and tested with (requirements.txt installs them).
DRIVERS = {"sqlite": ("pysqlite", "Python's sqlite3"), "postgresql": ("psycopg", "psycopg 3")}


def _database_problems(url_text: str) -> list[str]:
    """A URL SQLAlchemy reads, for a supported database, whose driver imports: workers build their
    engine after the fork, where a missing driver would kill each of them with a traceback."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(url_text)
        backend, driver = url.get_backend_name(), url.get_driver_name()
    except ArgumentError:
        return ["LC_DATABASE_URL: not a database URL (sqlite:///path or postgresql+psycopg://...)"]
    if backend not in DRIVERS:
        return ["LC_DATABASE_URL: must be a sqlite:// or postgresql:// URL"]
    supported, library = DRIVERS[backend]
    if driver != supported:
        return [f"LC_DATABASE_URL: driver {driver[:40]!r} is not supported (the backend runs on {library}):"
                f" write {backend}+{supported}://... or {backend}://..."]
    try:
        url.get_dialect().import_dbapi()
    except ImportError as exc:
        return [f"LC_DATABASE_URL: its driver {driver} cannot be imported ({type(exc).__name__}: {exc.name})"]
    return []


def _redis_problems(url: str) -> list[str]:
    """A URL redis-py's own parser takes, as the cache and the rate limit will hand it over."""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return ["LC_REDIS_URL: must be a redis://, rediss:// or unix:// URL (or empty: no Redis)"]
    import redis

    try:
        pool = redis.ConnectionPool.from_url(url)
        try:
            pool.make_connection()  # builds, never connects: unknown query options fail only here
        finally:
            pool.disconnect()
    except (ValueError, TypeError) as exc:
        return [f"LC_REDIS_URL: redis cannot use it: {_without_password(str(exc), url)}"]
    return []


def _without_password(text: str, url: str) -> str:
    """text with the URL's password (as written and decoded) blanked out."""
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    for secret in {password, password and unquote(password)} - {None, ""}:
        text = text.replace(secret, "***")
    return text


def _url_var(system: str) -> str:
    return {
        "learners": "LEARNER_API_URL",
        "enrolments": "ENROLMENT_API_URL",
        "courses": "COURSE_API_URL",
        "payments": "PAYMENT_API_URL",
    }[system]
