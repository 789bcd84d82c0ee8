"""Validate a ZAF v2 app folder offline: every rule, every problem, file and field named."""
from __future__ import annotations

import json
from pathlib import Path

from apptools.file_rules import check_files, walk
from apptools.manifest_rules import check_manifest
from apptools.problems import WHOLE_FILE, Problem
from apptools.translation_rules import check_translations


def validate(root: Path) -> list[Problem]:
    """All problems of the app folder at root, sorted; [] means it can be uploaded."""
    root = Path(root)
    paths = walk(root)
    problems = check_files(root, paths)
    manifest_path = root / "manifest.json"
    manifest: dict = {}
    if not manifest_path.is_file():
        problems.append(Problem("manifest.json", WHOLE_FILE, "required file is missing"))
    else:
        duplicates: list[str] = []
        try:
            text = manifest_path.read_text(encoding="utf-8")
            loaded = json.loads(text, object_pairs_hook=_keep(duplicates))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            problems.append(Problem("manifest.json", WHOLE_FILE, f"not valid JSON ({exc})"))
        else:
            # Zendesk refuses a manifest naming a key twice in any object (Python would keep the last)
            problems += [Problem("manifest.json", WHOLE_FILE, f'duplicate key "{key}"') for key in duplicates]
            if isinstance(loaded, dict):
                manifest = loaded
                problems += check_manifest(manifest, root)
            else:
                problems.append(Problem("manifest.json", WHOLE_FILE, "must be a JSON object"))
    problems += check_translations(root, manifest)
    return sorted(set(problems))


def _keep(duplicates: list[str]):
    """An object_pairs_hook building dicts and noting every key met twice in one object."""
    def hook(pairs: list[tuple[str, object]]) -> dict:
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                duplicates.append(key)
            seen.add(key)
        return dict(pairs)
    return hook
