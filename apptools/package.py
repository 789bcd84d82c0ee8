"""Assemble dist/app (manifest with the backend host whitelisted, assets, translations) and its zip."""
from __future__ import annotations

import ipaddress
import json
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from apptools.file_rules import MUST_IGNORE
from apptools.manifest_rules import HOST
from apptools.problems import Problem
from apptools.validate import validate

ROOT = Path(__file__).resolve().parent.parent
ZIP_TIME = (2026, 1, 1, 0, 0, 0)  # fixed so the same sources give the same zip bytes
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"


class UsageError(ValueError):
    """The packager was called with arguments it cannot use."""


def check_host(host: str, allow_loopback: bool = False) -> str:
    """The backend host for domainWhitelist: a bare host name or IP, no scheme, port or path.

    A loopback host is refused unless allowed: a zip whitelisting only this machine would make Zendesk's
    proxy refuse every lookup (domain_not_whitelisted) once an admin uploads it.
    """
    host = host.strip()
    if "://" in host or "/" in host or ":" in host or not HOST.match(host):
        raise UsageError(f"--backend-host must be a host name such as lc.example.com, not {host!r}")
    host = host.lower()
    if is_loopback(host) and not allow_loopback:
        raise UsageError(f"--backend-host {host} is this machine: Zendesk would refuse every lookup from the "
                         "uploaded app (domain_not_whitelisted); give the backend's public host name, e.g. "
                         "lc.example.com, or --allow-loopback for a local zcli apps:server build")
    return host


def is_loopback(host: str) -> bool:
    """localhost, *.localhost, 127.0.0.0/8 or 0.0.0.0: reachable from this machine only."""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def assemble(source: Path, target: Path, host: str | None) -> None:
    """Copy the manifest (whitelisting host), assets and translations from the source layout into target.

    With host None the manifest is copied byte for byte (its own domainWhitelist, its own syntax errors) and
    missing parts are left missing, so the validator reports the sources as they are.
    """
    target.mkdir(parents=True)
    if host is None:
        if (source / "manifest.json").is_file():
            shutil.copyfile(source / "manifest.json", target / "manifest.json")
    else:
        manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
        manifest["domainWhitelist"] = [host]
        text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
        (target / "manifest.json").write_text(text, encoding="utf-8")
    for part in ("assets", "translations"):
        if host is None and not (source / "zendesk-app" / part).is_dir():
            continue
        # symlinks=True keeps a link a link, so the validator sees (and refuses) it
        shutil.copytree(source / "zendesk-app" / part, target / part, symlinks=True)
    # make zcli-server writes its settings (with the secret) here: zcli apps:package must skip them
    lines = "".join(f"{pattern}\n" for _, pattern in MUST_IGNORE.values())
    (target / ".zcliignore").write_text(lines, encoding="utf-8")


def is_source_layout(folder: Path) -> bool:
    """True for a folder laid out like this repository: manifest.json beside zendesk-app/, no assets/."""
    return ((folder / "manifest.json").is_file() and (folder / "zendesk-app").is_dir()
            and not (folder / "assets").exists())


def validate_source(source: Path = ROOT) -> list[Problem]:
    """Problems of the source layout, assembled exactly as package does but keeping the manifest's hosts."""
    with tempfile.TemporaryDirectory(prefix="apptools-validate-") as tmp:
        staged = Path(tmp) / "app"
        assemble(source, staged, None)
        return validate(staged)


def minify(assets: Path) -> None:
    """Minify every .js and .css in place, file by file (ES modules stay separate: no bundle)."""
    if not ESBUILD.exists():
        raise UsageError(f"{ESBUILD.relative_to(ROOT)} is missing: run `make setup` (npm install) first")
    files = sorted(p.relative_to(assets).as_posix() for p in assets.rglob("*")
                   if p.suffix in (".js", ".css") and p.is_file() and not p.is_symlink())
    if not files:
        return
    command = [str(ESBUILD), *files, "--minify", "--charset=utf8", "--outdir=.", "--outbase=.",
               "--allow-overwrite", "--log-level=error"]
    result = subprocess.run(command, cwd=assets, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        raise UsageError(f"esbuild could not minify the assets:\n{result.stderr.strip()}")


def write_zip(app_dir: Path, zip_path: Path) -> int:
    """Zip app_dir's files at the archive root, sorted, fixed timestamps; returns the file count."""
    local = ("zcli.apps.config.json", ".zcliignore")
    files = [p for p in app_dir.rglob("*") if p.is_file() and p.name not in local]
    files.sort(key=lambda p: p.relative_to(app_dir).as_posix())
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(app_dir).as_posix(), date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return len(files)


def package(host: str, out: Path, source: Path = ROOT,
            allow_loopback: bool = False) -> tuple[list[Problem], Path | None]:
    """Validate then publish out/app and out/learner-context-<version>.zip; problems mean nothing changed."""
    host = check_host(host, allow_loopback)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".staging-") as tmp:
        staged = Path(tmp) / "app"
        assemble(source, staged, host)
        problems = validate(staged)
        if not problems:
            minify(staged / "assets")
        if problems:
            return problems, None
        version = json.loads((staged / "manifest.json").read_text(encoding="utf-8")).get("version") or "0.0.0"
        zip_path = out / f"learner-context-{version}.zip"
        write_zip(staged, Path(tmp) / "app.zip")
        final = out / "app"
        if final.exists():
            shutil.rmtree(final)
        staged.rename(final)
        (Path(tmp) / "app.zip").replace(zip_path)
    return [], zip_path
