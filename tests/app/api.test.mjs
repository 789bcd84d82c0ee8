// api: the request body, the exact client.request options, and reading the proxy's answer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backendBase, buildBody, configProblems, readResponse, requestOptions } from '../../zendesk-app/assets/api.js';
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
  assert.equal(body.ticket.text.length, 8000);
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

test('garbage, a wrong shape or no response at all is an error, never a crash', () => {
  assert.deepEqual(readResponse({ status: 200, responseText: 'not json' }), { kind: 'error', code: 'bad_response', status: 200 });
  assert.equal(readResponse({ status: 200, responseJSON: { matches: 'x' } }).code, 'bad_response');
  assert.deepEqual(readResponse(undefined), { kind: 'error', code: 'network', status: 0 });
  assert.equal(readResponse({ status: 0, statusText: 'error' }).code, 'network');
});
