"""Rules on manifest parameters: names, types, secure settings and their scopes."""
from __future__ import annotations

import re
from collections import Counter

from apptools.problems import Problem

M = "manifest.json"
TYPES = ("text", "checkbox", "url", "number", "multiline", "hidden", "oauth")
# Zendesk's list: where the proxy may put a secure setting
SCOPES = ("jwt_secret_key", "header", "body", "url", "jwt_claim",
          "basic_auth_username", "basic_auth_password")
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SECRET_WORDS = re.compile(r"token|key|secret|pwd|password", re.I)


def check_parameters(params: object) -> list[Problem]:
    """Every problem of the manifest's `parameters` list."""
    if params is None:
        return []
    if not isinstance(params, list):
        return [Problem(M, "parameters", "must be a list")]
    problems: list[Problem] = []
    names = [p.get("name") for p in params if isinstance(p, dict)]
    for name, count in Counter(n for n in names if isinstance(n, str)).items():
        if count > 1:
            problems.append(Problem(M, f"parameters.{name}", f"duplicate parameter name ({count} times)"))
    if sum(1 for p in params if isinstance(p, dict) and p.get("type") == "oauth") > 1:
        problems.append(Problem(M, "parameters", "at most one oauth parameter"))
    for index, param in enumerate(params):
        problems += _parameter(param, index)
    return problems


def _parameter(param: object, index: int) -> list[Problem]:
    if not isinstance(param, dict):
        return [Problem(M, f"parameters[{index}]", "must be an object")]
    name = param.get("name")
    if not isinstance(name, str) or not name:
        return [Problem(M, f"parameters[{index}].name", "required field is missing")]
    field = f"parameters.{name}"
    problems: list[Problem] = []
    if name == "name":
        problems.append(Problem(M, field, "'name' is reserved and cannot be a parameter name"))
    elif not NAME.match(name):
        problems.append(Problem(M, field, "name must be letters, digits and underscores"))
    kind = param.get("type", "text")
    if kind == "password":
        problems.append(Problem(M, f"{field}.type", "'password' is gone: use text with secure: true"))
    elif kind not in TYPES:
        problems.append(Problem(M, f"{field}.type", f"'{kind}' is not one of {', '.join(TYPES)}"))
    for flag in ("required", "secure"):
        if flag in param and not isinstance(param[flag], bool):
            problems.append(Problem(M, f"{field}.{flag}", "must be true or false"))
    secure = param.get("secure") is True
    if kind == "hidden" and param.get("required") is True:
        problems.append(Problem(M, field, "a hidden parameter cannot be required"))
    if kind == "oauth" and secure:
        problems.append(Problem(M, field, "an oauth parameter cannot be secure"))
    if (secure or kind == "hidden") and "default" in param:
        problems.append(Problem(M, f"{field}.default", "secure and hidden parameters cannot have a default"))
    if not secure and kind in ("text", "multiline") and SECRET_WORDS.search(name):
        problems.append(Problem(M, f"{field}.secure", "looks like a secret: set secure: true"))
    problems += _scopes(param, field, secure)
    return problems


def _scopes(param: dict, field: str, secure: bool) -> list[Problem]:
    scopes = param.get("scopes")
    if scopes is None:
        needed = Problem(M, f"{field}.scopes", 'a secure parameter needs scopes, e.g. ["jwt_secret_key"]')
        return [needed] if secure else []
    if not secure:
        return [Problem(M, f"{field}.scopes", "only secure parameters take scopes")]
    if not isinstance(scopes, list) or not scopes or not all(isinstance(s, str) for s in scopes):
        return [Problem(M, f"{field}.scopes", "must be a non-empty list of strings")]
    return [Problem(M, f"{field}.scopes", f"unknown scope '{s}' (known: {', '.join(SCOPES)})")
            for s in scopes if s not in SCOPES]
