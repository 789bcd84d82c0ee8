""".zcliignore read and matched as zcli does: path by path (minimatch), checked against the real zcli."""
from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from apptools.file_rules import walk
from apptools.package import ROOT
from apptools.zcliignore import is_ignored, matches, read_patterns

# (pattern, path, minimatch's answer with {dot: true}); a folder's path ends with '/'
MINIMATCH = [
    ("node_modules", "node_modules/", True),
    ("node_modules", "node_modules/left-pad/index.js", False),
    ("node_modules/**", "node_modules/", True),
    ("node_modules/**", "node_modules/left-pad/index.js", True),
    ("node_modules/**", "node_modules", False),
    ("node_modules/", "node_modules/x.js", False),
    ("*", "assets/", True),
    ("*", "assets/main.js", False),
    ("*", ".hidden", True),
    ("*.zip", "x.zip", True),
    ("*.zip", "tmp/x.zip", False),
    ("**/*.zip", "x.zip", True),
    ("**/*.zip", "a/b/x.zip", True),
    ("assets/*", "assets/a/b.js", False),
    ("a/*", "a/", False),
    ("a/**/b.js", "a/b.js", True),
    ("a/**/b.js", "a/x/y/b.js", True),
    ("assets/**/", "assets/a/", True),
    ("assets/**/", "assets/a/b.js", False),
    ("?.js", "a.js", True),
    ("?.js", "ab.js", False),
    ("a**b", "axxb", True),
    ("a**b", "ax/xb", False),
    ("a//b", "a/b", True),
    ("/a", "a", False),
    ("zcli.apps.config.json ", "zcli.apps.config.json", False),
]
NODE = shutil.which("node")
MINIMATCH_JS = ROOT / "node_modules" / "minimatch"
ZCLI_APPS = ROOT / "node_modules" / "@zendesk" / "zcli-apps" / "dist" / "lib" / "package.js"


@pytest.mark.parametrize(("pattern", "path", "expected"), MINIMATCH)
def test_each_path_is_matched_on_its_own_like_minimatch(pattern, path, expected):
    assert matches(pattern, path) is expected


@pytest.mark.skipif(NODE is None or not MINIMATCH_JS.is_dir(), reason="npm install not run")
def test_the_table_is_what_the_real_minimatch_answers():
    script = ("const {Minimatch} = require(process.argv[1]);"
              "console.log(JSON.stringify(JSON.parse(process.argv[2]).map("
              "([p, f]) => new Minimatch(p, {dot: true}).match(f))))")
    cases = json.dumps([[pattern, path] for pattern, path, _ in MINIMATCH])
    run = subprocess.run([NODE, "-e", script, str(MINIMATCH_JS), cases],
                         capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(run.stdout) == [expected for _, _, expected in MINIMATCH]


def test_zcli_reads_lines_untrimmed_without_comments_and_always_skips_tmp(tmp_path):
    (tmp_path / ".zcliignore").write_text("# local\r\n\r\nnode_modules/**\r\n  # indented comment\n"
                                          "docs \n", encoding="utf-8")
    assert read_patterns(tmp_path) == ["node_modules/**", "docs "]
    assert is_ignored("tmp/app-20260101.zip", [])
    assert not is_ignored("assets/tmp/x.js", [])


def _zcli_pack(app_dir: Path) -> list[str]:
    """The files the real zcli (createAppPkg, as `zcli apps:package` runs it) puts in its zip."""
    script = "require(process.argv[1]).createAppPkg(process.argv[2]).then(p => console.log(p))"
    run = subprocess.run([NODE, "-e", script, str(ZCLI_APPS), str(app_dir)], cwd=ROOT, capture_output=True,
                         text=True, timeout=60, check=True)
    with zipfile.ZipFile(run.stdout.strip()) as archive:
        return sorted(n for n in archive.namelist() if not n.endswith("/"))


@pytest.mark.skipif(NODE is None or not ZCLI_APPS.is_file(), reason="npm install not run")
def test_the_files_left_unignored_are_exactly_what_the_real_zcli_packs(app):
    extra = ["node_modules/left-pad/index.js", "README.md", "assets/README.md", "assets/main.js.map",
             "assets/views/parts.js.map", "docs/guide.txt", "tmp/old.zip", "zcli.apps.config.json"]
    for rel in extra:
        (app.root / rel).parent.mkdir(parents=True, exist_ok=True)
        (app.root / rel).write_text("x", encoding="utf-8")
    (app.root / ".zcliignore").write_text("# local only\nzcli.apps.config.json\nnode_modules\n*.md\n"
                                          "assets/**/*.map\ndocs/\n", encoding="utf-8")
    patterns = read_patterns(app.root)
    ours = sorted(rel for rel in walk(app.root) if (app.root / rel).is_file() and not rel.startswith(".")
                  and not is_ignored(rel, patterns))
    packed = _zcli_pack(app.root)
    assert packed == ours
    assert {"node_modules/left-pad/index.js", "assets/README.md", "docs/guide.txt"} <= set(packed)
    assert not {"README.md", "assets/main.js.map", "tmp/old.zip", "zcli.apps.config.json"} & set(packed)


def test_a_bare_folder_name_leaves_its_files_in_the_package(app):
    # zcli matches node_modules/left-pad/index.js on its own: `node_modules` does not cover it
    (app.root / "node_modules" / "left-pad").mkdir(parents=True)
    (app.root / "node_modules" / "left-pad" / "index.js").write_text("x", encoding="utf-8")
    (app.root / ".zcliignore").write_text("zcli.apps.config.json\nnode_modules\n", encoding="utf-8")
    assert app.problems() == [
        "node_modules: -: development files: zcli would pack it, list node_modules/** in .zcliignore"]
    (app.root / ".zcliignore").write_text("zcli.apps.config.json\nnode_modules/**\n", encoding="utf-8")
    assert app.problems() == []


def test_zcli_own_zips_in_tmp_are_not_part_of_the_app(app):
    (app.root / "tmp").mkdir()
    (app.root / "tmp" / "app-20260101000000000.zip").write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    assert app.problems() == []


def test_pattern_syntax_the_validator_cannot_follow_is_reported(app):
    (app.root / ".zcliignore").write_text("zcli.apps.config.json\nnode_modules/**\n{docs,notes}/**\n",
                                          encoding="utf-8")
    assert app.problems() == [
        ".zcliignore: -: '{docs,notes}/**': only names, *, ? and ** are understood here "
        "(no negation, braces or classes)"]
