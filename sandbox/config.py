"""Every setting of the sandbox process, read from the environment in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT / "var" / "sandbox"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
SEED = 20261123  # the demo data is a pure function of this number
HANG_SECONDS = 60.0  # a "hang" fault holds a request this long unless cleared first
REQUEST_LOG_SIZE = 20_000  # the request log keeps this many most recent calls


@dataclass(frozen=True)
class SandboxSettings:
    """Values the sandbox's parts share."""

    internal_api_token: str
    seed: int = SEED


def load() -> SandboxSettings:
    """Read LC_INTERNAL_API_TOKEN (default `sandbox-internal-token`) and LC_SANDBOX_SEED."""
    token = os.environ.get("LC_INTERNAL_API_TOKEN") or "sandbox-internal-token"
    seed = int(os.environ.get("LC_SANDBOX_SEED") or SEED)
    return SandboxSettings(internal_api_token=token, seed=seed)


@dataclass(frozen=True)
class ZendeskSettings:
    """Credentials and rate budget of the Zendesk API stand-in (sandbox/zendesk)."""

    email: str = "agent@demo.example"
    api_token: str = "sandbox-zendesk-token"  # noqa: S105 - public sandbox default
    rate_limit_per_minute: int = 700
    incremental_per_minute: int = 10  # Zendesk's separate limit on the incremental export endpoints
    advance_s: int = 600  # how stale the served history may get while it is asked; 0 = never moves
    # Zendesk indexes a new ticket for search only after a delay ("up to a few minutes"): search counts
    # leave out tickets created less than this long ago. 0: indexed at once.
    search_lag_s: int = 120


def load_zendesk() -> ZendeskSettings:
    """Read LC_ZENDESK_EMAIL, LC_ZENDESK_API_TOKEN, LC_SANDBOX_ZENDESK_RATE_LIMIT and
    LC_SANDBOX_ZENDESK_INCREMENTAL_RATE_LIMIT (requests/minute), LC_SANDBOX_ZENDESK_ADVANCE_S
    (seconds; 0 keeps the history as generated) and LC_SANDBOX_ZENDESK_SEARCH_LAG_S (seconds a new
    ticket waits to be searchable; 0: at once)."""
    advance_s = int(os.environ.get("LC_SANDBOX_ZENDESK_ADVANCE_S") or ZendeskSettings.advance_s)
    if advance_s < 0:
        raise ValueError("LC_SANDBOX_ZENDESK_ADVANCE_S must be 0 (off) or a number of seconds")
    lag_s = int(os.environ.get("LC_SANDBOX_ZENDESK_SEARCH_LAG_S") or ZendeskSettings.search_lag_s)
    if lag_s < 0:
        raise ValueError("LC_SANDBOX_ZENDESK_SEARCH_LAG_S must be 0 (indexed at once) or a number of seconds")
    incremental = int(os.environ.get("LC_SANDBOX_ZENDESK_INCREMENTAL_RATE_LIMIT")
                      or ZendeskSettings.incremental_per_minute)
    if incremental < 1:
        raise ValueError("LC_SANDBOX_ZENDESK_INCREMENTAL_RATE_LIMIT must be a positive number of requests")
    return ZendeskSettings(
        email=os.environ.get("LC_ZENDESK_EMAIL") or ZendeskSettings.email,
        api_token=os.environ.get("LC_ZENDESK_API_TOKEN") or ZendeskSettings.api_token,
        rate_limit_per_minute=int(os.environ.get("LC_SANDBOX_ZENDESK_RATE_LIMIT") or 700),
        incremental_per_minute=incremental,
        advance_s=advance_s,
        search_lag_s=lag_s,
    )
