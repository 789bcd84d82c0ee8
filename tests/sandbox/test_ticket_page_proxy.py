"""The ticket page's proxy behaves like Zendesk's: settings substitution, JWT signing, domainWhitelist."""
from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import flask
import jwt
import pytest
import requests
from werkzeug.serving import make_server

from sandbox.ticket_page import config as page_config
from sandbox.ticket_page.config import SDK_CDN_URL, PageConfig
from sandbox.ticket_page.proxy import host_allowed
from sandbox.ticket_page.routes import build_blueprint
from tests.servers import free_port

SECRET = "page-test-secret-0123456789abcdef0123"
MANIFEST = {
    "name": "Proxy test app", "version": "9.9.9", "domainWhitelist": ["127.0.0.1"],
    "parameters": [
        {"name": "backend_url", "type": "url", "required": True},
        {"name": "shared_secret", "type": "text", "secure": True, "required": True,
         "scopes": ["jwt_secret_key"]},
        {"name": "api_key", "type": "text", "secure": True},  # no scopes: usable anywhere, as before scopes
        {"name": "show_payments", "type": "checkbox", "default": True},
        {"name": "mask_pii", "type": "checkbox"},
    ],
}


@dataclass
class Running:
    url: str
    port: int
    seen: list[dict] = field(default_factory=list)


def _serve(app: flask.Flask) -> tuple[Running, object]:
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return Running(url=f"http://127.0.0.1:{port}", port=port), server


@pytest.fixture(scope="module")
def upstream() -> Iterator[Running]:
    """A real HTTP server standing in for the backend: echoes what reached it."""
    app = flask.Flask("upstream")
    running: Running

    @app.route("/echo", methods=["GET", "POST"])
    def echo():
        seen = {"method": flask.request.method, "headers": dict(flask.request.headers),
                "body": flask.request.get_data(as_text=True), "host": flask.request.host}
        running.seen.append(seen)
        return flask.jsonify(seen), 201

    @app.get("/slow")
    def slow():
        time.sleep(2)
        return "late"

    running, server = _serve(app)
    yield running
    server.shutdown()


def _page(tmp_path, upstream: Running, **changes) -> tuple[Running, object]:
    app_dir = tmp_path / "app"
    (app_dir / "assets").mkdir(parents=True, exist_ok=True)
    (app_dir / "assets" / "iframe.html").write_text(f'<script src="{SDK_CDN_URL}"></script>')
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(MANIFEST))
    cfg = PageConfig(app_dir=app_dir, manifest_path=manifest, backend_url=upstream.url, shared_secret=SECRET,
                     setting_overrides={"api_key": "k-123"}, proxy_timeout_s=0.5, sdk_source="cdn")
    app = flask.Flask("page")
    app.register_blueprint(build_blueprint(tmp_path, replace(cfg, **changes)))
    return _serve(app)


@pytest.fixture(scope="module")
def page(tmp_path_factory, upstream) -> Iterator[Running]:
    running, server = _page(tmp_path_factory.mktemp("page"), upstream)
    yield running
    server.shutdown()


def _on_localhost(page: Running) -> dict[str, str]:
    return {"Host": f"localhost:{page.port}"}


def boot(page: Running, **query: str) -> dict:
    resp = requests.get(f"{page.url}/_page/boot", params=query, headers=_on_localhost(page), timeout=5)
    assert resp.status_code == 200
    return resp.json()


def proxy(page: Running, installation: str, options: dict) -> dict:
    resp = requests.post(f"{page.url}/_page/proxy", json={"installation": installation, "options": options},
                         headers=_on_localhost(page), timeout=10)
    assert resp.status_code == 200
    return resp.json()


def app_request(backend_url: str, **extra) -> dict:
    """The options the sidebar app sends (docs/app.md), pointed at the echo server."""
    return {
        "url": "{{setting.backend_url}}/echo", "type": "POST", "contentType": "application/json",
        "data": json.dumps({"ticket": {"id": 1003}}), "secure": True, "httpCompleteResponse": True,
        "headers": {"Authorization": "Bearer {{jwt.token}}"},
        "jwt": {"algorithm": "HS256", "secret_key": "{{setting.shared_secret}}", "expiry": 120,
                "claims": {"iss": "https://demo.zendesk.com", "aud": "learner-context", "sub": "9001",
                           "ticket_id": 1003}},
        **extra,
    }


def test_metadata_settings_omit_secure_settings(page):
    settings = boot(page)["settings"]
    assert settings["backend_url"].startswith("http://127.0.0.1:")
    assert settings["show_payments"] is True and settings["mask_pii"] is False
    assert "shared_secret" not in settings and "api_key" not in settings


def test_secure_values_never_reach_the_browser(page):
    host = _on_localhost(page)
    texts = [requests.get(page.url + path, headers=host, timeout=5).text
             for path in ("/", "/_page/static/page.js", "/_page/static/zaf_host.js",
                          "/_page/static/zaf_api.js")]
    texts.append(json.dumps(boot(page)))
    assert all(SECRET not in text and "k-123" not in text for text in texts)


def test_proxy_signs_the_token_with_the_secure_secret_and_the_given_claims(page, upstream):
    answer = proxy(page, boot(page)["installation"], app_request(upstream.url))
    assert answer["status"] == 201
    echoed = json.loads(answer["body"])
    token = echoed["headers"]["Authorization"].removeprefix("Bearer ")
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience="learner-context")
    assert claims["iss"] == "https://demo.zendesk.com" and claims["sub"] == "9001"
    assert claims["ticket_id"] == 1003
    assert claims["exp"] - claims["iat"] == 120
    assert abs(claims["iat"] - time.time()) < 60
    assert json.loads(echoed["body"]) == {"ticket": {"id": 1003}}
    assert echoed["headers"]["Content-Type"] == "application/json"


def test_secure_settings_are_substituted_in_headers_server_side(page, upstream):
    options = app_request(upstream.url, headers={"X-Api-Key": "{{setting.api_key}}"})
    answer = proxy(page, boot(page)["installation"], options)
    assert json.loads(answer["body"])["headers"]["X-Api-Key"] == "k-123"


@pytest.mark.parametrize("where", ["url", "header", "body"])
def test_a_secure_setting_is_refused_outside_its_scopes(page, upstream, where):
    upstream.seen.clear()
    secret = "{{setting.shared_secret}}"
    placed = {"url": {"url": f"{{{{setting.backend_url}}}}/echo?s={secret}"},
              "header": {"headers": {"Authorization": "Bearer {{jwt.token}}", "X-S": secret}},
              "body": {"data": json.dumps({"text": secret})}}[where]
    answer = proxy(page, boot(page)["installation"], app_request(upstream.url, **placed))
    assert answer["status"] == 400 and json.loads(answer["body"])["error"]["code"] == "setting_out_of_scope"
    assert upstream.seen == [] and SECRET not in json.dumps(answer)


def test_wrong_secret_from_the_page_query_signs_a_token_the_backend_rejects(page, upstream):
    wrong = "not-the-secret-but-long-enough-0123456789"
    inst = boot(page, **{"setting.shared_secret": wrong})["installation"]
    token = json.loads(proxy(page, inst, app_request(upstream.url))["body"])["headers"]["Authorization"][7:]
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, SECRET, algorithms=["HS256"], audience="learner-context")


def test_query_overrides_can_be_switched_off(tmp_path, upstream):
    running, server = _page(tmp_path, upstream, query_overrides=False)
    try:
        assert boot(running, **{"setting.backend_url": ""})["settings"]["backend_url"] == upstream.url
    finally:
        server.shutdown()


def test_hosts_outside_domain_whitelist_are_refused_before_sending(page, upstream):
    upstream.seen.clear()
    options = app_request(upstream.url, url=f"http://localhost:{upstream.port}/echo")
    answer = proxy(page, boot(page)["installation"], options)
    assert answer["status"] == 403
    assert json.loads(answer["body"])["error"]["code"] == "domain_not_whitelisted"
    assert upstream.seen == []


@pytest.mark.parametrize(("url", "whitelist", "allowed"), [
    ("http://127.0.0.1:8000/x", ("127.0.0.1",), True),
    ("https://lc.example.com/x", ("*.example.com",), True),
    ("https://example.com.evil.test/x", ("example.com",), False),
    ("https://api.example.com/x", ("https://api.example.com",), True),
    ("http://127.0.0.1:9000/x", ("127.0.0.1:8000",), False),
    ("http://127.0.0.1:8000/x", (), False),
])
def test_whitelist_matching(url, whitelist, allowed):
    assert host_allowed(url, whitelist) is allowed


@pytest.mark.parametrize(("change", "status", "code"), [
    ({"headers": {"X_Api_Key": "1"}}, 400, "bad_header_name"),
    ({"jwt": None}, 400, "jwt_missing"),
    ({"url": "{{setting.nope}}/echo"}, 400, "unknown_setting"),
    ({"url": "file:///etc/passwd"}, 400, "bad_url"),
    ({"type": "TRACE"}, 400, "bad_method"),
    ({"jwt": {"algorithm": "none", "secret_key": "x", "claims": {}}}, 400, "jwt_algorithm"),
    ({"jwt": {"algorithm": "HS256", "secret_key": "x", "expiry": 86400, "claims": {}}}, 400, "jwt_expiry"),
])
def test_invalid_options_answer_a_clear_error(page, upstream, change, status, code):
    answer = proxy(page, boot(page)["installation"], app_request(upstream.url, **change))
    assert answer["status"] == status
    assert json.loads(answer["body"])["error"]["code"] == code


def test_a_slow_upstream_answers_504_within_the_proxy_timeout(page, upstream):
    answer = proxy(page, boot(page)["installation"], {"url": f"{upstream.url}/slow"})
    assert answer["status"] == 504
    assert json.loads(answer["body"])["error"]["code"] == "proxy_timeout"


def test_an_unreachable_upstream_answers_502(page):
    answer = proxy(page, boot(page)["installation"], {"url": f"http://127.0.0.1:{free_port()}/x"})
    assert answer["status"] == 502


def test_bad_proxy_calls_are_4xx_json(page):
    url, host = f"{page.url}/_page/proxy", _on_localhost(page)
    unknown = requests.post(url, json={"installation": "nope", "options": {"url": "x"}},
                            headers=host, timeout=5)
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "unknown_installation"
    garbage = requests.post(url, data="not json", headers=host, timeout=5)
    assert garbage.status_code == 400 and garbage.json()["error"]["code"] == "bad_request"


def test_page_and_app_are_served_on_different_origins(page):
    app_on_page_host = requests.get(f"{page.url}/app/assets/iframe.html", headers=_on_localhost(page),
                                    timeout=5)
    assert app_on_page_host.status_code == 404
    assert requests.get(f"{page.url}/_page/boot", timeout=5).status_code == 404
    home = requests.get(f"{page.url}/", allow_redirects=False, timeout=5)
    assert home.status_code == 302 and home.headers["Location"] == f"http://localhost:{page.port}/"
    iframe = requests.get(f"{page.url}/app/assets/iframe.html", timeout=5)
    assert iframe.status_code == 200 and SDK_CDN_URL in iframe.text
    assert requests.get(f"{page.url}/app/../manifest.json", timeout=5).status_code == 404


def test_local_sdk_source_points_the_app_at_the_local_build(tmp_path, upstream):
    running, server = _page(tmp_path, upstream, sdk_source="local")
    try:
        html = requests.get(f"{running.url}/app/assets/iframe.html", timeout=5).text
        assert SDK_CDN_URL not in html and f"{running.url}/_page/zaf_sdk.js" in html
    finally:
        server.shutdown()


def test_auto_sdk_source_keeps_the_cdn_when_it_answers_and_asks_only_once(tmp_path, upstream):
    probes_before = sum(seen["method"] == "HEAD" for seen in upstream.seen)
    running, server = _page(tmp_path, upstream, sdk_source="auto", sdk_probe_url=f"{upstream.url}/echo")
    try:
        for _ in range(3):
            html = requests.get(f"{running.url}/app/assets/iframe.html", timeout=5).text
            assert SDK_CDN_URL in html and "/_page/zaf_sdk.js" not in html
        assert sum(seen["method"] == "HEAD" for seen in upstream.seen) == probes_before + 1
    finally:
        server.shutdown()


@pytest.mark.parametrize("probe", ["closed-port", "/missing"])
def test_auto_sdk_source_falls_back_to_the_local_build_without_the_cdn(tmp_path, upstream, probe):
    probe_url = f"http://127.0.0.1:{free_port()}/sdk.js" if probe == "closed-port" else upstream.url + probe
    running, server = _page(tmp_path, upstream, sdk_source="auto", sdk_probe_url=probe_url)
    try:
        html = requests.get(f"{running.url}/app/assets/iframe.html", timeout=5).text
        assert SDK_CDN_URL not in html and f"{running.url}/_page/zaf_sdk.js" in html
    finally:
        server.shutdown()


def test_an_unknown_sdk_source_is_refused_at_start(monkeypatch):
    monkeypatch.setenv("LC_PAGE_SDK_SOURCE", "internet")
    with pytest.raises(ValueError, match="LC_PAGE_SDK_SOURCE: must be auto, cdn or local"):
        page_config.load()


def test_the_page_signs_with_the_backends_first_secret_from_its_secrets_file(tmp_path, monkeypatch):
    secrets = tmp_path / "jwt-secrets"
    secrets.write_text("page-from-file-0123456789abcdef0123456789,older-secret\n", encoding="utf-8")
    monkeypatch.delenv("LC_JWT_SECRETS", raising=False)
    monkeypatch.setenv("LC_JWT_SECRETS_FILE", str(secrets))
    assert page_config.load().shared_secret == "page-from-file-0123456789abcdef0123456789"
