"""The zip must whitelist a host Zendesk can reach: no loopback unless asked, no default in make package."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from apptools.__main__ import main
from apptools.package import ROOT


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.1.1", "localhost", "app.localhost", "0.0.0.0"])
def test_a_loopback_backend_host_is_refused(tmp_path, capsys, host):
    assert main(["package", "--backend-host", host, "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == (
        f"apptools: --backend-host {host} is this machine: Zendesk would refuse every lookup from the "
        "uploaded app (domain_not_whitelisted); give the backend's public host name, e.g. lc.example.com, "
        "or --allow-loopback for a local zcli apps:server build\n")
    assert not (tmp_path / "app").exists()


def test_allow_loopback_builds_for_this_machine(tmp_path):
    assert main(["package", "--backend-host", "127.0.0.1", "--allow-loopback", "--out", str(tmp_path)]) == 0
    manifest = json.loads((tmp_path / "app" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["domainWhitelist"] == ["127.0.0.1"]


def _make_dry_run(*args: str) -> subprocess.CompletedProcess:
    # -n: commands are printed, never run (no install, no build); BACKEND_HOST only as given here
    dropped = ("BACKEND_HOST", "MAKEFLAGS", "MAKELEVEL", "MFLAGS")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(["make", "-n", "-C", str(ROOT), *args], env=env, capture_output=True, text=True,
                          timeout=60, check=False)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_package_needs_backend_host_named_explicitly():
    run = _make_dry_run("package")
    assert run.returncode == 2
    assert ("make package needs BACKEND_HOST, the backend's public host name: "
            "make package BACKEND_HOST=lc.example.com") in run.stderr
    assert "apptools package --backend-host lc.example.com --out dist" in _make_dry_run(
        "package", "BACKEND_HOST=lc.example.com").stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_zcli_server_keeps_the_loopback_default():
    run = _make_dry_run("zcli-server")
    assert run.returncode == 0, run.stderr
    assert "apptools package --backend-host 127.0.0.1 --allow-loopback --out dist" in run.stdout
