// Bootstrap and controller: ZAF handshake, the lookup, actions, rendering and resize.
import { buildBody, configProblems, readResponse, requestOptions } from './api.js';
import { patchInPlace } from './dom.js';
import { feedback, say } from './feedback.js';
import { agentTimeZone, languageName, maskEmail, maskName } from './format.js';
import { formatLocale, loadLocale, loadReplyLocale, resolveLocale, translator } from './i18n.js';
import { searchSuggestions, normaliseManualSearch } from './references.js';
import { readSettings } from './settings.js';
import { buildSummary, summaryLocale } from './summary.js';
import { copyText, resizer, setScheme, watchScheme } from './platform.js';
import { aboutAnotherRequester, joinList, sectionIssues } from './view-model.js';
import { page } from './views/page.js';

const GUARD_MS = 15000; // never spin forever, whatever the proxy does
const HANDSHAKE_MS = 10000; // Zendesk registers an app within a second or two; past this it never will
const CLOCK_MS = 60000; // "Local time" and "due in …" stay true while the panel stays open
const root = document.getElementById('app');
const live = document.getElementById('lc-status');
const results = feedback({
  root, polite: live, assertive: document.getElementById('lc-alert'), resized: () => resizer.now(),
});

const s = {
  client: null, settings: readSettings(), context: {}, ticket: {}, user: {}, t: translator('en'),
  view: { phase: 'loading' }, focusKey: null, manual: null, manualDraft: { kind: 'email', value: '' }, manualError: null,
  expanded: new Set(), revealed: new Set(), ticketTags: [], seq: 0, lastState: null,
  confirming: null, focusNext: null,
};

/** An action's result beside the control keyed `near` (its data-key), and in a live region. */
function tell(near, key, params, { tone = 'ok', spoken } = {}) {
  results.show(s.t(key, params), { near, tone, spoken });
}
const failed = (near, key = 'feedback.action_failed') => tell(near, key, {}, { tone: 'error' });

/** A confirmed action goes ahead: its confirmation gives way to the control, which keeps the focus. */
function settle(key) {
  if (s.confirming !== key) return;
  s.confirming = null;
  s.focusNext = key;
  render();
}

const act = {
  refresh: () => lookup({ refresh: true }),
  reload: () => location.reload(),
  toggle: (key) => { s.expanded.has(key) ? s.expanded.delete(key) : s.expanded.add(key); render(); },
  reveal: (id) => { s.revealed.has(id) ? s.revealed.delete(id) : s.revealed.add(id); render(); },
  copy: (value) => copyText(value).then(
    () => tell(`copy-${value}`, 'feedback.copied', {}, { spoken: s.t('feedback.copied_value', { value }) }),
    () => failed(`copy-${value}`, 'feedback.copy_failed')),
  back: () => { s.manual = null; lookup({}); },
  draft: (kind, value) => { s.manualDraft = { kind, value }; },
  manual: (kind, value) => {
    const checked = normaliseManualSearch(kind, value);
    s.manualDraft = { kind, value };
    if (checked.error) { s.manualError = checked.error; render(); return; }
    s.manualError = null;
    s.manual = checked;
    lookup({});
  },
  // A manual search may have found someone other than the requester: writing that learner's details
  // into the reply, or their tags onto the ticket, waits for the agent to confirm it.
  confirm: (key) => { s.confirming = key; s.focusNext = `confirm-${key}`; render(); },
  cancelConfirm: (key) => { s.confirming = null; s.focusNext = key; render(); },
  insert: async (match) => {
    settle(`insert-${match.learner.id}`);
    try {
      const locale = await loadReplyLocale(summaryLocale(match.learner, s.t.locale));
      const down = s.view.data ? sectionIssues(s.view.data.sections).map((i) => i.section) : [];
      const text = buildSummary(match, { locale, showPayments: s.settings.show_payments, now: new Date(), failed: down });
      await s.client.invoke('comment.appendText', text);
      // The reply is in the learner's language, which may not be the agent's: say which.
      const language = languageName(locale, formatLocale(s.user.locale, s.t.locale)) || locale;
      tell(`insert-${match.learner.id}`, 'feedback.inserted', { language });
    } catch {
      failed(`insert-${match.learner.id}`);
    }
  },
  addTags: (tags) => {
    settle('tags');
    s.client.invoke('ticket.tags.add', tags).then(() => {
      s.ticketTags = [...new Set([...s.ticketTags, ...tags])];
      render();
      tell('tags', 'feedback.tags_added', { tags: joinList(tags, s.t) });
    }, () => failed('tags'));
  },
};

function uiState() {
  return {
    t: s.t, locale: formatLocale(s.user.locale, s.t.locale), agentZone: agentTimeZone(s.user.timeZone), now: new Date(), settings: s.settings,
    expanded: s.expanded, revealed: s.revealed, act, manual: s.manual, manualDraft: s.manualDraft,
    manualError: s.manualError, ticketTags: s.ticketTags, maskEmail, maskName, confirming: s.confirming,
    suggestions: searchSuggestions(s.ticket.subject, s.ticket.description),
  };
}

function render() {
  const ui = uiState();
  // Keep keyboard focus on the same control across re-renders, even through a loading skeleton.
  const focusKey = s.focusNext || (document.activeElement && document.activeElement.getAttribute('data-key')) || s.focusKey;
  s.focusNext = null;
  let drawn;
  try {
    drawn = page(ui, s.view);
  } catch {
    // An answer the views cannot draw (a shape the checks let through) is an unreadable answer, not a freeze.
    if (s.view.phase === 'error') throw new Error('the error state itself failed to draw');
    s.view = { phase: 'error', error: { code: 'bad_response', status: 0 } };
    render();
    return;
  }
  const { state, nodes, spoken = state } = drawn;
  root.replaceChildren(...nodes.flat(Infinity).filter(Boolean));
  root.dataset.state = state;
  const again = focusKey && root.querySelector(`[data-key="${CSS.escape(focusKey)}"]`);
  if (again) again.focus();
  s.focusKey = state === 'loading' && !again ? focusKey : null;
  results.place(); // after focus is back: beside the very control the agent used
  if (spoken !== s.lastState) say(live, s.t(`announce.${spoken}`));
  s.lastState = spoken;
  resizer.now();
}

async function lookup({ refresh = false }) {
  const problems = configProblems(s.settings);
  if (problems.length) { s.view = { phase: 'not-configured', problems }; render(); return; }
  const seq = ++s.seq; // a newer lookup (requester changed, refresh) wins over a slower older one
  results.clear(); // what the last action did is about the answer being replaced
  s.confirming = null;
  s.view = { phase: 'loading' };
  render();
  const body = buildBody(s.ticket, { refresh, manual: s.manual });
  const options = requestOptions(s.settings, s.context, s.user, body);
  let result;
  let timer;
  try {
    const call = s.client.request(options).then(readResponse, readResponse);
    const guard = new Promise((resolve) => { timer = setTimeout(resolve, GUARD_MS, { kind: 'error', code: 'timeout', status: 0 }); });
    result = await Promise.race([call, guard]);
  } catch {
    result = { kind: 'error', code: 'network', status: 0 };
  } finally {
    clearTimeout(timer);
  }
  if (seq !== s.seq) return;
  if (result.kind === 'ok' && aboutAnotherRequester(result.data, s.ticket.requester)) {
    s.view = { phase: 'requester-unsaved' }; // the answer is the saved requester's: drop it unseen
  } else if (result.kind === 'ok') s.view = { phase: 'ready', data: result.data };
  else s.view = { phase: result.kind === 'unauthorized' ? 'unauthorized' : 'error', error: result };
  render();
}

/** A new requester starts from scratch: no manual search, nothing revealed or expanded. */
function forget() {
  s.manual = null;
  s.confirming = null;
  s.revealed.clear();
  s.expanded.clear();
}

async function loadTicket() {
  const paths = ['ticket.requester', 'ticket.id', 'ticket.subject', 'ticket.description', 'ticket.tags', 'currentUser'];
  const got = await s.client.get(paths).catch(() => ({}));
  s.ticket = {
    requester: got['ticket.requester'] || {}, id: got['ticket.id'] ?? s.context.ticketId,
    subject: got['ticket.subject'] || '', description: got['ticket.description'] || '',
  };
  s.ticketTags = Array.isArray(got['ticket.tags']) ? got['ticket.tags'] : [];
  s.user = got.currentUser || {};
  s.t = await uiTranslator(s.user.locale);
  document.documentElement.lang = s.t.locale;
}

/** The agent's catalog; English when it fails to load (the catalogs share their keys, so only then). */
async function uiTranslator(tag) {
  const code = await loadLocale(resolveLocale(tag)).catch(() => loadLocale('en')).catch(() => 'en');
  return translator(code);
}

async function start() {
  // No ZAFClient: Zendesk's SDK script did not load (network, proxy or CSP); init() false: not in Zendesk.
  const client = window.ZAFClient ? window.ZAFClient.init() : undefined;
  if (!client) {
    s.t = await uiTranslator(navigator.language);
    s.view = { phase: 'error', error: { code: client === undefined ? 'no_sdk' : 'no_zaf', status: 0 } };
    render();
    return;
  }
  s.client = client;
  resizer.start((height) => client.invoke('resize', { width: '100%', height: `${height}px` }));
  watchScheme(client);
  let registered = false;
  const handshake = setTimeout(async () => {
    const t = await uiTranslator(navigator.language);
    if (registered) return; // registration came while the catalog loaded: it wins
    s.t = t;
    s.view = { phase: 'error', error: { code: 'no_handshake', status: 0 } };
    render();
  }, HANDSHAKE_MS);
  client.on('app.registered', async (data) => {
    clearTimeout(handshake);
    if (!registered) setInterval(redrawClock, CLOCK_MS); // once, however often the host registers us
    registered = true;
    s.settings = readSettings((data && data.metadata && data.metadata.settings) || {});
    s.context = (data && data.context) || {};
    await loadTicket();
    lookup({});
  });
  client.on('app.activated', redrawClock);
  let refreshPending = false; // whether the look-up waiting out the debounce must read afresh
  const requery = (refresh) => {
    // The answer in flight, or shown, may be about the old requester: retire it now, not after the debounce.
    s.seq += 1;
    s.view = { phase: 'loading' };
    render();
    refreshPending = refreshPending || refresh;
    clearTimeout(requery.timer);
    requery.timer = setTimeout(async () => {
      const fresh = refreshPending;
      refreshPending = false;
      const before = s.ticket.requester && s.ticket.requester.id;
      await loadTicket();
      if (!fresh || s.ticket.requester.id !== before) forget();
      lookup({ refresh: fresh });
    }, 300);
  };
  client.on('ticket.requester.email.changed', () => requery(false));
  client.on('ticket.requester.id.changed', () => requery(false));
  // Saved (by this agent, or updated by someone else): Zendesk now has the requester the ticket shows,
  // while the backend may still hold the one it read before (LC_ZENDESK_CACHE_TTL_S): ask afresh.
  client.on('ticket.submit.done', () => requery(true));
  client.on('ticket.updated', () => requery(true));
}

/** Redraw a shown answer so relative times and the learner's local time follow the clock; never
 * under the agent's hands: not while they type in the manual search, and texts change in place so a
 * selection or a screen reader's position survives (a changed layout waits for a minute without a
 * selection in the panel). */
function redrawClock() {
  const typing = document.activeElement && ['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement.tagName);
  if (s.view.phase !== 'ready' || document.hidden || typing) return;
  let nodes;
  try {
    nodes = page(uiState(), s.view).nodes.flat(Infinity).filter(Boolean);
  } catch {
    render(); // render turns an undrawable answer into its error state
    return;
  }
  if (patchInPlace(root, nodes)) resizer.now();
  else if (!selectingIn(root)) render();
}

function selectingIn(el) {
  const selection = document.getSelection();
  return Boolean(selection && !selection.isCollapsed && el.contains(selection.anchorNode));
}

setScheme(null);
start();
