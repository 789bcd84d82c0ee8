"""How the server composes its parts and maps paths to the systems faults apply to."""
from __future__ import annotations

import sys

import pytest

from sandbox.control import system_of
from sandbox.server import optional


@pytest.mark.parametrize(("path", "system"), [
    ("/internal/learners/v1/learners", "learners"),
    ("/internal/enrolments/v1/enrolments/E-1000011", "enrolments"),
    ("/internal/courses/v1/partners", "courses"),
    ("/internal/payments/v1/orders", "payments"),
    ("/api/v2/tickets/1001.json", "zendesk"),
    ("/internal/billing/v1/invoices", None),
    ("/internal/learners/v2/learners", None),
    ("/app/assets/main.js", None),
    ("/_sandbox/health", None),
    ("/", None),
])
def test_paths_map_to_the_five_systems(path, system):
    assert system_of(path) == system


def test_a_part_that_does_not_exist_yet_is_skipped():
    assert optional("sandbox.no_such_part") is None


def test_a_part_that_fails_to_import_for_another_reason_stops_the_server(tmp_path, monkeypatch):
    (tmp_path / "broken_part.py").write_text("import a_dependency_nobody_installed\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError) as caught:
        optional("broken_part")
    assert caught.value.name == "a_dependency_nobody_installed"
    sys.modules.pop("broken_part", None)


def test_existing_parts_are_imported():
    assert optional("sandbox.internal").__name__ == "sandbox.internal"
