"""Settings of the local ticket page (sandbox only): its LC_PAGE_* variables, read in one place."""
from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from backend.config import DEV_SECRET, token_defaults
from sandbox.config import load_zendesk

ROOT = Path(__file__).resolve().parents[2]
SDK_CDN_URL = "https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js"


@dataclass(frozen=True)
class PageConfig:
    """What the ticket page, its ZAF host and its proxy need; every field has a sandbox default."""

    app_dir: Path = ROOT / "zendesk-app"
    manifest_path: Path = ROOT / "manifest.json"
    sdk_path: Path = ROOT / "var" / "zaf_sdk.js"
    # cdn: the app loads Zendesk's CDN; local: /app/ pages get the local build; auto: the CDN if it answers
    sdk_source: str = "auto"
    sdk_probe_url: str = SDK_CDN_URL  # what auto asks (tests point it at a loopback server)
    backend_url: str = "http://127.0.0.1:8000"
    shared_secret: str = DEV_SECRET
    setting_overrides: dict[str, object] = field(default_factory=dict)
    domain_whitelist: tuple[str, ...] | None = None  # None: the manifest's domainWhitelist
    query_overrides: bool = True  # ?setting.NAME=… on the page URL (tests); sandbox only
    proxy_timeout_s: float = 15.0
    subdomain: str = "demo"
    zendesk_url: str = ""  # empty: this same server's /api/v2
    zendesk_email: str = ""  # empty: the sandbox's (sandbox.config.load_zendesk)
    zendesk_api_token: str = ""


def _bool(raw: str) -> bool:
    return raw.strip().lower() in ("1", "true", "yes", "on")


def load(environ: Mapping[str, str] | None = None) -> PageConfig:
    """Build PageConfig from LC_PAGE_* (plus LC_JWT_SECRETS[_FILE] and LC_ZENDESK_URL) variables."""
    env = os.environ if environ is None else environ
    values: dict[str, object] = {}
    paths = {"LC_PAGE_APP_DIR": "app_dir", "LC_PAGE_MANIFEST": "manifest_path",
             "LC_PAGE_SDK_PATH": "sdk_path"}
    for var, name in paths.items():
        if env.get(var):
            values[name] = Path(env[var])
    texts = {"LC_PAGE_SDK_SOURCE": "sdk_source", "LC_PAGE_SUBDOMAIN": "subdomain",
             "LC_ZENDESK_URL": "zendesk_url"}
    for var, name in texts.items():
        if env.get(var):
            values[name] = env[var].strip()
    if "LC_PAGE_BACKEND_URL" in env:  # present but empty means "not configured", on purpose
        values["backend_url"] = env["LC_PAGE_BACKEND_URL"].strip()
    # The backend's first secret, from LC_JWT_SECRETS or LC_JWT_SECRETS_FILE (else the development one).
    values["shared_secret"] = token_defaults(env)["secret"]
    if env.get("LC_PAGE_SETTINGS"):
        overrides = json.loads(env["LC_PAGE_SETTINGS"])
        if not isinstance(overrides, dict):
            raise ValueError("LC_PAGE_SETTINGS: must be a JSON object of setting name -> value")
        values["setting_overrides"] = overrides
    if "LC_PAGE_DOMAIN_WHITELIST" in env:
        values["domain_whitelist"] = tuple(
            part.strip() for part in env["LC_PAGE_DOMAIN_WHITELIST"].split(",") if part.strip())
    if env.get("LC_PAGE_QUERY_OVERRIDES"):
        values["query_overrides"] = _bool(env["LC_PAGE_QUERY_OVERRIDES"])
    if env.get("LC_PAGE_PROXY_TIMEOUT_S"):
        values["proxy_timeout_s"] = float(env["LC_PAGE_PROXY_TIMEOUT_S"])
    zendesk = load_zendesk()  # the same API-token credentials the sandbox's Zendesk API accepts
    values.update(zendesk_email=zendesk.email, zendesk_api_token=zendesk.api_token)
    config = PageConfig(**values)  # type: ignore[arg-type]
    if config.sdk_source not in ("auto", "cdn", "local"):
        raise ValueError("LC_PAGE_SDK_SOURCE: must be auto, cdn or local")
    return config
