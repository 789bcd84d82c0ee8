// The whole-panel states: loading, not found + manual search, error, not configured, unauthorized,
// requester changed but not saved.
import { h } from '../dom.js';

/** Skeleton shown while the backend answers. */
export function loading(ui) {
  const bar = (cls) => h('div', { class: `skeleton ${cls}` });
  return h('div', { testid: 'lc-loading', 'aria-busy': 'true', 'aria-label': ui.t('state.loading') },
    bar('w60 tall'), bar('w40'), bar('w80'), bar('w100 block'), bar('w100 block'));
}

/** The manual search form (email / learner id / order id), with one-click suggestions from the ticket. */
export function manualForm(ui, suggestions = []) {
  const { t } = ui;
  const kindSel = h('select', { id: 'lc-manual-kind', testid: 'lc-manual-kind', name: 'kind' },
    ['email', 'learner_id', 'order_id'].map((k) => h('option', { value: k, selected: ui.manualDraft.kind === k }, t(`manual.kind.${k}`))));
  const input = h('input', {
    id: 'lc-manual-value', testid: 'lc-manual-value', name: 'value', type: 'text', autocomplete: 'off',
    value: ui.manualDraft.value || '', 'aria-describedby': ui.manualError ? 'lc-manual-error' : null,
    'aria-invalid': ui.manualError ? 'true' : null, 'data-key': 'manual-value',
  });
  const submit = (event) => {
    event.preventDefault();
    ui.act.manual(kindSel.value, input.value);
  };
  // What is typed survives any re-render (a refresh elsewhere, the clock), not only a submit.
  const keep = () => ui.act.draft(kindSel.value, input.value);
  const found = t('manual.found_in_ticket'); // "工单中发现：" carries its own space, "Found in the ticket:" needs one
  return h('form', { class: 'manual', testid: 'lc-manual-form', role: 'search', novalidate: true,
    on: { submit, input: keep, change: keep } },
    // Visible labels, not aria-label: a sighted agent sees what the empty field is for, and its name is that text.
    h('div', { class: 'field' }, h('label', { for: 'lc-manual-kind', class: 'small' }, t('manual.search_by')), kindSel),
    h('div', { class: 'field' }, h('label', { for: 'lc-manual-value', class: 'small' }, t('manual.value')), input),
    ui.manualError ? h('p', { id: 'lc-manual-error', class: 'error-text small', testid: 'lc-manual-error', role: 'alert' },
      t(`manual.error.${ui.manualError}`)) : null,
    h('button', { type: 'submit', class: 'btn primary', testid: 'lc-manual-submit', 'data-key': 'manual-submit' }, t('manual.submit')),
    suggestions.length ? h('div', { class: 'small suggestions' }, found, found.endsWith('：') ? '' : ' ',
      suggestions.map((s) => h('button', {
        type: 'button', class: 'link', testid: 'lc-manual-suggestion', 'data-key': `suggest-${s.value}`,
        on: { click: () => ui.act.manual(s.kind, s.value) },
      }, s.value))) : null);
}

/** No account for the requester: say so and offer the manual search. */
export function notFound(ui, suggestions) {
  return h('div', { testid: 'lc-not-found', class: 'card' },
    h('h2', {}, ui.t(ui.manual ? 'notfound.manual_title' : 'notfound.title')),
    h('p', { class: 'muted' }, ui.t(ui.manual ? 'notfound.manual_body' : 'notfound.body')),
    manualForm(ui, suggestions));
}

/** A failure in plain words with a retry. */
export function errorState(ui, error) {
  const { t } = ui;
  const known = ['timeout', 'network', 'bad_response', 'rate_limited', 'no_sdk', 'no_zaf', 'no_handshake', 'no_identifier',
    'ticket_mismatch', 'ticket_required', 'manual_search_off', 'ticket_not_found', 'requester_not_found',
    'payload_too_large', 'domain_not_whitelisted'];
  // Without a usable requester the manual search is the way forward (unless the service turned it off).
  const search = ['no_identifier', 'requester_not_found'].includes(error.code);
  let key = error.status === 429 ? 'rate_limited' : known.includes(error.code) ? error.code : 'generic';
  if (key === 'rate_limited' && !error.retryAfter) key = 'rate_limited_soon';
  // Without a client (no SDK, no handshake) there is nothing to retry with: only loading the app again helps.
  const reload = ['no_sdk', 'no_handshake'].includes(error.code);
  // Refusals that the same request meets again: a Retry would only show this card once more.
  const futile = ['no_zaf', 'domain_not_whitelisted', 'payload_too_large', 'manual_search_off'].includes(error.code);
  return h('div', { testid: 'lc-error', class: 'card', role: 'alert', dataset: { code: error.code } },
    h('h2', {}, t('error.title')),
    h('p', {}, t(`error.${key}`, { seconds: error.retryAfter || '' })),
    error.status ? h('p', { class: 'muted small' }, t('error.reference', { code: error.code })) : null,
    futile ? null : reload ? reloadButton(ui) : h('button', {
      type: 'button', class: `btn${search ? '' : ' primary'}`, testid: 'lc-error-retry', 'data-key': 'error-retry',
      on: { click: () => ui.act.refresh() },
    }, t('action.retry')),
    search ? manualForm(ui, ui.suggestions) : null);
}

function reloadButton(ui) {
  return h('button', {
    type: 'button', class: 'btn primary', testid: 'lc-reload', 'data-key': 'reload',
    on: { click: () => ui.act.reload() },
  }, ui.t('action.reload'));
}

/** Settings missing: tell the admin exactly which. */
export function notConfigured(ui, problems) {
  const { t } = ui;
  return h('div', { testid: 'lc-not-configured', class: 'card' },
    h('h2', {}, t('config.title')),
    h('p', {}, t('config.body')),
    h('ul', { class: 'small' }, problems.map((p) => h('li', { dataset: { setting: p } }, h('strong', {}, t(`config.setting.${p}`)), ' — ', t(`config.help.${p}`)))),
    h('p', { class: 'muted small' }, t('config.where')),
    reloadButton(ui)); // settings saved in Admin Center reach an app that loads again
}

/** Backend refused our token: what the admin must check. */
export function unauthorized(ui, error) {
  const { t } = ui;
  return h('div', { testid: 'lc-unauthorized', class: 'card', role: 'alert', dataset: { status: String(error.status) } },
    h('h2', {}, t('unauthorized.title')),
    h('p', {}, t(error.status === 403 ? 'unauthorized.forbidden' : 'unauthorized.body')),
    h('ul', { class: 'small' }, h('li', {}, t('unauthorized.check_secret')), h('li', {}, t('unauthorized.check_issuer'))),
    h('button', { type: 'button', class: 'btn', testid: 'lc-error-retry', 'data-key': 'auth-retry',
      on: { click: () => ui.act.refresh() } }, t('action.retry')));
}

/** The agent picked another requester and has not saved the ticket: nothing about either learner, and
 * no action that could put the previous requester's data into a reply to the new one. */
export function requesterUnsaved(ui) {
  const { t } = ui;
  return h('div', { testid: 'lc-requester-unsaved', class: 'card' },
    h('h2', {}, t('requester.unsaved_title')),
    h('p', {}, t('requester.unsaved_body')));
}
