"""Every LC_* setting of the backend, read from the environment and validated once."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-secret-change-me-0123456789abcdef"  # noqa: S105 - make run / sandbox default
DEV_HASH_KEY = "dev-only-audit-hash-key"
MIN_SECRET_BYTES = 32


class ConfigError(Exception):
    """The environment does not describe a runnable service; lists every problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid configuration:\n  - " + "\n  - ".join(problems))


def _csv(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


class SecretsFileError(Exception):
    """LC_JWT_SECRETS_FILE cannot be read or holds no secret; the message names the file, never a secret."""


def read_secrets(path: str) -> tuple[str, ...]:
    """The secrets in the file at path: one per line or comma-separated, the first current; blank
    lines and surrounding spaces ignored."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise SecretsFileError(f"{path} is not UTF-8 text") from None
    except OSError as exc:
        raise SecretsFileError(f"cannot read {path}: {exc.strerror or type(exc).__name__}") from None
    secrets = _csv(text.replace("\n", ","))  # _csv strips the \r of CRLF lines too
    if not secrets:
        raise SecretsFileError(f"no secret in {path} (one per line or comma-separated, the first is current)")
    return secrets


def issuer(value: str) -> str:
    """An accepted `iss` as the app signs it (https://<subdomain>.zendesk.com): one trailing slash,
    a common way to write a site's address, is dropped; config_checks refuses any other path."""
    return value[:-1] if value.endswith("/") and not value.endswith("//") else value


def zendesk_root(value: str) -> str:
    """LC_ZENDESK_URL as the account's root (the client adds /api/v2): trailing slashes and a trailing
    /api/v2, the API's own address and a common way to write it, are dropped; config_checks refuses
    any other path."""
    return value.rstrip("/").removesuffix("/api/v2")


@dataclass(frozen=True)
class Settings:
    """Validated settings; field names are the variable names without the LC_ prefix, lower-cased."""

    env: str = "production"
    jwt_secrets: tuple[str, ...] = ()
    jwt_secrets_file: str = ""
    jwt_audience: str = "learner-context"
    jwt_issuers: tuple[str, ...] = ()
    jwt_leeway_s: int = 30
    jwt_max_lifetime_s: int = 600
    jwt_max_bytes: int = 4096
    learner_api_url: str = ""
    enrolment_api_url: str = ""
    course_api_url: str = ""
    payment_api_url: str = ""
    internal_api_token: str = ""
    database_url: str = f"sqlite:///{ROOT / 'var' / 'audit.db'}"
    redis_url: str = ""
    deadline_ms: int = 2500
    call_timeout_ms: int = 1500
    retries: int = 2
    breaker_failures: int = 5
    breaker_reset_s: int = 30
    pool_size: int = 32
    cache_ttl_s: int = 120
    catalogue_ttl_s: int = 900
    zendesk_url: str = ""
    zendesk_email: str = ""
    zendesk_api_token: str = ""
    zendesk_cache_ttl_s: int = 60
    ticket_bound: bool = True
    manual_search: bool = True
    audit_hash_key: str = ""
    rate_limit: str = "120/minute"
    rate_limit_account: str = "1200/minute"
    max_body_bytes: int = 16384
    max_items: int = 50
    refund_window_days: int = 14
    refund_max_progress_pct: int = 50
    deadline_soon_days: int = 7
    ready_cache_s: int = 5
    log_level: str = "INFO"

    @property
    def development(self) -> bool:
        return self.env == "development"

    @property
    def ticket_bound_active(self) -> bool:
        """Ticket-bound mode needs a Zendesk API to ask; without one it cannot be on."""
        return self.ticket_bound and bool(self.zendesk_url)

    @property
    def system_urls(self) -> dict[str, str]:
        return {
            "learners": self.learner_api_url,
            "enrolments": self.enrolment_api_url,
            "courses": self.course_api_url,
            "payments": self.payment_api_url,
        }


_BOOL = {"1": True, "true": True, "yes": True, "on": True,
         "0": False, "false": False, "no": False, "off": False}


# The secrets gunicorn's master last accepted from LC_JWT_SECRETS_FILE, by path (see hold_secrets).
_held_secrets: dict[str, tuple[str, ...]] = {}


def hold_secrets(settings: Settings) -> None:
    """Make load() in this process, and in every process forked from it later, take the secrets of
    settings' LC_JWT_SECRETS_FILE from settings instead of the file. gunicorn's master holds what it
    accepted at start-up and at each SIGHUP, so a worker it forks for another reason (one crashed or
    timed out) serves with its siblings' secrets: not a file edited since without a SIGHUP, which
    would split the workers between two sets of secrets, nor a broken one, which would stop gunicorn."""
    _held_secrets.clear()
    if settings.jwt_secrets_file:
        _held_secrets[settings.jwt_secrets_file] = settings.jwt_secrets


def load(environ: Mapping[str, str] | None = None, *, fresh_secrets: bool = False,
         **overrides: object) -> Settings:
    """Build Settings from LC_* variables (plus keyword overrides) or raise ConfigError; the secrets
    file's held secrets are used unless fresh_secrets (the master reading the file at SIGHUP)."""
    environ = os.environ if environ is None else environ
    problems: list[str] = []
    values: dict[str, object] = {}
    for f in fields(Settings):
        var = "LC_" + f.name.upper()
        raw = overrides.get(f.name, environ.get(var))
        if raw is None or raw == "":
            continue
        if not isinstance(raw, str):
            values[f.name] = tuple(raw) if isinstance(raw, list) else raw
            continue
        default = f.default
        try:
            if isinstance(default, bool):
                if raw.lower() not in _BOOL:
                    raise ValueError("expected 0/1/true/false")
                values[f.name] = _BOOL[raw.lower()]
            elif isinstance(default, int):
                values[f.name] = int(raw)
            elif isinstance(default, tuple):
                values[f.name] = _csv(raw)
            else:
                values[f.name] = raw.strip()
        except ValueError as exc:
            problems.append(f"{var}: {exc}")
    settings = Settings(**values)  # type: ignore[arg-type]
    settings = _replace(settings, jwt_issuers=tuple(issuer(i) for i in settings.jwt_issuers),
                        zendesk_url=zendesk_root(settings.zendesk_url))
    if settings.jwt_secrets_file:
        if settings.jwt_secrets:
            problems.append("LC_JWT_SECRETS and LC_JWT_SECRETS_FILE: set one of them, not both")
        else:
            try:
                held = None if fresh_secrets else _held_secrets.get(settings.jwt_secrets_file)
                settings = _replace(settings, jwt_secrets=held or read_secrets(settings.jwt_secrets_file))
            except SecretsFileError as exc:
                problems.append(f"LC_JWT_SECRETS_FILE: {exc}")
    elif settings.development and not settings.jwt_secrets:
        settings = _replace(settings, jwt_secrets=(DEV_SECRET,))
    if settings.development and not settings.audit_hash_key:
        settings = _replace(settings, audit_hash_key=DEV_HASH_KEY)
    from backend.config_checks import check  # it reads this module's constants and Settings

    problems += check(settings)
    if problems:
        raise ConfigError(problems)
    return settings


def _replace(settings: Settings, **changes: object) -> Settings:
    return replace(settings, **changes)


def token_defaults(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Secret, issuer and audience a development token is signed with (first of each LC_* list; the
    secret from LC_JWT_SECRETS, else LC_JWT_SECRETS_FILE, else the development secret)."""
    environ = os.environ if environ is None else environ
    secrets = _csv(environ.get("LC_JWT_SECRETS", ""))
    if not secrets and environ.get("LC_JWT_SECRETS_FILE", "").strip():
        try:
            secrets = read_secrets(environ["LC_JWT_SECRETS_FILE"].strip())
        except SecretsFileError:
            secrets = ()  # the service will not start either; its message says why
    secrets = secrets or (DEV_SECRET,)
    issuers = tuple(map(issuer, _csv(environ.get("LC_JWT_ISSUERS", "")))) or ("https://demo.zendesk.com",)
    return {"secret": secrets[0], "iss": issuers[0],
            "aud": environ.get("LC_JWT_AUDIENCE", "").strip() or Settings.jwt_audience}


def server_options(environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """gunicorn's bind/workers/threads from LC_BIND, LC_WORKERS, LC_THREADS (2-core defaults);
    ConfigError when a count is not a positive integer."""
    environ = os.environ if environ is None else environ
    options: dict[str, object] = {"bind": environ.get("LC_BIND", "").strip() or "127.0.0.1:8000"}
    problems = []
    for name, default in (("workers", 2), ("threads", 8)):
        raw = environ.get(f"LC_{name.upper()}", "").strip()
        try:
            value = int(raw) if raw else default
        except ValueError:
            value = default
            problems.append(f"LC_{name.upper()}: must be a whole number")
        if value <= 0:
            problems.append(f"LC_{name.upper()}: must be positive")
        options[name] = value
    if problems:
        raise ConfigError(problems)
    return options
