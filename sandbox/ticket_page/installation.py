"""The app's installation on the page: manifest parameters, settings (secure ones kept server side)."""
from __future__ import annotations

import itertools
import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.ticket_page.config import PageConfig

# Used only when the app has no manifest.json yet: the two settings every request needs.
FALLBACK_PARAMETERS = [
    {"name": "backend_url", "type": "url", "required": True},
    {"name": "shared_secret", "type": "text", "secure": True, "required": True},
]
MAX_INSTALLATIONS = 512
APP_ID = 4242


@dataclass(frozen=True)
class Installation:
    """One page load's app installation: its id, every setting, and which of them are secure."""

    key: str
    installation_id: int
    settings: dict[str, object]
    secure: frozenset[str]
    whitelist: tuple[str, ...]
    name: str
    version: str
    scopes: dict[str, frozenset[str]] = field(default_factory=dict)  # secure setting -> where it may go

    def public_settings(self) -> dict[str, object]:
        """The settings the browser may see: secure ones are omitted, as Zendesk does."""
        return {k: v for k, v in self.settings.items() if k not in self.secure}


def read_manifest(path: Path) -> dict:
    """The app's manifest.json, or an empty one when the app has not been written yet."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def _default(param: Mapping[str, object], config: PageConfig) -> object:
    name = str(param.get("name"))
    if name == "backend_url":
        return config.backend_url
    if name == "shared_secret":
        return config.shared_secret
    if "default" in param:
        return param["default"]
    if param.get("type") == "checkbox":
        return not name.startswith("mask")  # admin toggles on, personal-data masking off
    return ""


def _coerce(raw: str, param: Mapping[str, object] | None) -> object:
    if param and param.get("type") == "checkbox":
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return raw


class Registry:
    """Installations created by page loads, newest kept, looked up by the proxy with their key."""

    def __init__(self, config: PageConfig):
        self.config = config
        self._lock = threading.Lock()
        self._items: OrderedDict[str, Installation] = OrderedDict()
        self._ids = itertools.count(1)

    def create(self, query_settings: Mapping[str, str]) -> Installation:
        """A new installation from the manifest, the environment and (sandbox only) query overrides."""
        manifest = read_manifest(self.config.manifest_path)
        params = manifest.get("parameters") or FALLBACK_PARAMETERS
        by_name = {str(p.get("name")): p for p in params}
        settings = {name: _default(p, self.config) for name, p in by_name.items()}
        settings.update(self.config.setting_overrides)
        if self.config.query_overrides:
            for name, raw in query_settings.items():
                settings[name] = _coerce(raw, by_name.get(name))
        secure = frozenset(name for name, p in by_name.items() if p.get("secure"))
        scopes = {name: frozenset(map(str, p["scopes"])) for name, p in by_name.items()
                  if name in secure and isinstance(p.get("scopes"), list)}
        whitelist = self.config.domain_whitelist
        if whitelist is None:
            whitelist = tuple(manifest.get("domainWhitelist") or ())
        with self._lock:
            inst = Installation(key=secrets.token_urlsafe(18), installation_id=next(self._ids),
                                settings=settings, secure=secure, whitelist=whitelist,
                                name=str(manifest.get("name") or "App"),
                                version=str(manifest.get("version") or ""), scopes=scopes)
            self._items[inst.key] = inst
            while len(self._items) > MAX_INSTALLATIONS:
                self._items.popitem(last=False)
        return inst

    def get(self, key: str) -> Installation | None:
        """The installation with this key, if it is still known."""
        with self._lock:
            return self._items.get(key)
