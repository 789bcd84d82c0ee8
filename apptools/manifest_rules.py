"""Rules on manifest.json: required fields, locations, frameworkVersion, domainWhitelist."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from apptools.parameter_rules import check_parameters
from apptools.problems import Problem
from apptools.translation_rules import LOCALE

M = "manifest.json"
FRAMEWORK_VERSIONS = ("2.0",)
LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
HOST = re.compile(rf"^(\*\.)?{LABEL}(\.{LABEL})*$", re.I)
# Zendesk's products and locations (not custom_object_record_sidebar: refused unless an option allows it)
LOCATIONS = {
    "support": {"ticket_sidebar", "new_ticket_sidebar", "user_sidebar", "organization_sidebar", "top_bar",
                "nav_bar", "system_top_bar", "background", "modal", "ticket_editor"},
    "chat": {"chat_sidebar", "background"},
    "standalone_chat": {"nav_bar", "system_top_bar"},
    "sell": {"deal_card", "person_card", "company_card", "lead_card", "top_bar", "background", "modal",
             "dashboard", "note_editor", "call_log_editor", "email_editor", "visit_editor"},
}


def check_manifest(manifest: dict, root: Path) -> list[Problem]:
    """Every problem of a parsed manifest; root is the app folder (for files it names)."""
    problems: list[Problem] = []
    for key in ("name", "author", "defaultLocale", "location", "frameworkVersion"):
        if manifest.get(key) in (None, "", {}):
            problems.append(Problem(M, key, "required field is missing"))
    for key in ("name", "version", "defaultLocale", "frameworkVersion"):
        if key in manifest and not isinstance(manifest[key], str):
            problems.append(Problem(M, key, "must be a string"))
    for key in ("private", "singleInstall", "signedUrls"):
        if key in manifest and not isinstance(manifest[key], bool):
            problems.append(Problem(M, key, "must be true or false"))
    problems += _author(manifest.get("author"))
    problems += _default_locale(manifest.get("defaultLocale"), root)
    framework = manifest.get("frameworkVersion")
    if isinstance(framework, str) and framework not in FRAMEWORK_VERSIONS:
        problems.append(Problem(M, "frameworkVersion", f"must be one of {', '.join(FRAMEWORK_VERSIONS)}"))
    problems += _locations(manifest.get("location"), root)
    params = manifest.get("parameters", [])
    problems += check_parameters(params)
    problems += _domain_whitelist(manifest.get("domainWhitelist"), params)
    return problems


def _author(author: object) -> list[Problem]:
    if author is None:
        return []
    if not isinstance(author, dict):
        return [Problem(M, "author", "must be an object with name and email")]
    problems = [Problem(M, f"author.{key}", "required field is missing")
                for key in ("name", "email") if not isinstance(author.get(key), str) or not author.get(key)]
    url = author.get("url")
    if url is not None and (not isinstance(url, str) or urlparse(url).scheme not in ("http", "https")):
        problems.append(Problem(M, "author.url", "must be an http(s) URL"))
    return problems


def _default_locale(locale: object, root: Path) -> list[Problem]:
    if not isinstance(locale, str) or not locale:
        return []
    if not LOCALE.match(locale):
        return [Problem(M, "defaultLocale", f"'{locale}' is not a locale like en or pt-br")]
    if not (root / "translations" / f"{locale}.json").is_file():
        return [Problem(M, "defaultLocale", f"translations/{locale}.json is missing")]
    return []


def _locations(location: object, root: Path) -> list[Problem]:
    if location in (None, "", {}):
        return []
    if not isinstance(location, dict):
        return [Problem(M, "location", "must be an object of products and locations")]
    problems: list[Problem] = []
    for product, places in location.items():
        if product not in LOCATIONS:
            problems.append(Problem(M, f"location.{product}", "unknown product"))
            continue
        if not isinstance(places, dict) or not places:
            problems.append(Problem(M, f"location.{product}", "must name at least one location"))
            continue
        for place, options in places.items():
            field = f"location.{product}.{place}"
            if place not in LOCATIONS[product]:
                problems.append(Problem(M, field, f"unknown location for {product}"))
                continue
            url = options.get("url") if isinstance(options, dict) else options
            flexible = options.get("flexible") if isinstance(options, dict) else None
            if flexible is not None and not isinstance(flexible, bool):
                problems.append(Problem(M, f"{field}.flexible", "must be true or false"))
            problems += _location_url(url, field, root)
    return problems


def _location_url(url: object, field: str, root: Path) -> list[Problem]:
    if not isinstance(url, str) or not url:
        return [Problem(M, f"{field}.url", "required field is missing")]
    parsed = urlparse(url)
    if parsed.scheme:
        if parsed.scheme == "https" or parsed.hostname == "localhost":
            return []
        return [Problem(M, f"{field}.url", "an absolute URL must be https (or localhost)")]
    if not parsed.path.startswith("assets/"):
        return [Problem(M, f"{field}.url", "a relative URL must start with assets/")]
    if ".." in parsed.path.split("/") or not (root / parsed.path).is_file():
        return [Problem(M, f"{field}.url", f"{parsed.path} is not in the package")]
    return []


def _domain_whitelist(whitelist: object, params: object) -> list[Problem]:
    if whitelist is not None and (not isinstance(whitelist, list)
                                  or not all(isinstance(d, str) for d in whitelist)):
        return [Problem(M, "domainWhitelist", "must be a list of host names")]
    problems = [Problem(M, "domainWhitelist", f"'{d}' is not a host name (no scheme, port or path)")
                for d in whitelist or [] if not HOST.match(d)]
    secure = isinstance(params, list) and any(isinstance(p, dict) and p.get("secure") is True for p in params)
    if secure and not whitelist:
        problems.append(Problem(M, "domainWhitelist",
                                "required when secure settings are used: list the backend's host"))
    return problems
