"""Validator rules on files: translations, logos, forbidden types, symlinks; exact problem lines."""
from __future__ import annotations

import json
import os
import struct
import zlib

import pytest

from apptools.package import ROOT


def _png(path, width, height):
    """A real (tiny, grey) PNG of the given size."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    body = chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)


def _en(app):
    return json.loads((app.root / "translations" / "en.json").read_text(encoding="utf-8"))


def _write_en(app, data):
    (app.root / "translations" / "en.json").write_text(json.dumps(data), encoding="utf-8")


def test_english_translations_are_required(app):
    (app.root / "translations" / "en.json").unlink()
    assert app.problems() == [
        "manifest.json: defaultLocale: translations/en.json is missing",
        "translations/en.json: -: required file is missing",
    ]


def test_app_name_is_required(app):
    data = _en(app)
    del data["app"]["name"]
    _write_en(app, data)
    assert app.problems() == ["translations/en.json: app.name: required key is missing"]


def test_every_parameter_needs_a_label(app):
    data = _en(app)
    del data["app"]["parameters"]["mask_pii"]["label"]
    _write_en(app, data)
    assert app.problems() == ["translations/en.json: app.parameters.mask_pii.label: required key is missing"]


def test_every_translation_file_labels_the_parameters_it_lists(app):
    path = app.root / "translations" / "fr.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["app"]["parameters"]["mask_pii"]["label"]
    path.write_text(json.dumps(data), encoding="utf-8")
    assert app.problems() == ["translations/fr.json: app.parameters.mask_pii.label: required key is missing"]


def test_public_apps_need_descriptions_and_instructions(app):
    data = _en(app)
    for key in ("short_description", "description", "installation_instructions"):
        del data["app"][key]
    _write_en(app, data)
    app.edit_manifest(private=False)
    assert app.problems() == [
        "translations/en.json: app.installation_instructions: required key is missing for a public app",
        "translations/en.json: app.short_description: required key is missing for a public app",
    ]


def test_translation_must_be_json_object_with_app(app):
    (app.root / "translations" / "fr.json").write_text("{oops", encoding="utf-8")
    (app.root / "translations" / "de.json").write_text("[]", encoding="utf-8")
    assert app.problems() == [
        "translations/de.json: app: must be a JSON object with an 'app' object",
        "translations/fr.json: -: not valid JSON (JSONDecodeError)",
    ]


def test_translation_files_are_named_by_locale(app):
    (app.root / "translations" / "French.json").write_text('{"app": {}}', encoding="utf-8")
    assert app.problems() == [
        "translations/French.json: -: name must be a locale, e.g. en.json or zh-cn.json"]


@pytest.mark.parametrize("name", ["fil.json", "pt-BR.json"])
def test_translation_files_take_the_locale_names_zendesk_takes(app, name):
    (app.root / "translations" / name).write_text('{"app": {}}', encoding="utf-8")
    assert app.problems() == []


@pytest.mark.parametrize(("name", "size"), [("logo.png", 320), ("logo-small.png", 128)])
def test_logos_are_required(app, name, size):
    (app.root / "assets" / name).unlink()
    assert app.problems() == [f"assets/{name}: -: required file is missing"]


def test_logo_dimensions_come_from_the_png_header(app):
    _png(app.root / "assets" / "logo.png", 300, 320)
    _png(app.root / "assets" / "logo-small.png", 128, 128)
    assert app.problems() == ["assets/logo.png: -: is 300x320, must be 320x320"]


def test_logo_must_be_a_png(app):
    (app.root / "assets" / "logo-small.png").write_bytes(b"GIF89a" + b"\x00" * 40)
    assert app.problems() == ["assets/logo-small.png: -: is not a PNG image"]


@pytest.mark.parametrize("suffix", [".sh", ".zip", ".gz", ".pdf", ".jar", ".rar", ".gzip", ".doc", ".docx",
                                    ".avi", ".bin", ".bz", ".bz2", ".csh", ".mp3", ".mpeg", ".odt", ".pptx",
                                    ".ppt", ".xls", ".xlsx", ".7z"])
def test_forbidden_file_types(app, suffix):
    (app.root / "assets" / f"extra{suffix}").write_bytes(b"x")
    assert app.problems() == [f"assets/extra{suffix}: -: this file type is not allowed in the package"]


CONTENTS = [(b"\x1f\x8b\x08\x00", "gzip data"), (b"PK\x03\x04", "a zip archive"), (b"%PDF-1.7", "a PDF"),
            (b"ID3\x04", "MPEG audio"), (b"\x00\x00\x01\xba", "MPEG video")]


@pytest.mark.parametrize(("head", "kind"), CONTENTS)
def test_forbidden_content_under_any_name(app, head, kind):
    # Zendesk sniffs the content too: a gzipped bundle named .js is refused like a .gz
    (app.root / "assets" / "vendor.js").write_bytes(head + b"\x00" * 32)
    assert app.problems() == [
        f"assets/vendor.js: -: content is {kind}: this file type is not allowed in the package"]


def test_symlinks_are_refused(app):
    os.symlink("/etc/hostname", app.root / "assets" / "link.txt")
    assert app.problems() == ["assets/link.txt: -: symlinks are not allowed in the package"]


def test_symlinked_folder_is_refused_not_followed(app, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "run.sh").write_text("echo", encoding="utf-8")
    os.symlink(outside, app.root / "assets" / "vendor")
    assert app.problems() == ["assets/vendor: -: symlinks are not allowed in the package"]


def test_zcli_settings_must_be_ignored_or_zcli_would_pack_the_secret(app):
    (app.root / ".zcliignore").unlink()
    (app.root / "zcli.apps.config.json").write_text('{"parameters": {}}', encoding="utf-8")
    assert app.problems() == [
        "zcli.apps.config.json: -: holds local settings and secrets: zcli would pack it, "
        "list zcli.apps.config.json in .zcliignore"]
    (app.root / ".zcliignore").write_text("# local only\nzcli.apps.config.json\n", encoding="utf-8")
    assert app.problems() == []


def test_node_modules_must_be_ignored_and_its_files_count_until_it_is(app):
    (app.root / ".zcliignore").unlink()
    (app.root / "node_modules" / "pkg").mkdir(parents=True)
    (app.root / "node_modules" / "pkg" / "install.sh").write_text("echo", encoding="utf-8")
    assert app.problems() == [
        "node_modules: -: development files: zcli would pack it, list node_modules/** in .zcliignore",
        "node_modules/pkg/install.sh: -: this file type is not allowed in the package",
    ]
    (app.root / ".zcliignore").write_text("node_modules/**\n", encoding="utf-8")
    assert app.problems() == []


@pytest.mark.parametrize("locale", ["en", "fr", "zh-cn"])
def test_the_installation_instructions_name_both_settings_the_backend_needs(locale):
    """A backend without this account among LC_JWT_ISSUERS refuses every request: the admin is told."""
    path = ROOT / "zendesk-app" / "translations" / f"{locale}.json"
    text = json.loads(path.read_text(encoding="utf-8"))["app"]["installation_instructions"]
    assert "LC_JWT_SECRETS" in text and "LC_JWT_ISSUERS" in text
    assert ".zendesk.com" in text and "<" not in text  # no angle brackets for Zendesk to take as HTML
