// The local Zendesk ticket page: renders a ticket and hosts the sidebar app over ZAF (zaf_host.js).
import { ZafHost } from './zaf_host.js';
import { makeApi } from './zaf_api.js';
import { ticketEdits } from './ticket_edit.js';

const query = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
const el = (tag, text, attrs = {}) => {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
  return node;
};
// Tests read what the app asked for (e.g. that resize was invoked) from this log.
window.zafLog = [];
const log = (type, ...detail) => window.zafLog.push({ type, detail, at: Date.now() });

// Like Zendesk's currentUser.timeZone; the offset is the named zone's now, not the browser's.
function timeZone(requested) {
  let iana = requested;
  let offsetName;
  try {
    offsetName = new Intl.DateTimeFormat('en-US', { timeZone: iana, timeZoneName: 'longOffset' })
      .formatToParts(new Date()).find((part) => part.type === 'timeZoneName').value;
  } catch {
    iana = 'UTC';
    offsetName = 'GMT';
  }
  const [, sign = '+', hours = '00', minutes = '00'] = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(offsetName) || [];
  const offset = (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes));
  return { ianaName: iana, name: iana.split('/').pop().replace(/_/g, ' '), offset,
    formattedOffset: `GMT${sign}${hours}:${minutes}` };
}

const state = {
  // requester: what the ticket shows (and ZAF reports); saved: the requester Zendesk has stored.
  ticket: null, requester: null, saved: null, author: null, tags: [], subdomain: 'demo',
  colorScheme: query.get('theme') === 'dark' ? 'dark' : 'light',
  agent: {
    id: Number(query.get('agent_id') || 9001), name: query.get('agent') || 'Alex Agent',
    email: 'agent@demo.example', locale: query.get('locale') || 'en-US',
    timeZone: timeZone(query.get('tz') || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'),
    role: query.get('role') || 'agent',
  },
};

const ui = {
  replyText: () => $('reply').value,
  setReply(text) { $('reply').value = text; log('reply', text.length); },
  setSubject(text) { state.ticket.subject = text; $('subject').textContent = text; },
  setTags(tags) { state.tags = tags; renderTags(); },
  resize(height) {
    const frame = document.querySelector('#app-host iframe');
    if (frame) frame.style.height = `${Math.max(0, Math.round(height))}px`;
    log('resize', height);
  },
  notify(text) { $('notice').textContent = text; },
};

function renderTags() {
  const list = $('tags');
  list.replaceChildren(...state.tags.map((t) => el('li', t, { 'data-testid': 'page-tag' })));
}

function renderTicket() {
  const { ticket, requester } = state;
  document.title = `${ticket.subject} – Ticket #${ticket.id}`;
  $('subject').textContent = ticket.subject;
  $('ticket-id').textContent = `#${ticket.id}`;
  $('ticket-status').textContent = ticket.status || 'open';
  $('requester-name').textContent = requester.name || '';
  $('requester-email').textContent = requester.email || '';
  $('requester-input').value = requester.email || '';
  $('requester-unsaved').hidden = requester.id === state.saved.id;
  const bubble = el('li', undefined, { 'data-testid': 'page-comment' });
  // The description was written by whoever requested the ticket when it was loaded, not by a new pick.
  const author = state.author || requester;
  bubble.append(el('span', author.name || author.email || 'Requester', { class: 'author' }),
    document.createTextNode(ticket.description || ''));
  $('comments').replaceChildren(bubble);
  $('ticket-picker').value = String(ticket.id);
  renderTags();
}

function showError(message) {
  $('page-error').textContent = message;
  $('page-error').hidden = !message;
}

async function fetchJson(url, init) {
  const resp = await fetch(url, init);
  const body = await resp.json().catch(() => ({}));
  if (!resp.ok) throw new Error(body.error?.message || `HTTP ${resp.status}`);
  return body;
}

async function loadTicket(id) {
  const data = await fetchJson(`/_page/tickets/${encodeURIComponent(id)}`);
  state.ticket = data.ticket;
  state.requester = data.requester;
  state.saved = data.requester;
  state.author = data.requester;
  state.tags = [...(data.ticket.tags || [])];
  $('reply').value = '';
  renderTicket();
}

function registration(boot, appGuid) {
  return {
    context: { product: 'support', location: 'ticket_sidebar', instanceGuid: appGuid,
      account: { subdomain: boot.subdomain }, ticketId: state.ticket.id },
    metadata: { appId: boot.appId, installationId: boot.installationId, name: boot.name,
      version: boot.version, settings: boot.settings },
  };
}

function mountApp(boot) {
  const appGuid = crypto.randomUUID();
  const frame = el('iframe', undefined, { title: boot.name, 'data-testid': 'page-app-frame' });
  frame.style.height = '200px';
  const src = new URL(boot.appPath, boot.appOrigin);
  src.searchParams.set('origin', location.origin);
  src.searchParams.set('app_guid', appGuid);
  const host = new ZafHost({
    iframe: frame, appOrigin: boot.appOrigin, appGuid, log,
    registration: () => registration(boot, appGuid),
    api: makeApi(state, ui),
    proxy: (options) => fetchJson('/_page/proxy', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ installation: boot.installation, options }),
    }),
  });
  frame.src = src.href;
  $('app-host').replaceChildren(frame);
  return host;
}

function applyTheme(host) {
  document.documentElement.dataset.theme = state.colorScheme;
  $('theme-toggle').setAttribute('aria-pressed', String(state.colorScheme === 'dark'));
  if (host) host.trigger('colorScheme.changed', state.colorScheme);
}

async function switchTicket(host, boot, id) {
  const before = state.requester;
  try {
    await loadTicket(id);
  } catch (err) {
    showError(`Ticket ${id}: ${err.message}`);
    return;
  }
  showError('');
  const url = new URL(location.href);
  url.searchParams.set('ticket', id);
  history.replaceState(null, '', url);
  host.trigger('context.updated', registration(boot, host.appGuid).context);
  host.trigger('ticket.subject.changed', state.ticket.subject);
  if (before?.id !== state.requester.id) host.trigger('ticket.requester.id.changed', state.requester.id);
  if (before?.email !== state.requester.email) {
    host.trigger('ticket.requester.email.changed', state.requester.email);
  }
}

async function main() {
  const settingsQuery = new URLSearchParams([...query].filter(([k]) => k.startsWith('setting.')));
  const [boot, list] = await Promise.all([
    fetchJson(`/_page/boot?${settingsQuery}`), fetchJson('/_page/tickets')]);
  state.subdomain = boot.subdomain;
  $('ticket-picker').replaceChildren(...list.tickets.map((t) => el('option', `#${t.id} ${t.subject}`, { value: t.id })));
  $('agent').textContent = `${state.agent.name} · ${state.agent.locale}`;
  applyTheme(null);
  const first = query.get('ticket') || list.tickets[0]?.id || 1001;
  await loadTicket(first);
  const host = mountApp(boot);
  window.zafHost = host;
  $('ticket-picker').addEventListener('change', (e) => switchTicket(host, boot, e.target.value));
  $('theme-toggle').addEventListener('click', () => {
    state.colorScheme = state.colorScheme === 'dark' ? 'light' : 'dark';
    applyTheme(host);
  });
  const edits = ticketEdits({ state, host, fetchJson, render: renderTicket, showError, notify: ui.notify });
  $('requester-form').addEventListener('submit', (e) => { e.preventDefault(); edits.changeRequester($('requester-input').value); });
  $('reply-form').addEventListener('submit', (e) => { e.preventDefault(); edits.submit(); });
}

main().catch((err) => showError(`The page could not start: ${err.message}`));
