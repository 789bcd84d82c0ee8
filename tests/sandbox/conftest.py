"""A client for the sandbox's internal APIs, authenticated with the service token."""

from __future__ import annotations

import os

import pytest
import requests

from tests.servers import Sandbox

TOKEN = os.environ.get("LC_INTERNAL_API_TOKEN") or "sandbox-internal-token"


class Internal:
    """GETs against /internal/<system>/v1 of a running sandbox."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {TOKEN}"

    def get(self, system: str, path: str, timeout: float = 10, **params) -> requests.Response:
        return self.session.get(self.sandbox.system_url(system) + path, params=params, timeout=timeout)

    def ok(self, system: str, path: str, **params) -> dict:
        """The JSON of a call that must answer 200."""
        resp = self.get(system, path, **params)
        assert resp.status_code == 200, resp.text
        return resp.json()

    def walk(self, system: str, path: str, **params) -> list[dict]:
        """Every item of a paginated list, following next_cursor."""
        items, cursor = [], None
        while True:
            page = self.ok(system, path, **params, **({"cursor": cursor} if cursor else {}))
            items += page["data"]
            cursor = page["next_cursor"]
            if cursor is None:
                return items


@pytest.fixture
def internal(sandbox: Sandbox) -> Internal:
    return Internal(sandbox)
