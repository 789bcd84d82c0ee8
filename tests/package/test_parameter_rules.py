"""Validator rules on manifest parameters, one broken rule per test, exact problem lines."""
from __future__ import annotations

SECRET = {"name": "shared_secret", "type": "text", "secure": True, "required": True,
          "scopes": ["jwt_secret_key"]}
URL = {"name": "backend_url", "type": "url", "required": True}


def _with(app, *extra):
    app.set_parameters(URL, SECRET, *extra)
    return app.problems()


def test_password_type_is_gone(app):
    assert _with(app, {"name": "api_pass", "type": "password"}) == [
        "manifest.json: parameters.api_pass.type: 'password' is gone: use text with secure: true",
        "translations/en.json: app.parameters.api_pass.label: required key is missing",
    ]


def test_unknown_type(app):
    app.set_parameters({**URL, "type": "link"}, SECRET)
    assert app.problems() == [
        "manifest.json: parameters.backend_url.type: 'link' is not one of text, checkbox, url, number, "
        "multiline, hidden, oauth"]


def test_name_is_reserved(app):
    assert "manifest.json: parameters.name: 'name' is reserved and cannot be a parameter name" in _with(
        app, {"name": "name", "type": "text"})


def test_names_are_identifiers(app):
    assert "manifest.json: parameters.backend-url: name must be letters, digits and underscores" in _with(
        app, {"name": "backend-url", "type": "text"})


def test_duplicate_names(app):
    assert _with(app, dict(URL)) == [
        "manifest.json: parameters.backend_url: duplicate parameter name (2 times)"]


def test_parameter_without_name(app):
    assert _with(app, {"type": "text"}) == ["manifest.json: parameters[2].name: required field is missing"]


def test_hidden_cannot_be_required(app):
    assert _with(app, {"name": "build", "type": "hidden", "required": True}) == [
        "manifest.json: parameters.build: a hidden parameter cannot be required"]


def test_oauth_cannot_be_secure(app):
    problems = _with(app, {"name": "login", "type": "oauth", "secure": True, "scopes": ["header"]})
    assert "manifest.json: parameters.login: an oauth parameter cannot be secure" in problems


def test_one_oauth_parameter_at_most(app):
    problems = _with(app, {"name": "a", "type": "oauth"}, {"name": "b", "type": "oauth"})
    assert "manifest.json: parameters: at most one oauth parameter" in problems


def test_secure_parameter_needs_scopes(app):
    app.set_parameters(URL, {k: v for k, v in SECRET.items() if k != "scopes"})
    assert app.problems() == [
        "manifest.json: parameters.shared_secret.scopes: a secure parameter needs scopes, "
        'e.g. ["jwt_secret_key"]']


def test_scopes_only_on_secure_parameters(app):
    assert _with(app, {"name": "region", "type": "text", "scopes": ["header"]}) == [
        "manifest.json: parameters.region.scopes: only secure parameters take scopes",
        "translations/en.json: app.parameters.region.label: required key is missing",
    ]


def test_unknown_scope(app):
    app.set_parameters(URL, {**SECRET, "scopes": ["jwt_secret_key", "cookie"]})
    assert app.problems() == [
        "manifest.json: parameters.shared_secret.scopes: unknown scope 'cookie' "
        "(known: jwt_secret_key, header, body, url, jwt_claim, basic_auth_username, basic_auth_password)"]


def test_every_scope_zendesk_knows_is_accepted(app):
    scopes = ["jwt_claim", "basic_auth_username", "basic_auth_password"]
    app.set_parameters(URL, {**SECRET, "scopes": ["jwt_secret_key", *scopes]})
    assert app.problems() == []


def test_secure_parameter_cannot_have_a_default(app):
    app.set_parameters(URL, {**SECRET, "default": "dev-secret"})
    assert app.problems() == [
        "manifest.json: parameters.shared_secret.default: secure and hidden parameters cannot have a default"]


def test_secret_looking_text_must_be_secure(app):
    app.set_parameters(URL, {**SECRET, "secure": False, "scopes": None})
    expected = "manifest.json: parameters.shared_secret.secure: looks like a secret: set secure: true"
    assert expected in app.problems()


def test_flags_must_be_booleans(app):
    app.set_parameters({**URL, "required": "yes"}, SECRET)
    assert app.problems() == ["manifest.json: parameters.backend_url.required: must be true or false"]


def test_parameters_must_be_a_list(app):
    app.edit_manifest(parameters={"backend_url": "url"})
    assert "manifest.json: parameters: must be a list" in app.problems()
