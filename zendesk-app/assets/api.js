// The backend call: request body and ZAF request options, and reading the proxy's answer.

export const JWT_EXPIRY_S = 120;
export const REQUEST_TIMEOUT_MS = 10000;
const MAX_TEXT = 8000;

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
  if (requester.email && !emails.includes(requester.email)) emails.unshift(requester.email);
  const who = {};
  if (requester.email) who.email = requester.email;
  if (emails.length) who.emails = emails;
  if (requester.externalId) who.external_id = String(requester.externalId);
  if (requester.name) who.name = requester.name;
  const body = {
    requester: who,
    ticket: {
      id: Number(ticket.id) || null,
      subject: String(ticket.subject || '').slice(0, 500),
      text: String(ticket.description || '').slice(0, MAX_TEXT),
    },
    refresh: Boolean(refresh),
  };
  if (manual) body.manual_search = { kind: manual.kind, value: manual.value };
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

/** Classify what client.request resolved or rejected with: {kind: ok|unauthorized|error, ...}. */
export function readResponse(response) {
  if (!response || typeof response !== 'object') return { kind: 'error', code: 'network', status: 0 };
  const status = Number(response.status) || 0;
  const body = bodyOf(response);
  if (status >= 200 && status < 300) {
    if (!body || !Array.isArray(body.matches) || typeof body.sections !== 'object') {
      return { kind: 'error', code: 'bad_response', status };
    }
    return { kind: 'ok', status, data: body };
  }
  const error = (body && body.error) || {};
  const code = typeof error.code === 'string' ? error.code : status ? `http_${status}` : 'network';
  // 403 manual_search_off is a setting of the service, not a refused signature.
  if (status === 401 || (status === 403 && code !== 'manual_search_off')) return { kind: 'unauthorized', status, code };
  const retryAfter = Number(header(response, 'retry-after')) || null;
  return { kind: 'error', status, code, retryAfter };
}
