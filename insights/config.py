"""Every setting of the insights jobs, read from the environment and validated once."""
from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

ROOT = Path(__file__).resolve().parent.parent
WAREHOUSES = ("sqlite", "postgresql")  # the dialects warehouse.upsert speaks


class ConfigError(Exception):
    """The environment does not describe a runnable job; lists every problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("invalid configuration: " + "; ".join(problems))


@dataclass(frozen=True)
class Settings:
    """Validated settings; each field is an LC_* variable (see ENV_NAMES)."""

    zendesk_url: str = "http://127.0.0.1:8001"
    zendesk_email: str = "agent@demo.example"
    zendesk_api_token: str = "sandbox-zendesk-token"  # noqa: S105 - the sandbox's public demo token
    zendesk_timeout_s: float = 30.0
    warehouse_url: str = f"sqlite:///{ROOT / 'var' / 'warehouse.db'}"
    warehouse_lock_wait_s: float = 30.0
    export_page_size: int = 1000
    export_start: str = ""
    retry_budget_s: float = 120.0
    alert_webhook_url: str = ""
    alert_weeks: int = 8
    alert_sensitivity: float = 6.0
    alert_min_count: int = 20
    alert_min_elapsed_min: int = 10
    alert_index_lag_s: int = 180  # Zendesk search finds a new ticket "up to a few minutes" after creation
    alert_cooldown_min: int = 720
    alert_watch_s: int = 300


ENV_NAMES: dict[str, str] = {
    "zendesk_url": "LC_ZENDESK_URL",
    "zendesk_email": "LC_ZENDESK_EMAIL",
    "zendesk_api_token": "LC_ZENDESK_API_TOKEN",
    "zendesk_timeout_s": "LC_ZENDESK_TIMEOUT_S",
    "warehouse_url": "LC_WAREHOUSE_URL",
    "warehouse_lock_wait_s": "LC_WAREHOUSE_LOCK_WAIT_S",
    "export_page_size": "LC_EXPORT_PAGE_SIZE",
    "export_start": "LC_EXPORT_START",
    "retry_budget_s": "LC_EXPORT_RETRY_BUDGET_S",
    "alert_webhook_url": "LC_ALERT_WEBHOOK_URL",
    "alert_weeks": "LC_ALERT_BASELINE_WEEKS",
    "alert_sensitivity": "LC_ALERT_SENSITIVITY",
    "alert_min_count": "LC_ALERT_MIN_COUNT",
    "alert_min_elapsed_min": "LC_ALERT_MIN_ELAPSED_MIN",
    "alert_index_lag_s": "LC_ALERT_INDEX_LAG_S",
    "alert_cooldown_min": "LC_ALERT_COOLDOWN_MIN",
    "alert_watch_s": "LC_ALERT_WATCH_S",
}

# Lower bounds keep nonsense (a zero page size, a negative cooldown) out of the jobs.
MINIMUMS: dict[str, float] = {
    "zendesk_timeout_s": 0.1, "warehouse_lock_wait_s": 0.1, "export_page_size": 1, "retry_budget_s": 0,
    "alert_weeks": 1, "alert_sensitivity": 0, "alert_min_count": 0, "alert_min_elapsed_min": 0,
    "alert_cooldown_min": 0, "alert_watch_s": 1, "alert_index_lag_s": 0,
}

# Zendesk's incremental exports refuse bigger pages; a day's wait for a lock is a run that is stuck.
# An index lag of half an hour would leave the alerts judging a window long gone.
MAXIMUMS: dict[str, float] = {"export_page_size": 1000, "warehouse_lock_wait_s": 86400,
                              "alert_index_lag_s": 1800}


def _url(name: str, value: str, problems: list[str]) -> None:
    if value and not value.startswith(("http://", "https://")):
        problems.append(f"{name} must start with http:// or https://")


def _warehouse(url: str, problems: list[str]) -> None:
    """A SQLite or PostgreSQL URL whose driver is installed (the URL itself is never echoed: a password)."""
    try:
        parsed = make_url(url) if "://" in url else None
    except ArgumentError:
        parsed = None
    if parsed is None:
        problems.append("LC_WAREHOUSE_URL must be an SQLAlchemy URL such as sqlite:///var/warehouse.db")
        return
    if parsed.get_backend_name() not in WAREHOUSES:
        problems.append(f"LC_WAREHOUSE_URL: {parsed.get_backend_name()!r} is not a supported warehouse; "
                        "use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB")
        return
    try:
        parsed.get_dialect().import_dbapi()
    except (ImportError, NoSuchModuleError):
        problems.append(f"LC_WAREHOUSE_URL: the driver of {parsed.drivername!r} is not installed; "
                        "use postgresql+psycopg:// (psycopg 3 is in requirements.txt)")


def load(env: Mapping[str, str] | None = None) -> Settings:
    """Settings from env (default os.environ); raises ConfigError listing every bad variable."""
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    problems: list[str] = []
    for f in fields(Settings):
        name = ENV_NAMES[f.name]
        raw = env.get(name)
        if raw is None or raw.strip() == "":
            continue
        raw = raw.strip()
        if f.type in ("int", "float"):
            try:
                number = int(raw) if f.type == "int" else float(raw)
            except ValueError:
                problems.append(f"{name} must be a number")
                continue
            if not math.isfinite(number):  # nan compares false with every bound, so it would slip past them
                problems.append(f"{name} must be a finite number")
                continue
            if number < MINIMUMS.get(f.name, float("-inf")):
                problems.append(f"{name} must be at least {MINIMUMS[f.name]}")
                continue
            if number > MAXIMUMS.get(f.name, float("inf")):
                problems.append(f"{name} must be at most {MAXIMUMS[f.name]}")
                continue
            values[f.name] = number
        else:
            trim = f.name in ("zendesk_url", "alert_webhook_url")
            values[f.name] = raw.rstrip("/") if trim else raw
            if f.name == "zendesk_url":
                # The backend reads the same variable and takes the API's own address too (…/api/v2).
                values[f.name] = values[f.name].removesuffix("/api/v2").rstrip("/")
    settings = Settings(**values)  # type: ignore[arg-type]
    _url("LC_ZENDESK_URL", settings.zendesk_url, problems)
    _url("LC_ALERT_WEBHOOK_URL", settings.alert_webhook_url, problems)
    if settings.export_start:
        try:
            datetime.fromisoformat(settings.export_start.replace("Z", "+00:00"))
        except ValueError:
            problems.append("LC_EXPORT_START must be a date like 2026-01-01 or an ISO time")
    _warehouse(settings.warehouse_url, problems)
    if problems:
        raise ConfigError(problems)
    return settings
