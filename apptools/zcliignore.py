"""What zcli leaves out of its zip: `.zcliignore` read and matched as zcli does (minimatch, path by path).

zcli (`zcli-apps` createAppPkg) walks the app folder and tests every path on its own against each
pattern, with `tmp/**` always added (its own zips go to `<app>/tmp/`). A folder is tested as
`name/`, a file as `name`: `node_modules` therefore ignores only the folder entry, while
`node_modules/**` ignores everything under it. Nothing is inherited from a parent folder.
Supported here: literal names, `*`, `?` and `**` segments; other minimatch syntax is reported.
"""
from __future__ import annotations

import re
from pathlib import Path

ALWAYS = ("tmp/**",)
UNSUPPORTED = re.compile(r"^!|[\[\]{}()\\]")
GLOBSTAR = object()


def read_patterns(root: Path) -> list[str]:
    """The lines of root/.zcliignore zcli keeps: not blank, no `#` comment, untrimmed as zcli uses them."""
    path = root / ".zcliignore"
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
    return [line for line in text.split("\n") if line.strip() and not line.strip().startswith("#")]


def unsupported(patterns: list[str]) -> list[str]:
    """The patterns using minimatch syntax this module does not implement (negation, braces, classes)."""
    return [pattern for pattern in patterns if UNSUPPORTED.search(pattern)]


def is_ignored(rel: str, patterns: list[str], is_dir: bool = False) -> bool:
    """True when zcli skips the path rel (relative, '/'-separated): `tmp/**` or one .zcliignore pattern."""
    path = rel + ("/" if is_dir else "")
    return any(matches(pattern, path) for pattern in (*ALWAYS, *patterns) if not UNSUPPORTED.search(pattern))


def matches(pattern: str, path: str) -> bool:
    """minimatch(path, pattern, {dot: true}) for a supported pattern; a folder's path ends with '/'."""
    return _match(re.split(r"/+", path), _compile(pattern))


def _compile(pattern: str) -> list[object]:
    segments: list[object] = []
    for part in re.split(r"/+", pattern):
        if part == "**":
            segments.append(GLOBSTAR)
        elif "*" in part or "?" in part:
            body = "".join("[^/]*?" if c == "*" else "[^/]" if c == "?" else re.escape(c) for c in part)
            segments.append(re.compile(f"(?=.){body}"))  # a wildcard segment never matches an empty one
        else:
            segments.append(part)
    return segments


def _segment(segment: object, name: str) -> bool:
    if isinstance(segment, str):
        return segment == name
    return name not in (".", "..") and segment.fullmatch(name) is not None


def _match(parts: list[str], pattern: list[object]) -> bool:
    """minimatch's matchOne with dot: true, for the supported segments."""
    for index, segment in enumerate(pattern):
        if segment is GLOBSTAR:
            rest = pattern[index + 1:]
            if not rest:
                return bool(parts) and all(p not in (".", "..") for p in parts)
            return any(_match(parts[start:], rest) for start in range(len(parts)))
        if not parts or not _segment(segment, parts[0]):
            return False
        parts = parts[1:]
    # out of pattern: only a folder's trailing empty segment may be left
    return not parts or parts == [""]
