// api: the request body, the exact client.request options, and reading the proxy's answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  backendBase, buildBody, capBytes, configProblems, MAX_EMAILS, readResponse, requestOptions,
} from '../../zendesk-app/assets/api.js';
import { CATALOGS, loadAll } from '../../zendesk-app/assets/i18n.js';
import { readSettings } from '../../zendesk-app/assets/settings.js';

const ticket = {
  id: 1002, subject: 'Certificate', description: 'x'.repeat(9000),
  requester: {
    email: 'wei.zhang@example.cn', name: 'Wei Zhang', externalId: null,
    identities: [{ type: 'email', value: 'wei.zhang@example.cn' }, { type: 'email', value: 'zhang.wei.work@example.com' },
      { type: 'twitter', value: '@wei' }],
  },
};

test('the body carries every requester email once and the ticket text, capped', () => {
  const body = buildBody(ticket);
  assert.deepEqual(body.requester, {
    email: 'wei.zhang@example.cn', emails: ['wei.zhang@example.cn', 'zhang.wei.work@example.com'], name: 'Wei Zhang',
  });
  assert.equal(body.ticket.id, 1002);
  assert.equal(body.ticket.text, 'x'.repeat(9000)); // 9,000 ASCII bytes: under the 10,000-byte cap
  assert.equal(body.refresh, false);
  assert.equal('manual_search' in body, false);
});

test('refresh and manual search are passed through', () => {
  const body = buildBody({ id: '7', requester: {} }, { refresh: true, manual: { kind: 'order_id', value: 'ORD-2026-004217' } });
  assert.deepEqual(body.requester, {});
  assert.equal(body.ticket.id, 7);
  assert.equal(body.refresh, true);
  assert.deepEqual(body.manual_search, { kind: 'order_id', value: 'ORD-2026-004217' });
});

test('the request goes through the proxy with an HS256 JWT and the contract claims', () => {
  const body = buildBody(ticket);
  const options = requestOptions({ backend_url: 'https://lc.example.com/' }, { account: { subdomain: 'acme' } }, { id: 42 }, body);
  assert.deepEqual({ ...options, data: JSON.parse(options.data) }, {
    url: 'https://lc.example.com/api/v1/learner-context',
    type: 'POST',
    contentType: 'application/json',
    data: body,
    secure: true,
    cors: false,
    headers: { Authorization: 'Bearer {{jwt.token}}' },
    jwt: {
      algorithm: 'HS256', secret_key: '{{setting.shared_secret}}', expiry: 120,
      claims: { iss: 'https://acme.zendesk.com', aud: 'learner-context', sub: '42', ticket_id: 1002 },
    },
    httpCompleteResponse: true,
    timeout: 10000,
  });
});

test('settings: missing backend URL or an explicitly empty secret means not configured', () => {
  assert.deepEqual(configProblems({}), ['backend_url']);
  assert.deepEqual(configProblems({ backend_url: 'ftp://x' }), ['backend_url']);
  assert.deepEqual(configProblems({ backend_url: 'https://x.example', shared_secret: '' }), ['shared_secret']);
  // Zendesk hides secure values from the browser: absent or null is "set on the server".
  assert.deepEqual(configProblems({ backend_url: 'https://x.example', shared_secret: null }), []);
  assert.equal(backendBase('http://127.0.0.1:8000//'), 'http://127.0.0.1:8000');
});

test('checkbox settings default like the manifest and accept strings', () => {
  assert.deepEqual(readSettings({}), {
    show_payments: true, mask_pii: false, allow_insert_reply: true, allow_add_tags: true, admin_link_template: '',
  });
  const s = readSettings({ show_payments: 'false', mask_pii: 'true', allow_add_tags: false });
  assert.equal(s.show_payments, false);
  assert.equal(s.mask_pii, true);
  assert.equal(s.allow_add_tags, false);
});

const OK_BODY = { matches: [], sections: {}, suggested_tags: [] };

test('a 200 with the contract shape is ok, from responseJSON or responseText', () => {
  assert.deepEqual(readResponse({ status: 200, responseJSON: OK_BODY }), { kind: 'ok', status: 200, data: OK_BODY });
  assert.equal(readResponse({ status: 200, responseText: JSON.stringify(OK_BODY) }).kind, 'ok');
});

test('401 and 403 mean unauthorized; other failures carry the backend code', () => {
  const body = JSON.stringify({ error: { code: 'invalid_token', message: 'bad signature' } });
  assert.deepEqual(readResponse({ status: 401, responseText: body }), { kind: 'unauthorized', status: 401, code: 'invalid_token' });
  assert.equal(readResponse({ status: 403, responseText: '' }).kind, 'unauthorized');
  // The service's own 403 for a switched-off manual search is not an authentication problem.
  assert.deepEqual(readResponse({ status: 403, responseText: '{"error":{"code":"manual_search_off"}}' }),
    { kind: 'error', status: 403, code: 'manual_search_off', retryAfter: null });
  assert.equal(readResponse({ status: 400, responseText: '{"error":{"code":"no_identifier"}}' }).code, 'no_identifier');
  assert.deepEqual(readResponse({ status: 429, responseText: '{"error":{"code":"rate_limited"}}', headers: { 'Retry-After': '30' } }),
    { kind: 'error', status: 429, code: 'rate_limited', retryAfter: 30 });
  assert.deepEqual(readResponse({ status: 502, responseText: '<html>Bad gateway</html>' }),
    { kind: 'error', status: 502, code: 'http_502', retryAfter: null });
});

test('a 429 without Retry-After takes the wait from the error details, or says none', () => {
  const details = JSON.stringify({ error: { code: 'rate_limited', details: { retry_after_s: 12 } } });
  assert.equal(readResponse({ status: 429, responseText: details }).retryAfter, 12);
  assert.equal(readResponse({ status: 429, responseText: '{"error":{"code":"rate_limited"}}' }).retryAfter, null);
});

test("the proxy's own failures are told apart from the backend's", () => {
  const proxy = (status, code) => readResponse({ status, responseText: JSON.stringify({ error: { code } }) });
  // A host the package does not allow is an installation problem, not a refused signature.
  assert.deepEqual(proxy(403, 'domain_not_whitelisted'),
    { kind: 'error', status: 403, code: 'domain_not_whitelisted', retryAfter: null });
  assert.equal(proxy(504, 'proxy_timeout').code, 'timeout');
  assert.equal(proxy(502, 'proxy_unreachable').code, 'network');
});

test('customer text cannot become a proxy placeholder', () => {
  const body = buildBody({ ...ticket, subject: 'Code {{setting.promo}}', description: 'Hi {{jwt.token}} {{{{x}}',
    requester: { ...ticket.requester, name: '{{setting.shared_secret}}' } });
  for (const value of [body.ticket.subject, body.ticket.text, body.requester.name]) assert.doesNotMatch(value, /\{\{/);
  assert.equal(body.ticket.subject, 'Code { {setting.promo}}');
});

test('garbage, a wrong shape or no response at all is an error, never a crash', () => {
  assert.deepEqual(readResponse({ status: 200, responseText: 'not json' }), { kind: 'error', code: 'bad_response', status: 200 });
  assert.equal(readResponse({ status: 200, responseJSON: { matches: 'x' } }).code, 'bad_response');
  const match = { learner: { id: 'L-1' }, matched_by: [], enrolments: [], payments: [], subscriptions: [], flags: [] };
  assert.equal(readResponse({ status: 200, responseJSON: { ...OK_BODY, matches: [match] } }).kind, 'ok');
  for (const broken of [null, { ...match, learner: null }, { ...match, learner: { id: 7 } }, { ...match, payments: null }]) {
    assert.equal(readResponse({ status: 200, responseJSON: { ...OK_BODY, matches: [broken] } }).code, 'bad_response');
  }
  assert.equal(readResponse({ status: 200, responseJSON: { matches: [], sections: null } }).code, 'bad_response');
  assert.deepEqual(readResponse(undefined), { kind: 'error', code: 'network', status: 0 });
  assert.equal(readResponse({ status: 0, statusText: 'error' }).code, 'network');
});

const utf8 = (value) => new TextEncoder().encode(value).length;
const BACKEND_MAX_BODY_BYTES = 16384; // LC_MAX_BODY_BYTES' default: the backend counts bytes, not characters

test('long Chinese text and 30 addresses still make a body the backend accepts', () => {
  const zh = '我无法下载证书，请帮忙查看一下订单和课程的状态。'.repeat(400); // ~9,600 characters, ~29 KB of UTF-8
  const emails = Array.from({ length: 30 }, (_, i) => ({ type: 'email', value: `learner.${i}@example.cn` }));
  const body = buildBody({ id: 1002, subject: '证书'.repeat(600), description: zh,
    requester: { email: 'learner.0@example.cn', name: '张伟', identities: emails } });
  const sent = requestOptions({ backend_url: 'https://lc.example.com' }, { account: { subdomain: 'acme' } }, { id: 1 }, body).data;
  assert.ok(utf8(sent) <= 14000, `${utf8(sent)} bytes`);
  assert.ok(utf8(body.ticket.text) <= 10000 && utf8(body.ticket.subject) <= 1000);
  assert.ok(zh.startsWith(body.ticket.text) && body.ticket.text.length > 3000); // a prefix, as much as fits
  assert.equal(body.requester.emails.length, MAX_EMAILS);
  assert.deepEqual(body.requester.emails.slice(0, 2), ['learner.0@example.cn', 'learner.1@example.cn']);
  assert.ok(utf8(sent) < BACKEND_MAX_BODY_BYTES);
});

test('cutting by bytes never splits a surrogate pair and counts JSON escapes', () => {
  const emoji = '🎓'.repeat(10); // 4 bytes each, two UTF-16 units each
  assert.equal(capBytes(emoji, 10), '🎓🎓');
  assert.equal(capBytes(emoji, 7), '🎓');
  assert.equal(capBytes('a🎓', 4), 'a');
  assert.equal(capBytes('"\n'.repeat(5), 4), '"\n'.slice(0, 2)); // " and \ take 2 bytes each in JSON
  assert.equal(capBytes('\u0001abc', 6), '\u0001'); // a control character is \u0001 in JSON: 6 bytes
  assert.equal(capBytes(null, 10), '');
  assert.equal(capBytes('短', 2), '');
});

test('whatever else is long, the text gives way so the whole body fits', () => {
  const long = (i) => `${'x'.repeat(230)}.${i}@example.com`; // 20 addresses of ~245 characters: ~5 KB
  const body = buildBody({ id: 5, subject: 'é'.repeat(500), description: '课'.repeat(5000),
    requester: { name: '名'.repeat(300), identities: Array.from({ length: 20 }, (_, i) => ({ type: 'email', value: long(i) })) } });
  assert.ok(utf8(JSON.stringify(body)) <= 14000);
  assert.equal([...body.requester.name].length, 200); // the backend's limit on names, in code points
  assert.equal(body.requester.emails.length, 20);
  assert.ok(body.ticket.text.length > 0 && '课'.repeat(5000).startsWith(body.ticket.text));
});

test('an address longer than the backend allows is left out rather than failing the lookup', () => {
  const tooLong = `${'a'.repeat(250)}@example.com`;
  const body = buildBody({ id: 5, requester: { email: tooLong, identities: [{ type: 'email', value: 'ok@example.com' },
    { type: 'email', value: tooLong }] } });
  assert.deepEqual(body.requester, { emails: ['ok@example.com'] });
});

test('a 413, from the backend or from the proxy without a body, has its own translated message', async () => {
  await loadAll();
  assert.equal(readResponse({ status: 413, responseText: '' }).code, 'payload_too_large');
  assert.equal(readResponse({ status: 413, responseText: '{"error":{"code":"payload_too_large"}}' }).code, 'payload_too_large');
  for (const locale of ['en', 'fr', 'zh-CN']) assert.ok(CATALOGS[locale]['error.payload_too_large'], locale);
});
