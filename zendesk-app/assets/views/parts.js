// Small shared pieces: section frame, partial banner, "show all", copy button, pills.
import { h } from '../dom.js';
import { formatDateTime, splitAround } from '../format.js';
import { listView } from '../view-model.js';

/** A titled section with its partial banners; body is a list of nodes. */
export function section(ui, { testid, title, issues = [], body }) {
  return h('section', { class: 'section', testid, 'aria-label': title },
    h('h3', { class: 'section-title' }, title),
    issues.map((issue) => banner(ui, issue)),
    body);
}

/** "Payments unavailable — data as of 10:02" with a retry button. */
export function banner(ui, issue) {
  const { t } = ui;
  const asOf = issue.as_of
    ? t('partial.as_of', { time: formatDateTime(issue.as_of, ui.locale, ui.agentZone) })
    : t('partial.no_data');
  return h('div', {
    // No role=status: the panel's one live region already says that some systems did not answer;
    // a region per banner made a screen reader say it again for every failed section.
    class: 'banner warning', testid: 'lc-section-status',
    dataset: { section: issue.section, status: issue.status },
  },
  // Two sentences: a space between them in English and French, none after Chinese "。".
  h('span', {}, t('partial.message', { section: t(`section.${issue.section}`), status: t(`status.${issue.status}`) }),
    t('sentence.separator'), h('span', { class: 'muted' }, asOf)),
  h('button', { type: 'button', class: 'btn small', testid: 'lc-section-retry', 'data-key': `retry-${issue.section}`,
    on: { click: () => ui.act.refresh() } }, t('action.retry')));
}

/** A list showing the first items plus a "show all" toggle with aria-expanded; honest about the cap. */
export function longList(ui, { key, items, total, render, testid, empty, order }) {
  const list = items || [];
  const expanded = ui.expanded.has(key);
  const { shown, label, capped, note: capNote } = listView(list, expanded, total, order);
  if (!shown.length && !capped) return empty ? h('p', { class: 'muted' }, empty) : null;
  const listId = `list-${key}`;
  const toggle = label
    ? h('button', {
      type: 'button', class: 'link', testid: 'lc-show-all', 'aria-expanded': String(expanded),
      'aria-controls': listId, 'data-key': `toggle-${key}`, on: { click: () => ui.act.toggle(key) },
    }, ui.t(label.key, numbers(ui, label.params)))
    : null;
  // The backend sends LC_MAX_ITEMS of them: say which once the toggle no longer does.
  const note = capped && (expanded || !toggle)
    ? h('p', { class: 'muted small', testid: 'lc-list-capped' }, ui.t(capNote.key, numbers(ui, capNote.params)))
    : null;
  return [h('ul', { class: 'rows', id: listId, testid }, shown.map(render)), toggle, note];
}

// Counts in the UI language's digits and grouping ("1,000", "1 000").
const numbers = (ui, params) => Object.fromEntries(Object.entries(params)
  .map(([k, v]) => [k, new Intl.NumberFormat(ui.locale).format(v)]));

/**
 * A bold title with its copy button glued to the last character: long titles wrap (any script)
 * and the icon stays right after the last word, never alone on a line nor pushed to the edge.
 */
export function titleWithCopy(ui, title, value) {
  const chars = Array.from(String(title).trim());
  return h('div', { class: 'row-title' }, h('strong', {}, chars.slice(0, -1).join(''),
    h('span', { class: 'nowrap' }, chars.slice(-1).join(''), '\u00a0', copyButton(ui, value))));
}

/**
 * An id with its copy button, never broken inside and never parted from its icon: "ORD-2026-005530"
 * split over three lines reads as three wrong ids. The heading row around it wraps instead.
 */
export function idWithCopy(ui, value, { tag = 'strong', mono = false } = {}) {
  return h('span', { class: 'nowrap ident' }, h(tag, { class: mono ? 'mono' : null }, value), '\u00a0',
    copyButton(ui, value));
}

/**
 * An email that breaks, if at all, only after its "@" (a <wbr>): each half is kept whole unless it is
 * longer than a whole line, where it breaks anywhere rather than run out of the panel.
 */
export function email(address) {
  const text = String(address || '');
  const at = text.indexOf('@');
  if (at < 0) return h('span', { class: 'ident' }, text);
  return h('span', { class: 'email' }, h('span', {}, text.slice(0, at + 1)), h('wbr'), h('span', {}, text.slice(at + 1)));
}

/** A sentence whose identifiers (ids, emails) are kept whole as above. */
export function withIdentifiers(text, values) {
  return splitAround(text, values).map((part) => {
    if (!part.value) return part.text;
    return part.text.includes('@') ? email(part.text) : h('span', { class: 'ident' }, part.text);
  });
}

/** A button copying an id to the clipboard. */
export function copyButton(ui, value) {
  return h('button', {
    type: 'button', class: 'icon-btn', testid: 'lc-copy-id', dataset: { value },
    'data-key': `copy-${value}`, 'aria-label': ui.t('action.copy_id', { id: value }),
    title: ui.t('action.copy_id', { id: value }), on: { click: () => ui.act.copy(value) },
  }, copyIcon());
}

const SVG = 'http://www.w3.org/2000/svg';

function copyIcon() {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  for (const [x, y] of [[5, 5], [2, 2]]) {
    const rect = document.createElementNS(SVG, 'rect');
    for (const [k, v] of Object.entries({ x, y, width: 9, height: 9, rx: 1.5 })) rect.setAttribute(k, String(v));
    svg.append(rect);
  }
  return svg;
}

/** A coloured tag-like label. */
export const pill = (text, tone = 'neutral', attrs = {}) => h('span', { class: `pill ${tone}`, ...attrs }, text);

/** In place of an action that needs a second thought: why, then "… anyway" and Cancel. */
export function confirmation(ui, { key, message, confirmLabel, onConfirm }) {
  const id = `lc-confirm-${key}`;
  return h('div', { class: 'banner warning confirm', role: 'group', 'aria-labelledby': id, testid: 'lc-confirm',
    dataset: { action: key } },
  h('p', { id, class: 'small' }, message),
  h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'btn primary', testid: 'lc-confirm-yes', 'data-key': `confirm-${key}`,
      on: { click: onConfirm } }, confirmLabel),
    h('button', { type: 'button', class: 'btn', testid: 'lc-confirm-cancel', 'data-key': `cancel-${key}`,
      on: { click: () => ui.act.cancelConfirm(key) } }, ui.t('action.cancel'))));
}
