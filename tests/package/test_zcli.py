"""`make zcli-server`: generated settings (never a prompt) and a real zcli apps:server serving the package."""
from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import time

import pytest
import requests

from apptools.package import ROOT, package
from apptools.zcli import DEFAULT_BACKEND_URL, app_settings, server_command, write_config
from backend.config import DEV_SECRET

MANIFEST = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))


def test_settings_cover_every_parameter_with_development_defaults():
    assert app_settings(MANIFEST, {}) == {
        "backend_url": DEFAULT_BACKEND_URL, "shared_secret": DEV_SECRET, "show_payments": True,
        "mask_pii": False, "allow_insert_reply": True, "allow_add_tags": True, "admin_link_template": "",
    }


def test_settings_follow_the_backend_environment():
    env = {"LC_JWT_SECRETS": " new-secret-0123456789abcdef0123456789 , old-secret",
           "LC_APP_BACKEND_URL": "https://lc.test"}
    settings = app_settings(MANIFEST, env)
    assert settings["shared_secret"] == "new-secret-0123456789abcdef0123456789"
    assert settings["backend_url"] == "https://lc.test"


def test_settings_take_the_secret_from_the_backends_secrets_file(tmp_path):
    secrets = tmp_path / "jwt-secrets"
    secrets.write_text("from-the-file-0123456789abcdef0123456789\nolder-secret\n", encoding="utf-8")
    settings = app_settings(MANIFEST, {"LC_JWT_SECRETS_FILE": str(secrets)})
    assert settings["shared_secret"] == "from-the-file-0123456789abcdef0123456789"


def test_config_file_is_private_to_its_owner(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps(MANIFEST), encoding="utf-8")
    path = write_config(tmp_path, {})
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    written = json.loads(path.read_text(encoding="utf-8"))["parameters"]
    assert set(written) == {p["name"] for p in MANIFEST["parameters"]}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    response = requests.get(url, timeout=5)
    return response.status_code, response.content


@pytest.mark.skipif(not (ROOT / "node_modules" / ".bin" / "zcli").exists(), reason="npm install not run")
def test_zcli_apps_server_serves_the_package_offline_without_prompting(tmp_path):
    problems, _ = package("127.0.0.1", tmp_path / "dist", allow_loopback=True)
    assert problems == []
    app_dir = tmp_path / "dist" / "app"
    write_config(app_dir, {})
    port = _free_port()
    # stdin closed: a prompt for a missing setting would end zcli instead of hanging the test
    proc = subprocess.Popen(server_command(app_dir, port, "127.0.0.1"), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        body = None
        for _ in range(300):
            if proc.poll() is not None:
                pytest.fail(f"zcli exited: {proc.stdout.read().decode(errors='replace')}")
            try:
                _, body = _get(f"http://127.0.0.1:{port}/app.json")
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        assert body is not None, "zcli apps:server did not answer"
        app_json = json.loads(body)
        [app] = app_json["apps"]
        assert app["name"] == "Learner Context"
        assert app["framework_version"] == "2.0"
        sidebar = {"url": "assets/iframe.html", "flexible": True}
        assert app["locations"] == {"support": {"ticket_sidebar": sidebar}}
        [installation] = app_json["installations"]
        settings = {k: v for item in installation["settings"] for k, v in item.items()}
        assert settings["backend_url"] == DEFAULT_BACKEND_URL
        assert settings["shared_secret"] == DEV_SECRET
        status, html = _get(f"{app['asset_url_prefix'].replace('localhost', '127.0.0.1')}iframe.html")
        assert status == 200 and b'<script type="module" src="main.js">' in html
    finally:
        proc.terminate()
        proc.wait(timeout=10)
