// One matched account: header, flags, sections, per-account actions.
import { h } from '../dom.js';
import { countryName, formatDate, languageName, localTime } from '../format.js';
import { missingFromSummary } from '../summary.js';
import { adminLink, flagLines, joinList, whyMatched } from '../view-model.js';
import { confirmation, email as emailText, idWithCopy, pill, withIdentifiers } from './parts.js';
import { enrolments, payments } from './sections.js';

const STATUS_TONE = { active: 'success', suspended: 'danger', erased: 'danger' };

function meta(label, value, testid) {
  if (!value) return null;
  return [h('dt', {}, label), h('dd', { testid }, value)];
}

function header(ui, match) {
  const { t, locale } = ui;
  const l = match.learner;
  const masked = ui.settings.mask_pii && !ui.revealed.has(l.id);
  const name = l.name ? (masked ? ui.maskName(l.name) : l.name) : t('learner.no_name');
  const email = l.email ? (masked ? ui.maskEmail(l.email) : l.email) : '';
  return h('header', { class: 'match-head' },
    h('div', { class: 'row-head' },
      h('h2', { class: 'learner-name', testid: 'lc-learner-name' }, name), ' ',
      pill(t(`learner.status.${l.status}`), STATUS_TONE[l.status] || 'neutral',
        { testid: 'lc-learner-status', dataset: { status: l.status } })),
    email ? h('div', { class: 'muted', testid: 'lc-learner-email' }, emailText(email)) : null,
    h('div', { class: 'small' }, idWithCopy(ui, l.id, { tag: 'span', mono: true })),
    h('p', { class: 'small muted', testid: 'lc-match-why' }, withIdentifiers(
      whyMatched(match.matched_by, t, masked ? ui.maskEmail : undefined),
      (match.matched_by || []).map((m) => (m.kind === 'email' && masked ? ui.maskEmail(m.value) : m.value)))),
    h('dl', { class: 'meta small' },
      meta(t('learner.country'), l.country ? countryName(l.country, locale) : '', 'lc-learner-country'),
      meta(t('learner.local_time'), localTime(ui.now, locale, l.time_zone), 'lc-learner-local-time'),
      meta(t('learner.language'), l.language ? languageName(l.language, locale) : '', 'lc-learner-language'),
      meta(t('learner.member_since'), formatDate(l.member_since, locale, ui.agentZone), 'lc-learner-since'),
      meta(t('learner.erased_at'), formatDate(l.erased_at, locale, ui.agentZone), 'lc-learner-erased')),
    // The label says what a press does; aria-pressed with a changing label would announce a contradiction.
    ui.settings.mask_pii ? h('button', {
      type: 'button', class: 'link', testid: 'lc-reveal', dataset: { revealed: String(!masked) },
      'data-key': `reveal-${l.id}`, on: { click: () => ui.act.reveal(l.id) },
    }, masked ? t('action.reveal') : t('action.hide')) : null);
}

function flags(ui, match) {
  const masked = ui.settings.mask_pii && !ui.revealed.has(match.learner.id);
  const lines = flagLines(match, ui.t, { locale: ui.locale, agentZone: ui.agentZone, now: ui.now, mask: masked ? ui.maskName : undefined });
  if (!lines.length) return null;
  return h('ul', { class: 'flags', testid: 'lc-flags', 'aria-label': ui.t('section.flags') }, lines.map((line) => h('li', {
    class: `flag ${line.severity}`, testid: 'lc-flag',
    // A deadline line names the enrolment it is about: the first of the enrolment rows below.
    dataset: { code: line.code, severity: line.severity, count: String(line.count), enrolmentId: line.enrolmentId },
  }, h('strong', {}, line.title), line.detail ? h('div', { class: 'small' }, line.detail) : null)));
}

function actions(ui, match, issues) {
  const { t } = ui;
  const link = adminLink(ui.settings.admin_link_template, match.learner.id);
  const key = `insert-${match.learner.id}`;
  // A summary written while a system is down would leave its part out: the agent decides, knowing.
  const missing = missingFromSummary(issues.map((i) => i.section), ui.settings.show_payments);
  const allowed = ui.settings.allow_insert_reply && match.learner.status !== 'erased'
    && missing.length < (ui.settings.show_payments ? 2 : 1); // with nothing loaded, nothing to insert
  const confirming = allowed && ui.confirming === key;
  // Found by a manual search, the learner may not be the requester the reply goes to.
  const doubts = [
    ui.manual ? t('confirm.manual_insert') : null,
    missing.length ? t('confirm.partial_insert', { sections: joinList(missing.map((name) => t(`section.${name}`)), t) }) : null,
  ].filter(Boolean);
  const insert = allowed && !confirming
    ? h('button', { type: 'button', class: 'btn primary', testid: 'lc-action-insert', 'data-key': key,
      on: { click: () => (doubts.length ? ui.act.confirm(key) : ui.act.insert(match)) } }, t('action.insert'))
    : null;
  const admin = link
    ? h('a', { class: 'btn', href: link, target: '_blank', rel: 'noopener noreferrer', testid: 'lc-action-admin' },
      t('action.admin'))
    : null;
  return [
    confirming ? confirmation(ui, { key, message: doubts.join(t('sentence.separator')), confirmLabel: t('confirm.insert'),
      onConfirm: () => ui.act.insert(match) }) : null,
    insert || admin ? h('div', { class: 'actions' }, insert, admin) : null,
  ];
}

/** The card of one matched account. */
export function matchCard(ui, match, issues) {
  return h('article', { class: 'card', testid: 'lc-match', dataset: { learnerId: match.learner.id } },
    header(ui, match),
    flags(ui, match),
    actions(ui, match, issues),
    enrolments(ui, match, issues),
    ui.settings.show_payments ? payments(ui, match, issues) : null);
}
