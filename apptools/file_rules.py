"""Rules on the package's files: logos, translations, forbidden types and symlinks."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from apptools.png import png_size
from apptools.problems import WHOLE_FILE, Problem
from apptools.zcliignore import is_ignored, read_patterns, unsupported

LOGOS = {"assets/logo.png": (320, 320), "assets/logo-small.png": (128, 128)}
FORBIDDEN_SUFFIXES = (".sh", ".zip", ".gz", ".pdf", ".jar")
TRANSLATION = re.compile(r"^[a-z]{2}(-[a-z0-9]{2,3})?\.json$")
PUBLIC_KEYS = ("short_description", "long_description", "installation_instructions")
# zcli packs the whole folder except what .zcliignore lists: these must never ride along.
# name: (why, the .zcliignore line that really leaves it and everything under it out)
MUST_IGNORE = {
    "zcli.apps.config.json": ("holds local settings and secrets", "zcli.apps.config.json"),
    "node_modules": ("development files", "node_modules/**"),
}


def walk(root: Path) -> list[str]:
    """Every path under root, relative with '/' separators, symlinks included but not followed."""
    found: list[str] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        base = Path(folder).relative_to(root)
        for name in sorted(dirs) + sorted(files):
            found.append((base / name).as_posix())
    return sorted(found)


def check_files(root: Path, paths: list[str]) -> list[Problem]:
    """Forbidden file types and symlinks anywhere zcli would pack; local files left unignored; logos."""
    patterns = read_patterns(root)
    problems = [Problem(".zcliignore", WHOLE_FILE, f"'{pattern}': only names, *, ? and ** are understood "
                        "here (no negation, braces or classes)") for pattern in unsupported(patterns)]
    paths = [rel for rel in paths if not is_ignored(rel, patterns, _is_dir(root / rel))]
    for name, (why, pattern) in MUST_IGNORE.items():
        if any(rel == name or rel.startswith(f"{name}/") for rel in paths):
            message = f"{why}: zcli would pack it, list {pattern} in .zcliignore"
            problems.append(Problem(name, WHOLE_FILE, message))
    for rel in paths:
        if (root / rel).is_symlink():
            problems.append(Problem(rel, WHOLE_FILE, "symlinks are not allowed in the package"))
        elif rel.lower().endswith(FORBIDDEN_SUFFIXES):
            problems.append(Problem(rel, WHOLE_FILE, "this file type is not allowed in the package"))
    for rel, (width, height) in LOGOS.items():
        path = root / rel
        if not path.is_file() or path.is_symlink():
            if not path.is_symlink():
                problems.append(Problem(rel, WHOLE_FILE, "required file is missing"))
            continue
        size = png_size(path)
        if size is None:
            problems.append(Problem(rel, WHOLE_FILE, "is not a PNG image"))
        elif size != (width, height):
            problems.append(Problem(rel, WHOLE_FILE, f"is {size[0]}x{size[1]}, must be {width}x{height}"))
    return problems


def _is_dir(path: Path) -> bool:
    """A real folder (zcli tests a folder as `name/`; a link to one is tested as a file)."""
    return path.is_dir() and not path.is_symlink()


def check_translations(root: Path, manifest: dict) -> list[Problem]:
    """translations/*.json are JSON objects named by locale; en.json names the app and every parameter."""
    problems: list[Problem] = []
    folder = root / "translations"
    loaded: dict[str, object] = {}
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        rel = f"translations/{path.name}"
        if not path.is_file() or path.is_symlink():
            continue
        if not TRANSLATION.match(path.name):
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
    if not (folder / "en.json").is_file():
        return [*problems, Problem("translations/en.json", WHOLE_FILE, "required file is missing")]
    app = loaded.get("en.json", {}).get("app") if "en.json" in loaded else None
    if isinstance(app, dict):
        problems += _english_keys(app, manifest)
    return problems


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
