"""The command line (exit codes 0/1/2) and the packager's output: dist/app and the zip."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from apptools.__main__ import main
from apptools.package import ROOT, package


def test_validate_exit_codes(app, capsys):
    assert main(["validate", str(app.root)]) == 0
    assert capsys.readouterr().out == f"{app.root}: valid\n"
    app.edit_manifest(name=None, frameworkVersion="3.0")
    assert main(["validate", str(app.root)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "manifest.json: frameworkVersion: must be one of 2.0",
        "manifest.json: name: required field is missing",
    ]
    assert main(["validate", str(app.root / "nope")]) == 2


def test_usage_errors_exit_2():
    run = subprocess.run([sys.executable, "-m", "apptools"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 2
    assert "usage:" in run.stderr


def test_package_builds_app_folder_and_zip(tmp_path, capsys):
    out = tmp_path / "dist"
    assert main(["package", "--backend-host", "lc.example.com", "--out", str(out)]) == 0
    manifest = json.loads((out / "app" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["domainWhitelist"] == ["lc.example.com"]
    version = manifest["version"]
    zip_path = out / f"learner-context-{version}.zip"
    assert capsys.readouterr().out.splitlines() == [str(out / "app"), str(zip_path)]
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        assert json.loads(archive.read("manifest.json"))["domainWhitelist"] == ["lc.example.com"]
    assert {"manifest.json", "assets/iframe.html", "assets/main.js", "assets/logo.png",
            "assets/logo-small.png", "translations/en.json", "translations/fr.json",
            "translations/zh-cn.json"} <= set(names)
    assert names == sorted(names)
    assert not any(n.startswith(("node_modules", "zendesk-app", "tests", ".")) for n in names)
    # zcli apps:package of dist/app must skip the settings make zcli-server writes there
    ignored = (out / "app" / ".zcliignore").read_text(encoding="utf-8").split()
    assert ignored == ["zcli.apps.config.json", "node_modules/**"]
    assert main(["validate", str(out / "app")]) == 0


def test_package_is_reproducible_and_never_ships_the_zcli_config(tmp_path):
    out = tmp_path / "dist"
    assert main(["package", "--backend-host", "lc.example.com", "--out", str(out)]) == 0
    [zip_path] = out.glob("*.zip")
    first = zip_path.read_bytes()
    config = out / "app" / "zcli.apps.config.json"
    config.write_text('{"parameters": {"shared_secret": "s"}}', encoding="utf-8")
    assert main(["package", "--backend-host", "lc.example.com", "--out", str(out)]) == 0
    assert zip_path.read_bytes() == first
    assert not (out / "app" / "zcli.apps.config.json").exists()


def test_bad_backend_host_is_a_usage_error(tmp_path, capsys):
    for host in ("https://lc.example.com", "lc.example.com:8000", "lc.example.com/api", "bad host"):
        assert main(["package", "--backend-host", host, "--out", str(tmp_path)]) == 2
        assert "--backend-host must be a host name" in capsys.readouterr().err
    assert not (tmp_path / "app").exists()


def test_invalid_sources_leave_dist_untouched(tmp_path, capsys):
    # A copy of the sources whose manifest gets a retired parameter type: listed, nothing published.
    source = source_copy(tmp_path)
    out = tmp_path / "dist"
    problems, zip_path = package("lc.example.com", out, source=source)
    assert problems == [] and zip_path is not None
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    manifest["parameters"].append({"name": "api_pass", "type": "password"})
    (source / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    problems, zip_path = package("lc.example.com", out, source=source)
    assert zip_path is None
    assert [str(p) for p in problems] == [
        "manifest.json: parameters.api_pass.type: 'password' is gone: use text with secure: true",
        "translations/en.json: app.parameters.api_pass.label: required key is missing",
    ]
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before


def source_copy(tmp_path: Path) -> Path:
    """A source layout like the repository's: its own manifest.json, the real assets and translations."""
    source = tmp_path / "src"
    (source / "zendesk-app").mkdir(parents=True)
    (source / "manifest.json").write_bytes((ROOT / "manifest.json").read_bytes())
    for part in ("assets", "translations"):
        os.symlink(ROOT / "zendesk-app" / part, source / "zendesk-app" / part)
    return source


def test_the_repository_sources_validate_with_no_folder_given():
    # `make test` runs this: a manifest broken in the repository fails CI, not the upload.
    run = subprocess.run([sys.executable, "-m", "apptools", "validate"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == f"{ROOT} (source layout): valid\n"


def test_a_source_layout_is_validated_with_its_own_hosts_and_problems(tmp_path, capsys):
    source = source_copy(tmp_path)
    assert main(["validate", str(source)]) == 0
    assert capsys.readouterr().out == f"{source} (source layout): valid\n"
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    manifest["domainWhitelist"] = ["https://lc.example.com/path"]
    manifest["frameworkVersion"] = "3.0"
    (source / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["validate", str(source)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "manifest.json: frameworkVersion: must be one of 2.0" in lines
    assert any(line.startswith("manifest.json: domainWhitelist") for line in lines)
    (source / "manifest.json").write_text("{not json", encoding="utf-8")
    assert main(["validate", str(source)]) == 1
    assert capsys.readouterr().out.startswith("manifest.json: -: not valid JSON")


def test_the_asset_folder_alone_is_not_an_app_and_the_error_says_what_to_run(capsys):
    assert main(["validate", str(ROOT / "zendesk-app")]) == 1
    captured = capsys.readouterr()
    assert "manifest.json: -: required file is missing" in captured.out
    assert "run `python -m apptools validate` (no folder)" in captured.err


def test_dev_manifest_is_valid_in_place():
    # The dev manifest (validated as a whole above) carries the development hosts.
    manifest = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["domainWhitelist"] == ["127.0.0.1", "localhost"]
    url = manifest["location"]["support"]["ticket_sidebar"]["url"]
    assert Path(ROOT / "zendesk-app" / url).is_file()
