// The backend call: request body and ZAF request options, and reading the proxy's answer.

export const JWT_EXPIRY_S = 120;
export const REQUEST_TIMEOUT_MS = 10000;
// The backend refuses bodies over LC_MAX_BODY_BYTES (16,384 by default) and counts BYTES, while one CJK
// character is 3 bytes of UTF-8: the caps are JSON-encoded UTF-8 bytes, the whole body stays under 14,000.
export const MAX_TEXT_BYTES = 10000;
export const MAX_SUBJECT_BYTES = 1000;
export const MAX_BODY_BYTES = 14000;
export const MAX_EMAILS = 20; // backend/schemas.py MAX_EMAILS
const MAX_EMAIL_CHARS = 254;
const MAX_NAME_CHARS = 200;
const JSON_SHORT_ESCAPES = new Set([0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x22, 0x5c]); // \b \t \n \f \r \" \\

/** Bytes one code point takes inside a JSON string sent as UTF-8 (escapes included). */
function jsonBytes(cp) {
  if (JSON_SHORT_ESCAPES.has(cp)) return 2;
  if (cp < 0x20) return 6; // \u00XX
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp >= 0xd800 && cp <= 0xdfff) return 6; // a lone surrogate is escaped as \uDXXX
  return cp < 0x10000 ? 3 : 4;
}

/** Bytes of value as a JSON string's content in UTF-8. */
export function jsonStringBytes(value) {
  let bytes = 0;
  for (const ch of String(value)) bytes += jsonBytes(ch.codePointAt(0));
  return bytes;
}

/** value cut to at most maxBytes of JSON-encoded UTF-8, on a code point boundary (never half a surrogate pair). */
export function capBytes(value, maxBytes) {
  const text = String(value || '');
  let bytes = 0;
  let end = 0;
  for (const ch of text) { // iterates code points: a surrogate pair is one step
    bytes += jsonBytes(ch.codePointAt(0));
    if (bytes > maxBytes) return text.slice(0, end);
    end += ch.length;
  }
  return text;
}

/** UTF-8 bytes of a string, as sent on the wire. */
export function utf8Bytes(value) {
  return new TextEncoder().encode(String(value)).length;
}

/**
 * Customer text with every "{{" broken up: Zendesk's proxy fills {{setting.…}} and {{jwt.token}}
 * placeholders, and ticket text is the customer's, not a template. The backend only looks for ids in it.
 */
export function inert(value) {
  return String(value || '').replace(/\{(?=\{)/g, '{ ');
}

/** value cut to at most max code points (the backend's length limits count code points). */
function capChars(value, max) {
  return [...String(value)].slice(0, max).join('');
}

/** http(s) URL without trailing slashes, or null. */
export function backendBase(url) {
  const raw = String(url || '').trim();
  if (!/^https?:\/\/[^\s/]+/i.test(raw)) return null;
  return raw.replace(/\/+$/, '');
}

/** The settings an admin still has to set: [] when the app can call the backend. */
export function configProblems(settings = {}) {
  const problems = [];
  if (!backendBase(settings.backend_url)) problems.push('backend_url');
  // Zendesk never sends a secure value to the browser: only an explicit empty string means unset.
  if (settings.shared_secret === '') problems.push('shared_secret');
  return problems;
}

/** Contract request body from the ticket data; empty requester fields are left out. */
export function buildBody(ticket, { refresh = false, manual = null } = {}) {
  const requester = ticket.requester || {};
  const emails = [];
  for (const id of requester.identities || []) {
    if (id && id.type === 'email' && id.value && !emails.includes(id.value)) emails.push(id.value);
  }
  const primary = requester.email && String(requester.email).length <= MAX_EMAIL_CHARS ? requester.email : null;
  if (primary && !emails.includes(primary)) emails.unshift(primary);
  const who = {};
  if (primary) who.email = primary;
  // The backend takes at most MAX_EMAILS addresses of at most 254 characters: more would be a 400.
  const usable = emails.filter((e) => String(e).length <= MAX_EMAIL_CHARS).slice(0, MAX_EMAILS);
  if (usable.length) who.emails = usable;
  if (requester.externalId) who.external_id = String(requester.externalId);
  if (requester.name) who.name = capChars(inert(requester.name), MAX_NAME_CHARS);
  const body = {
    requester: who,
    ticket: {
      id: Number(ticket.id) || null,
      subject: capBytes(inert(ticket.subject), MAX_SUBJECT_BYTES),
      text: capBytes(inert(ticket.description), MAX_TEXT_BYTES),
    },
    refresh: Boolean(refresh),
  };
  if (manual) body.manual_search = { kind: manual.kind, value: manual.value };
  // Whatever else is long (names, many long addresses), the text gives way so the whole body fits.
  const over = utf8Bytes(JSON.stringify(body)) - MAX_BODY_BYTES;
  if (over > 0) body.ticket.text = capBytes(body.ticket.text, Math.max(0, jsonStringBytes(body.ticket.text) - over));
  return body;
}

/** The exact client.request options: through Zendesk's proxy, JWT signed from the secure secret. */
export function requestOptions(settings, context, currentUser, body) {
  const subdomain = (context && context.account && context.account.subdomain) || '';
  return {
    url: `${backendBase(settings.backend_url)}/api/v1/learner-context`,
    type: 'POST',
    contentType: 'application/json',
    data: JSON.stringify(body),
    secure: true,
    cors: false,
    headers: { Authorization: 'Bearer {{jwt.token}}' },
    jwt: {
      algorithm: 'HS256',
      secret_key: '{{setting.shared_secret}}',
      expiry: JWT_EXPIRY_S,
      claims: {
        iss: `https://${subdomain}.zendesk.com`,
        aud: 'learner-context',
        sub: String(currentUser && currentUser.id),
        ticket_id: body.ticket.id,
      },
    },
    httpCompleteResponse: true,
    timeout: REQUEST_TIMEOUT_MS,
  };
}

function bodyOf(response) {
  if (response.responseJSON && typeof response.responseJSON === 'object') return response.responseJSON;
  if (typeof response.responseText === 'string') {
    try {
      return JSON.parse(response.responseText);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function header(response, name) {
  const headers = response.headers || response.responseHeaders || {};
  for (const key of Object.keys(headers)) if (key.toLowerCase() === name) return headers[key];
  return null;
}

const isObject = (value) => Boolean(value) && typeof value === 'object' && !Array.isArray(value);
const LISTS = ['matched_by', 'enrolments', 'payments', 'subscriptions', 'flags'];

/** The shape the views rely on: every match has a learner with an id and its lists. */
function readable(body) {
  if (!isObject(body) || !Array.isArray(body.matches) || !isObject(body.sections)) return false;
  return body.matches.every((m) => isObject(m) && isObject(m.learner) && typeof m.learner.id === 'string'
    && LISTS.every((key) => Array.isArray(m[key])));
}

// What the proxy says of itself (sandbox/ticket_page/forward.py and proxy.py model Zendesk's proxy).
const PROXY_CODES = { proxy_timeout: 'timeout', proxy_unreachable: 'network' };

/** Classify what client.request resolved or rejected with: {kind: ok|unauthorized|error, ...}. */
export function readResponse(response) {
  if (!response || typeof response !== 'object') return { kind: 'error', code: 'network', status: 0 };
  const status = Number(response.status) || 0;
  const body = bodyOf(response);
  if (status >= 200 && status < 300) {
    return readable(body) ? { kind: 'ok', status, data: body } : { kind: 'error', code: 'bad_response', status };
  }
  const error = (body && body.error) || {};
  let code = typeof error.code === 'string' ? error.code : status ? `http_${status}` : 'network';
  if (status === 413) code = 'payload_too_large'; // Zendesk's proxy may answer 413 itself, without a body
  code = PROXY_CODES[code] || code;
  // 403 manual_search_off is a setting of the service, and domain_not_whitelisted the proxy's refusal
  // to call a host the package does not allow: neither is a refused signature.
  if (status === 401 || (status === 403 && !['manual_search_off', 'domain_not_whitelisted'].includes(code))) {
    return { kind: 'unauthorized', status, code };
  }
  const details = isObject(error.details) ? error.details : {};
  const retryAfter = Number(header(response, 'retry-after')) || Number(details.retry_after_s) || null;
  return { kind: 'error', status, code, retryAfter };
}
