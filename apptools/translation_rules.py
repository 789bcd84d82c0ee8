"""Rules on translations/*.json: locale names, JSON objects with `app`, the keys Zendesk requires."""
from __future__ import annotations

import json
import re
from pathlib import Path

from apptools.problems import WHOLE_FILE, Problem

# Zendesk's pattern: 2-3 lowercase letters, then optionally '-' and 2-3 word characters (fil, pt-BR, es-419)
LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9_]{2,3})?\Z")
PUBLIC_KEYS = ("short_description", "long_description", "installation_instructions")


def check_translations(root: Path, manifest: dict) -> list[Problem]:
    """translations/*.json are JSON objects named by locale, their parameters labelled; en.json names all."""
    problems: list[Problem] = []
    folder = root / "translations"
    loaded: dict[str, object] = {}
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        rel = f"translations/{path.name}"
        if not path.is_file() or path.is_symlink():
            continue
        if path.suffix != ".json" or not LOCALE.match(path.stem):
            problems.append(Problem(rel, WHOLE_FILE, "name must be a locale, e.g. en.json or zh-cn.json"))
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(Problem(rel, WHOLE_FILE, f"not valid JSON ({exc.__class__.__name__})"))
            continue
        if not isinstance(data, dict) or not isinstance(data.get("app"), dict):
            problems.append(Problem(rel, "app", "must be a JSON object with an 'app' object"))
            continue
        loaded[path.name] = data
        problems += _labels(rel, data["app"])
    if not (folder / "en.json").is_file():
        return [*problems, Problem("translations/en.json", WHOLE_FILE, "required file is missing")]
    app = loaded.get("en.json", {}).get("app") if "en.json" in loaded else None
    if isinstance(app, dict):
        problems += _english_keys(app, manifest)
    return problems


def _labels(rel: str, app: dict) -> list[Problem]:
    """Every parameter a translation file lists carries a label: Zendesk checks each file, not only en."""
    entries = app.get("parameters")
    if not isinstance(entries, dict):
        return []
    return [Problem(rel, f"app.parameters.{name}.label", "required key is missing")
            for name, entry in entries.items() if not isinstance(entry, dict) or "label" not in entry]


def _english_keys(app: dict, manifest: dict) -> list[Problem]:
    rel = "translations/en.json"
    problems: list[Problem] = []
    if not _text(app.get("name")):
        problems.append(Problem(rel, "app.name", "required key is missing"))
    if manifest.get("private") is False:
        has_short = _text(app.get("short_description")) or _text(app.get("description"))
        for key in PUBLIC_KEYS:
            if not (has_short if key == "short_description" else _text(app.get(key))):
                problems.append(Problem(rel, f"app.{key}", "required key is missing for a public app"))
    labels = app.get("parameters") if isinstance(app.get("parameters"), dict) else {}
    params = manifest.get("parameters") if isinstance(manifest.get("parameters"), list) else []
    for param in params:
        name = param.get("name") if isinstance(param, dict) else None
        if isinstance(name, str) and param.get("type") != "hidden":
            entry = labels.get(name)
            if not isinstance(entry, dict) or not _text(entry.get("label")):
                problems.append(Problem(rel, f"app.parameters.{name}.label", "required key is missing"))
    return problems


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())
