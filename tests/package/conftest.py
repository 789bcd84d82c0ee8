"""A fresh, valid copy of the real app in tmp_path for every validator test to break one rule of."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from apptools.package import ROOT, assemble
from apptools.validate import validate


class App:
    """An app folder under test with small helpers to break it."""

    def __init__(self, root: Path):
        self.root = root

    @property
    def manifest(self) -> dict:
        return json.loads((self.root / "manifest.json").read_text(encoding="utf-8"))

    def write_manifest(self, manifest: dict) -> None:
        (self.root / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    def edit_manifest(self, **changes: object) -> None:
        manifest = self.manifest
        for key, value in changes.items():
            if value is None:
                manifest.pop(key, None)
            else:
                manifest[key] = value
        self.write_manifest(manifest)

    def set_parameters(self, *params: dict) -> None:
        self.edit_manifest(parameters=list(params))

    def problems(self) -> list[str]:
        return [str(p) for p in validate(self.root)]


@pytest.fixture
def app(tmp_path: Path) -> App:
    """The real app, assembled like the packager does, with 127.0.0.1 whitelisted."""
    assemble(ROOT, tmp_path / "app", "127.0.0.1")
    return App(tmp_path / "app")
