"""The request proxy, like Zendesk's: substitutes settings, signs {{jwt.token}}, enforces domainWhitelist."""
from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

import jwt

from sandbox.ticket_page.installation import Installation

SETTING = re.compile(r"\{\{\s*setting\.([A-Za-z0-9_.-]+)\s*\}\}")
JWT_TOKEN = re.compile(r"\{\{\s*jwt\.token\s*\}\}")
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}
MAX_EXPIRY_S = 3600


class ProxyRejected(Exception):
    """The request options are refused before anything is sent; carries the HTTP status to answer."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@dataclass(frozen=True)
class Outgoing:
    """The request as it will leave the proxy, after substitution and signing."""

    method: str
    url: str
    headers: dict[str, str]
    body: str | bytes | None
    timeout_s: float


def substitute(text: str, inst: Installation, where: str) -> str:
    """Replace every {{setting.NAME}} by the installation's value; unknown names are refused, and so
    is a secure setting outside its manifest `scopes` (where: url, header, body or jwt_secret_key)."""
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name not in inst.settings:
            raise ProxyRejected(400, "unknown_setting", f"setting '{name}' is not defined by the app")
        if name in inst.scopes and where not in inst.scopes[name]:
            raise ProxyRejected(400, "setting_out_of_scope",
                                f"secure setting '{name}' may not be used in the {where.replace('_', ' ')}")
        raw = inst.settings[name]
        return "" if raw is None else str(raw)
    return SETTING.sub(value, text)


def sign(options: Mapping[str, object], inst: Installation, now: float | None = None) -> str:
    """The token for {{jwt.token}}: HS256 with the substituted secret_key, claims + iat + exp."""
    spec = options.get("jwt")
    if not isinstance(spec, Mapping):
        raise ProxyRejected(400, "jwt_missing", "{{jwt.token}} is used but the request has no jwt option")
    if str(spec.get("algorithm", "HS256")) != "HS256":
        raise ProxyRejected(400, "jwt_algorithm", "only HS256 is supported by this proxy")
    secret = substitute(str(spec.get("secret_key") or ""), inst, "jwt_secret_key")
    if not secret:
        raise ProxyRejected(400, "jwt_secret", "the jwt secret_key is empty after substitution")
    claims = spec.get("claims") or {}
    if not isinstance(claims, Mapping):
        raise ProxyRejected(400, "jwt_claims", "jwt.claims must be an object")
    try:
        expiry = int(spec.get("expiry", 60))
    except (TypeError, ValueError):
        raise ProxyRejected(400, "jwt_expiry", "jwt.expiry must be a number of seconds") from None
    if not 0 < expiry <= MAX_EXPIRY_S:
        raise ProxyRejected(400, "jwt_expiry", f"jwt.expiry must be between 1 and {MAX_EXPIRY_S} seconds")
    issued = int(time.time() if now is None else now)
    payload = {**claims, "iat": issued, "exp": issued + expiry}
    return jwt.encode(payload, secret, algorithm="HS256")


def host_allowed(url: str, whitelist: tuple[str, ...]) -> bool:
    """True when the URL's host (or host:port) is listed; `*.example.com` covers subdomains."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    netloc = f"{host}:{parts.port}" if parts.port else host
    for entry in (e.strip().lower() for e in whitelist):
        entry = re.sub(r"^https?://", "", entry).rstrip("/")
        if entry in (host, netloc):
            return True
        if entry.startswith("*.") and host.endswith(entry[1:]):
            return True
    return False


def _text_fields(options: Mapping[str, object], inst: Installation,
                 token: str | None) -> tuple[str, dict, object]:
    def fill(text: str, where: str) -> str:
        text = substitute(text, inst, where)
        return JWT_TOKEN.sub(token, text) if token is not None else text
    url = fill(str(options.get("url") or ""), "url")
    raw_headers = options.get("headers") or {}
    if not isinstance(raw_headers, Mapping):
        raise ProxyRejected(400, "bad_headers", "headers must be an object")
    headers = {}
    for name, value in raw_headers.items():
        if "_" in str(name):
            raise ProxyRejected(400, "bad_header_name", f"header names must not contain underscores: {name}")
        headers[str(name)] = fill(str(value), "header")
    data = options.get("data")
    data = fill(data, "body") if isinstance(data, str) else data
    return url, headers, data


def prepare(options: Mapping[str, object], inst: Installation, *, max_timeout_s: float) -> Outgoing:
    """Check and transform the app's request options into the outgoing request."""
    if not isinstance(options.get("url"), str) or not options["url"]:
        raise ProxyRejected(400, "bad_url", "url is required")
    method = str(options.get("type") or "GET").upper()
    if method not in METHODS:
        raise ProxyRejected(400, "bad_method", f"unsupported method {method}")
    uses_token = any(JWT_TOKEN.search(s) for s in _strings(options))
    token = sign(options, inst) if uses_token else None
    url, headers, data = _text_fields(options, inst, token)
    if urlsplit(url).scheme not in ("http", "https"):
        raise ProxyRejected(400, "bad_url", "url must be an absolute http(s) URL")
    if not host_allowed(url, inst.whitelist):
        raise ProxyRejected(403, "domain_not_whitelisted",
                            f"host {urlsplit(url).hostname} is not in the app's domainWhitelist")
    content_type = str(options.get("contentType") or "application/x-www-form-urlencoded; charset=UTF-8")
    body: str | bytes | None = None
    if data is not None and method not in ("GET", "HEAD"):
        if isinstance(data, str):
            body = data
        elif "json" in content_type:
            body = json.dumps(data)
        elif isinstance(data, Mapping):
            body = urlencode({k: str(v) for k, v in data.items()})
        else:
            raise ProxyRejected(400, "bad_data", "data must be a string or an object")
        headers.setdefault("Content-Type", content_type)
    timeout_s = max_timeout_s
    if isinstance(options.get("timeout"), int | float) and options["timeout"] > 0:
        timeout_s = min(max_timeout_s, float(options["timeout"]) / 1000)
    return Outgoing(method=method, url=url, headers=headers, body=body, timeout_s=timeout_s)


def _strings(options: Mapping[str, object]) -> list[str]:
    headers = options.get("headers")
    values = [str(options.get("url") or "")]
    if isinstance(headers, Mapping):
        values += [str(v) for v in headers.values()]
    if isinstance(options.get("data"), str):
        values.append(options["data"])  # type: ignore[arg-type]
    return values
