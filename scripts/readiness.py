"""Wait for a started server's health URL: shared by `make run` and the test and bench harnesses."""
from __future__ import annotations

import subprocess
import time

import requests


def wait_until_up(url: str, procs: list[subprocess.Popen], timeout: float, poll_s: float = 0.1) -> None:
    """Poll url until it answers 200; RuntimeError if one of procs exits first or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        exited = [p for p in procs if p.poll() is not None]
        if exited:
            raise RuntimeError(f"a server exited with {exited[0].returncode} before {url} answered")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(poll_s)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")
