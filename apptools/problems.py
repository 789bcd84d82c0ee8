"""The one shape every validator rule reports: a problem tied to a file and a field."""
from __future__ import annotations

from dataclasses import dataclass

WHOLE_FILE = "-"


@dataclass(frozen=True, order=True)
class Problem:
    """One broken rule; printed as `file: field: message`."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"
