"""Validator rules on manifest.json, one broken rule per test, exact problem lines."""
from __future__ import annotations

import pytest


def test_the_real_app_is_valid(app):
    assert app.problems() == []


def test_missing_manifest(app):
    (app.root / "manifest.json").unlink()
    assert "manifest.json: -: required file is missing" in app.problems()


def test_manifest_not_json(app):
    (app.root / "manifest.json").write_text("{name: 'x'", encoding="utf-8")
    [problem] = [p for p in app.problems() if p.startswith("manifest.json")]
    assert problem.startswith("manifest.json: -: not valid JSON (")


def test_manifest_not_an_object(app):
    (app.root / "manifest.json").write_text("[]", encoding="utf-8")
    assert "manifest.json: -: must be a JSON object" in app.problems()


@pytest.mark.parametrize("field", ["name", "author", "defaultLocale", "location", "frameworkVersion"])
def test_required_fields(app, field):
    app.edit_manifest(**{field: None})
    assert f"manifest.json: {field}: required field is missing" in app.problems()


def test_author_needs_name_and_email(app):
    app.edit_manifest(author={"name": "LC"})
    assert app.problems() == ["manifest.json: author.email: required field is missing"]


def test_author_url_must_be_http(app):
    app.edit_manifest(author={"name": "LC", "email": "a@b.c", "url": "ftp://x"})
    assert app.problems() == ["manifest.json: author.url: must be an http(s) URL"]


def test_framework_version_must_be_served(app):
    app.edit_manifest(frameworkVersion="1.0")
    assert app.problems() == ["manifest.json: frameworkVersion: must be one of 2.0"]


def test_private_must_be_boolean(app):
    app.edit_manifest(private="yes")
    assert app.problems() == ["manifest.json: private: must be true or false"]


def test_default_locale_needs_its_translation_file(app):
    app.edit_manifest(defaultLocale="de")
    assert app.problems() == ["manifest.json: defaultLocale: translations/de.json is missing"]


def test_default_locale_must_look_like_a_locale(app):
    app.edit_manifest(defaultLocale="English")
    assert app.problems() == ["manifest.json: defaultLocale: 'English' is not a locale like en or pt-br"]


def test_default_locale_may_have_three_letters(app):
    (app.root / "translations" / "fil.json").write_text('{"app": {"name": "LC"}}', encoding="utf-8")
    app.edit_manifest(defaultLocale="fil")
    assert app.problems() == []


def _location(app, url, **extra):
    app.edit_manifest(location={"support": {"ticket_sidebar": {"url": url, **extra}}})
    return app.problems()


def test_relative_location_must_start_with_assets(app):
    assert _location(app, "iframe.html") == [
        "manifest.json: location.support.ticket_sidebar.url: a relative URL must start with assets/"]


def test_relative_location_must_exist(app):
    assert _location(app, "assets/missing.html") == [
        "manifest.json: location.support.ticket_sidebar.url: assets/missing.html is not in the package"]


def test_relative_location_cannot_climb_out(app):
    assert _location(app, "assets/../manifest.json") == [
        "manifest.json: location.support.ticket_sidebar.url: assets/../manifest.json is not in the package"]


def test_absolute_location_must_be_https_or_localhost(app):
    assert _location(app, "http://apps.example.com/x") == [
        "manifest.json: location.support.ticket_sidebar.url: an absolute URL must be https (or localhost)"]
    assert _location(app, "https://apps.example.com/x") == []
    assert _location(app, "http://localhost:4567/x") == []


def test_location_flexible_must_be_boolean(app):
    assert _location(app, "assets/iframe.html", flexible="yes") == [
        "manifest.json: location.support.ticket_sidebar.flexible: must be true or false"]


def test_unknown_location_and_product(app):
    app.edit_manifest(location={"support": {"ticket_footer": "assets/iframe.html"},
                                "crm": {"x": "assets/iframe.html"}})
    assert app.problems() == [
        "manifest.json: location.crm: unknown product",
        "manifest.json: location.support.ticket_footer: unknown location for support",
    ]


@pytest.mark.parametrize(("product", "place"), [("support", "system_top_bar"), ("standalone_chat", "nav_bar"),
                                                 ("sell", "dashboard")])
def test_every_location_zendesk_knows_is_accepted(app, product, place):
    location = app.manifest["location"]
    location.setdefault(product, {})[place] = {"url": "assets/iframe.html"}
    app.edit_manifest(location=location)
    assert app.problems() == []


def test_secure_settings_need_a_domain_whitelist(app):
    app.edit_manifest(domainWhitelist=None)
    assert app.problems() == [
        "manifest.json: domainWhitelist: required when secure settings are used: list the backend's host"]


def test_domain_whitelist_holds_host_names(app):
    app.edit_manifest(domainWhitelist=["https://lc.example.com", "lc.example.com", "*.example.org"])
    assert app.problems() == [
        "manifest.json: domainWhitelist: 'https://lc.example.com' is not a host name "
        "(no scheme, port or path)"]
    app.edit_manifest(domainWhitelist="lc.example.com")
    assert app.problems() == ["manifest.json: domainWhitelist: must be a list of host names"]


def test_every_problem_is_listed_at_once(app):
    app.edit_manifest(name=None, frameworkVersion="1.0", domainWhitelist=None)
    (app.root / "assets" / "logo.png").unlink()
    assert app.problems() == [
        "assets/logo.png: -: required file is missing",
        "manifest.json: domainWhitelist: required when secure settings are used: list the backend's host",
        "manifest.json: frameworkVersion: must be one of 2.0",
        "manifest.json: name: required field is missing",
    ]


def test_a_key_named_twice_is_refused_in_any_object(app):
    # json would keep the last value; Zendesk refuses the manifest
    text = (app.root / "manifest.json").read_text(encoding="utf-8")
    text = text.replace("{", '{"name": "Old", ', 1).replace('"author": {', '"author": {"email": "a@b.c", ')
    (app.root / "manifest.json").write_text(text, encoding="utf-8")
    assert app.problems() == ['manifest.json: -: duplicate key "email"',
                              'manifest.json: -: duplicate key "name"']
