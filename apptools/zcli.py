"""zcli development server: settings generated from the environment so `zcli apps:server` never prompts."""
from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from backend.config import token_defaults

ROOT = Path(__file__).resolve().parent.parent
CONFIG_NAME = "zcli.apps.config.json"
DEFAULT_BACKEND_URL = "http://127.0.0.1:8000"


def app_settings(manifest: dict, env: Mapping[str, str]) -> dict:
    """A value for every manifest parameter: env for the two that matter, manifest defaults for the rest."""
    known = {
        "backend_url": env.get("LC_APP_BACKEND_URL") or DEFAULT_BACKEND_URL,
        # The backend's first secret (LC_JWT_SECRETS or LC_JWT_SECRETS_FILE) signs; during a rotation
        # it is the new one (see docs/app.md).
        "shared_secret": token_defaults(env)["secret"],
    }
    settings = {}
    for param in manifest.get("parameters", []):
        name = param["name"]
        fallback = False if param.get("type") == "checkbox" else ""
        settings[name] = known.get(name, param.get("default", fallback))
    return settings


def write_config(app_dir: Path, env: Mapping[str, str]) -> Path:
    """Write app_dir/zcli.apps.config.json (owner-only: it holds the secret); returns its path."""
    manifest = json.loads((app_dir / "manifest.json").read_text(encoding="utf-8"))
    path = app_dir / CONFIG_NAME
    body = json.dumps({"parameters": app_settings(manifest, env)}, indent=2) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(body)
    os.chmod(path, 0o600)
    return path


def server_command(app_dir: Path, port: int, bind: str) -> list[str]:
    """The zcli command line serving app_dir (zcli from node_modules, no network needed)."""
    return [str(ROOT / "node_modules" / ".bin" / "zcli"), "apps:server", str(app_dir),
            "--port", str(port), "--bind", bind]


def serve(app_dir: Path, port: int, bind: str, env: Mapping[str, str] | None = None) -> int:
    """Generate the settings, then run zcli apps:server in the foreground until interrupted."""
    env = dict(os.environ if env is None else env)
    write_config(app_dir, env)
    try:
        return subprocess.run(server_command(app_dir, port, bind), check=False).returncode
    except KeyboardInterrupt:
        return 0
