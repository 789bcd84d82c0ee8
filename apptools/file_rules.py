"""Rules on the package's files: logos, forbidden types, symlinks and what .zcliignore leaves in."""
from __future__ import annotations

import os
from pathlib import Path

from apptools.file_types import refused_type
from apptools.png import png_size
from apptools.problems import WHOLE_FILE, Problem
from apptools.zcliignore import is_ignored, read_patterns, unsupported

LOGOS = {"assets/logo.png": (320, 320), "assets/logo-small.png": (128, 128)}
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
        elif (root / rel).is_file() and (why := refused_type(root, rel)):
            problems.append(Problem(rel, WHOLE_FILE, why))
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
