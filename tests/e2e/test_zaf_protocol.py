"""The page speaks ZAF to a throwaway app (written here, test-only) running on the real SDK build."""
from __future__ import annotations

import json
import threading
from urllib.parse import urlsplit

import flask
import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from sandbox.config import load_zendesk
from sandbox.internal import personas as p
from sandbox.ticket_page.config import SDK_CDN_URL, PageConfig
from sandbox.ticket_page.routes import build_blueprint
from tests.e2e import harness
from tests.servers import free_port

# Calls every host feature once and publishes what came back in <pre id="out"> as JSON.
APP_JS = """
const client = ZAFClient.init();
const out = { events: [] };
const show = () => { document.getElementById('out').textContent = JSON.stringify(out); };
const settle = (p) => p.then((...a) => ({ ok: true, args: a }), (...a) => ({ ok: false, args: a }));
['app.activated', 'ticket.requester.email.changed', 'ticket.requester.id.changed', 'colorScheme.changed']
  .forEach((name) => client.on(name, (data) => { out.events.push([name, data]); show(); }));
client.on('app.registered', async (data) => {
  out.registered = data;
  out.get = await client.get(['ticket.id', 'ticket.subject', 'ticket.requester.email', 'currentUser.locale',
    'currentUser.timeZone.ianaName', 'currentUser.timeZone.formattedOffset', 'colorScheme', 'no.such.path']);
  out.singleError = await client.get('no.such.path').then(() => null, (e) => e.message);
  await client.set('comment.text', 'Set by app. ');
  await client.invoke('comment.appendText', 'Appended.');
  await client.invoke('ticket.tags.add', ['zaf_a', 'zaf_b']);
  await client.invoke('ticket.tags.remove', ['zaf_a']);
  await client.invoke('resize', { width: '100%', height: '321px' });
  const base = data.metadata.settings.backend_url;
  out.complete = await settle(client.request({
    url: '{{setting.backend_url}}/healthz', httpCompleteResponse: true }));
  out.plain = await settle(client.request({ url: base + '/healthz', dataType: 'json' }));
  out.unauthorized = await settle(client.request({ url: base + '/api/v1/learner-context', type: 'POST',
    contentType: 'application/json', data: '{}', httpCompleteResponse: true }));
  out.refused = await settle(client.request({ url: base.replace('127.0.0.1', 'localhost') + '/healthz' }));
  out.notJson = await settle(client.request({ url: location.href, dataType: 'json' }));
  out.finished = true;
  show();
});
"""


@pytest.fixture(scope="module")
def protocol_page(tmp_path_factory, sandbox, backend):
    """A page server hosting the throwaway app; tickets from the real sandbox, requests to the backend."""
    root = tmp_path_factory.mktemp("throwaway")
    (root / "assets").mkdir()
    (root / "assets" / "iframe.html").write_text(
        f'<!doctype html><meta charset="utf-8"><script src="{SDK_CDN_URL}"></script>'
        '<pre id="out"></pre><script src="app.js"></script>')
    (root / "assets" / "app.js").write_text(APP_JS)
    manifest = root / "manifest.json"
    manifest.write_text(json.dumps({
        "name": "Throwaway", "version": "0.0.1", "domainWhitelist": ["127.0.0.1"],
        "parameters": [{"name": "backend_url", "type": "url"},
                       {"name": "shared_secret", "type": "text", "secure": True}]}))
    zendesk = load_zendesk()
    cfg = PageConfig(app_dir=root, manifest_path=manifest, zendesk_url=sandbox.url, backend_url=backend.url,
                     zendesk_email=zendesk.email, zendesk_api_token=zendesk.api_token,
                     sdk_source="cdn")  # the browser context routes the CDN to the local build
    app = flask.Flask("protocol-page")
    app.register_blueprint(build_blueprint(root, cfg))
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture(scope="module")
def run(browser, protocol_page):
    """The throwaway app after it has made every call, on ticket 1003."""
    context = harness.new_context(browser, locale="fr")
    page = context.new_page()
    page.goto(f"http://localhost:{urlsplit(protocol_page).port}/?ticket=1003&locale=fr&tz=Europe/Paris")
    out = page.frame_locator("[data-testid=page-app-frame]").locator("#out")
    expect(out).to_contain_text('"finished":true', timeout=harness.TIMEOUT_MS)
    yield page, json.loads(out.text_content())
    context.close()


def test_handshake_registers_the_app_with_context_and_public_metadata(run):
    _, out = run
    context, metadata = out["registered"]["context"], out["registered"]["metadata"]
    assert {k: context[k] for k in ("product", "location", "account", "ticketId")} == {
        "product": "support", "location": "ticket_sidebar", "account": {"subdomain": "demo"},
        "ticketId": 1003}
    assert metadata["name"] == "Throwaway" and isinstance(metadata["installationId"], int)
    assert set(metadata["settings"]) == {"backend_url"}  # the secure shared_secret stays server side
    assert ["app.activated", {"firstLoad": True}] in out["events"]


def test_get_answers_each_path_and_reports_unknown_ones_as_errors(run):
    _, out = run
    got = out["get"]
    assert got["ticket.id"] == 1003 and got["ticket.requester.email"] == p.SAM_EMAIL and got["ticket.subject"]
    assert got["currentUser.locale"] == "fr" and got["currentUser.timeZone.ianaName"] == "Europe/Paris"
    assert got["currentUser.timeZone.formattedOffset"] in ("GMT+01:00", "GMT+02:00")  # Paris, not the browser
    assert got["colorScheme"] == "light"
    assert got["errors"]["no.such.path"]["name"] == "APIUnavailable"
    assert out["singleError"] == '"no.such.path" is not available in this location'


def test_set_and_invoke_change_the_ticket_page(run):
    page, _ = run
    expect(page.get_by_test_id("page-reply")).to_have_value("Set by app. Appended.")
    tags = page.get_by_test_id("page-tag").all_text_contents()
    assert "zaf_b" in tags and "zaf_a" not in tags
    expect(page.get_by_test_id("page-app-frame")).to_have_css("height", "321px")


def test_requests_resolve_and_reject_with_jquery_style_response_args(run):
    _, out = run
    complete = out["complete"]
    assert complete["ok"] and complete["args"][0]["status"] == 200
    assert complete["args"][0]["responseJSON"]["status"] == "ok"
    assert out["plain"]["ok"] and out["plain"]["args"][0] == complete["args"][0]["responseJSON"]
    unauthorized = out["unauthorized"]
    assert not unauthorized["ok"] and unauthorized["args"][0]["status"] == 401
    assert unauthorized["args"][0]["responseJSON"]["error"]["code"] == "unauthorized"
    refused = out["refused"]["args"][0]
    assert not out["refused"]["ok"] and refused["status"] == 403
    assert refused["responseJSON"]["error"]["code"] == "domain_not_whitelisted"
    # dataType json on an HTML answer: a 200 that still rejects, like jQuery's parsererror
    assert not out["notJson"]["ok"] and out["notJson"]["args"][0]["status"] == 200


def test_switching_ticket_and_theme_fire_events(run):
    page, _ = run
    out_el = page.frame_locator("[data-testid=page-app-frame]").locator("#out")
    page.get_by_test_id("page-ticket-picker").select_option("1001")
    expect(out_el).to_contain_text(p.AMELIE_EMAIL)
    page.get_by_test_id("page-theme-toggle").click()
    expect(out_el).to_contain_text('["colorScheme.changed","dark"]')
    events = json.loads(out_el.text_content())["events"]
    names = [name for name, _ in events]
    assert "ticket.requester.id.changed" in names
    assert ["ticket.requester.email.changed", p.AMELIE_EMAIL] in events
