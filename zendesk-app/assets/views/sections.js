// Enrolments, payments and ticket references of a match.
import { h } from '../dom.js';
import { formatDate, formatDateTime, formatMoney, formatPercent, relativeTime } from '../format.js';
import { enrolmentsInOrder, issuesFor, referenceVerdict, soonDue, subscriptionKeys } from '../view-model.js';
import { idWithCopy, longList, pill, section, titleWithCopy } from './parts.js';

const CERT_TONE = { earned: 'success', revoked: 'danger', in_progress: 'neutral', not_eligible: 'neutral' };
const ORDER_TONE = { paid: 'success', refunded: 'neutral', partially_refunded: 'warning', failed: 'danger', pending: 'warning' };

function deadline(ui, next, learnerZone, soon) {
  if (!next || !next.due_at) return h('div', { class: 'muted small' }, ui.t('enrolment.no_deadline'));
  const { t, locale } = ui;
  const title = next.title || (next.kind && t.strict(`deadline.${next.kind}`)) || t('deadline.untitled');
  const when = relativeTime(next.due_at, ui.now, locale); // '' for a date the app cannot read
  return h('div', { class: 'deadline small', testid: 'lc-deadline' },
    // "Deadline soon" says why a long-inactive enrolment sits at the top of the list.
    h('div', {}, soon ? [pill(t('flag.deadline_soon'), 'warning', { testid: 'lc-deadline-soon' }), ' '] : null,
      t('enrolment.next_deadline', { title }), when ? [' · ', when] : null,
      next.extended ? [' ', pill(t('enrolment.extended'), 'warning')] : null),
    zoned(ui, next.due_at, learnerZone));
}

// The learner's and the agent's wall clock; one line when they read the same, none when unreadable.
function zoned(ui, at, learnerZone) {
  const theirs = formatDateTime(at, ui.locale, learnerZone);
  const yours = formatDateTime(at, ui.locale, ui.agentZone);
  if (!yours) return null;
  return theirs === yours
    ? h('div', { class: 'muted' }, ui.t('time.same', { time: yours }))
    : [h('div', { class: 'muted' }, ui.t('time.learner', { time: theirs })), h('div', { class: 'muted' }, ui.t('time.agent', { time: yours }))];
}

function enrolmentRow(ui, e, learnerZone, soon) {
  const { t, locale } = ui;
  const course = e.course || {};
  const pct = Math.max(0, Math.min(100, Number(e.progress_pct) || 0));
  const cert = (e.certificate && e.certificate.status) || 'not_eligible';
  return h('li', { class: 'row', testid: 'lc-enrolment', dataset: { enrolmentId: e.id, soon: String(soon) } },
    titleWithCopy(ui, course.title || course.id || e.id, course.id || e.id),
    h('div', { class: 'muted small' }, [course.partner, t(`track.${e.track}`), t(`enrolment.${e.status}`)]
      .filter(Boolean).join(' · ')),
    h('div', { class: 'progress-line' },
      h('div', {
        class: 'progress', role: 'progressbar', testid: 'lc-progress', 'aria-valuemin': '0',
        'aria-valuemax': '100', 'aria-valuenow': String(pct),
        // Named by its course: a list of bars all called "Progress" tells a screen reader user nothing.
        'aria-label': t('enrolment.progress_in', { course: course.title || course.id || e.id }),
      }, h('span', { class: 'progress-fill', style: { width: `${pct}%` } })),
      h('span', { class: 'small' }, formatPercent(pct, locale))),
    deadline(ui, e.next_deadline, learnerZone, soon),
    h('div', { class: 'small' }, pill(t(`certificate.${cert}`), CERT_TONE[cert] || 'neutral'),
      e.certificate && e.certificate.issued_at ? [' ', formatDate(e.certificate.issued_at, locale, ui.agentZone)] : null));
}

/** The enrolments section of a match: deadlines soon first, so the most urgent is in the first rows. */
export function enrolments(ui, match, issues) {
  const zone = match.learner && match.learner.time_zone;
  const mine = issuesFor(issues, 'enrolments');
  const soon = soonDue(match);
  return section(ui, {
    testid: 'lc-enrolments', title: ui.t('section.enrolments'), issues: mine,
    body: longList(ui, {
      key: `enrolments-${match.learner.id}`, items: enrolmentsInOrder(match), total: match.enrolments_total,
      order: 'soon-first', testid: 'lc-enrolment-list', empty: failedEmpty(ui, match, mine, 'enrolment.none'),
      render: (e) => enrolmentRow(ui, e, zone, soon.has(e.id)),
    }),
  });
}

// A failed section has empty lists: its banner speaks, "No enrolments." would be false. An erased
// account's lists are empty because its records are gone, not because the learner had none.
const failedEmpty = (ui, match, mine, key) => {
  if (mine.some((i) => i.section !== 'courses')) return null;
  return ui.t(match.learner.status === 'erased' ? 'list.erased' : key);
};

function orderRow(ui, p) {
  const { t, locale } = ui;
  const refund = p.refund || {};
  // A fully refunded order's pill already says it, and its amount is on the line above.
  const whole = p.status === 'refunded' && Number(p.refunded_amount) === Number(p.amount);
  const refunded = Number(p.refunded_amount) > 0 && !whole ? formatMoney(p.refunded_amount, p.currency, locale) : null;
  return h('li', { class: 'row', testid: 'lc-order', dataset: { orderId: p.id } },
    h('div', { class: 'row-head id-head' }, idWithCopy(ui, p.id), ' ',
      pill(t(`order.${p.status}`), ORDER_TONE[p.status] || 'neutral')),
    h('div', {}, (p.product && (p.product.title || (p.product.kind && t.strict(`product.${p.product.kind}`)))) || ''),
    h('div', { class: 'muted small' }, [formatMoney(p.amount, p.currency, locale),
      formatDate(p.created_at, locale, ui.agentZone), p.payer && p.payer.kind ? t(`payer.${p.payer.kind}`) : ''].filter(Boolean).join(' · ')),
    refunded ? h('div', { class: 'small' }, t('order.refunded_amount', { amount: refunded })) : null,
    // "No refund: already refunded" under a "Refunded" pill would say it twice.
    refund.reason && refund.reason !== 'already_refunded' ? h('div', { class: `small ${refund.eligible ? 'ok-text' : 'muted'}`, testid: 'lc-refund' },
      refund.eligible
        ? (t.strict('refund.eligible_until', { date: formatDate(refund.until, locale, ui.agentZone) }) || t('refund.eligible'))
        : t('refund.not_eligible', { reason: t.strict(`refund.reason.${refund.reason}`) || refund.reason })) : null);
}

function subscriptionRow(ui, s) {
  const { t, locale } = ui;
  // "Paid until …" ahead, "Unpaid since …" / "Ended on …" behind: no date line when no wording fits.
  const [dated] = subscriptionKeys('subscription.period', s, ui.now);
  const period = t.strict(dated, { date: formatDate(s.current_period_end, locale, ui.agentZone) });
  return h('li', { class: 'row', testid: 'lc-subscription' },
    h('div', { class: 'row-head' }, h('strong', {}, t(`plan.${s.plan}`)), ' ',
      pill(t(`subscription.${s.status}`), s.status === 'active' ? 'success' : s.status === 'past_due' ? 'danger' : 'neutral')),
    h('div', { class: 'muted small' }, [formatMoney(s.amount, s.currency, locale), period].filter(Boolean).join(' · ')));
}

/** The payments section: who pays, subscriptions, orders. */
export function payments(ui, match, issues) {
  const { t } = ui;
  const payer = match.payer; // null when the payments system failed
  // A sponsor with the learner can identify them: masked like the learner's own name until revealed.
  const masked = ui.settings.mask_pii && !ui.revealed.has(match.learner.id);
  const sponsor = payer && payer.sponsor_name ? (masked ? ui.maskName(payer.sponsor_name) : payer.sponsor_name) : '';
  const mine = issuesFor(issues, 'payments');
  const label = t('payer.label'); // "付款方：" carries its own space, "Who pays:" needs one
  return section(ui, {
    testid: 'lc-payments', title: t('section.payments'), issues: mine,
    body: [
      payer && payer.kind
        ? h('p', { testid: 'lc-payer', class: 'small' }, label, label.endsWith('：') ? '' : ' ',
          // "Organisation — Globex", "机构（Globex）": each language joins the sponsor its own way.
          h('strong', {}, sponsor ? t('payer.with_sponsor', { kind: t(`payer.${payer.kind}`), sponsor }) : t(`payer.${payer.kind}`)))
        : null,
      (match.subscriptions || []).length
        ? h('ul', { class: 'rows' }, match.subscriptions.map((s) => subscriptionRow(ui, s))) : null,
      longList(ui, {
        key: `payments-${match.learner.id}`, items: match.payments, total: match.payments_total,
        testid: 'lc-order-list', empty: failedEmpty(ui, match, mine, 'order.none'), render: (p) => orderRow(ui, p),
      }),
    ],
  });
}

const VERDICT_TONE = { matched: 'success', unmatched: 'warning', unchecked: 'neutral', capped: 'neutral' };

// Which of several accounts: its name (masked like its card's header until revealed) and id.
function accountLabel(ui, learner) {
  const masked = ui.settings.mask_pii && !ui.revealed.has(learner.id);
  const name = learner.name ? (masked ? ui.maskName(learner.name) : learner.name) : '';
  return name ? ui.t('reference.account', { name, id: learner.id }) : learner.id;
}

function referenceRow(ui, r, matches, sections) {
  const { t } = ui;
  const { verdict, account } = referenceVerdict(r, matches, sections);
  const says = account ? t('reference.matched_account', { account: accountLabel(ui, account) }) : t(`reference.${verdict}`);
  return h('li', {
    class: 'row compact', testid: 'lc-reference',
    dataset: { kind: r.kind, matched: String(Boolean(r.matched)), verdict: verdict || 'none', learnerId: account && account.id },
  }, idWithCopy(ui, r.value), ' ',
  pill(t(`reference.${r.kind}`), 'neutral'),
  // With no learner on screen "not this learner's" would point at nobody.
  verdict ? [' ', pill(says, VERDICT_TONE[verdict], { testid: 'lc-reference-verdict' })] : null);
}

/** References to courses and orders found in the ticket, and what can be said of whose they are. */
export function references(ui, refs, matches = [], sections = {}) {
  if (!refs || !refs.length) return null;
  return section(ui, {
    testid: 'lc-references', title: ui.t('section.references'),
    body: h('ul', { class: 'rows' }, refs.map((r) => referenceRow(ui, r, matches, sections))),
  });
}
