// The reply text inserted for the learner: facts of one match, in the learner's language and zone.
import { formatDate, formatMoney, formatPercent } from './format.js';
import { REPLY_CATALOGS, resolveLocale, translator } from './i18n.js';
import { subscriptionKeys } from './view-model.js';

const MAX_LINES = 5; // per list: the backend sends the most relevant first; a reply stays readable

/** The language the summary is written in: the learner's, else the agent's UI language. */
export function summaryLocale(learner, fallback = 'en') {
  return learner && learner.language ? resolveLocale(learner.language) : resolveLocale(fallback);
}

/** The first of keys whose placeholders all have values ('' when none has): never a "{title}" for the learner. */
function firstComplete(t, keys, params) {
  for (const key of keys) {
    const text = t.strict(key, params);
    if (text !== null) return text;
  }
  return '';
}

/**
 * An order's state inside the sentence: lower-case where the language wants it ("$59.00, payment
 * failed"), and a partial refund says how much once, not "refunded, … refunded".
 */
function orderState(t, p, loc) {
  const words = t.strict(`summary.order_status.${p.status}`) || t(`order.${p.status}`);
  const partial = p.status === 'partially_refunded' && Number(p.refunded_amount) > 0;
  return partial ? words + t('summary.refunded', { amount: formatMoney(p.refunded_amount, p.currency, loc) }) : words;
}

/** The sections a reply summary is made of that did not load (of failed section names): the summary
 * leaves them out, and must not say the learner has none. */
export function missingFromSummary(failed, showPayments = true) {
  return ['enrolments', 'payments'].filter((name) => (failed || []).includes(name) && (name !== 'payments' || showPayments));
}

/**
 * Plain-text summary of a match for the reply box; options: {locale, showPayments, now, failed}.
 * failed: the sections that did not load; what they hold is left out, never written as "none".
 */
export function buildSummary(match, { locale = 'en', showPayments = true, now = new Date(), failed = [] } = {}) {
  const t = translator(locale, REPLY_CATALOGS); // load it first: loadReplyLocale
  const loc = t.locale;
  const learner = match.learner || {};
  const zone = learner.time_zone || 'UTC';
  const lines = [t('summary.intro', { id: learner.id || '' })];
  const missing = missingFromSummary(failed, showPayments);
  const enrolments = missing.includes('enrolments') ? [] : match.enrolments || [];
  for (const e of enrolments.slice(0, MAX_LINES)) {
    const course = (e.course && (e.course.title || e.course.id)) || e.id || '';
    const known = e.progress_pct !== null && e.progress_pct !== undefined;
    let line = firstComplete(t, ['summary.enrolment', 'summary.enrolment_no_progress'], {
      course, track: t(`track.${e.track}`), progress: known ? formatPercent(e.progress_pct, loc) : '',
    });
    const next = e.next_deadline;
    if (next && next.due_at) {
      line += firstComplete(t, ['summary.deadline', 'summary.deadline_untitled'], {
        title: next.title || (next.kind && t.strict(`deadline.${next.kind}`)) || '',
        date: formatDate(next.due_at, loc, zone),
      });
    }
    if (e.certificate && e.certificate.status === 'earned') line += t('summary.certificate');
    lines.push(`- ${line}`);
  }
  if (showPayments && !missing.includes('payments')) {
    for (const p of (match.payments || []).slice(0, MAX_LINES)) {
      lines.push(`- ${firstComplete(t, ['summary.order', 'summary.order_untitled', 'summary.order_undated', 'summary.order_bare'], {
        id: p.id, title: (p.product && p.product.title) || '', amount: formatMoney(p.amount, p.currency, loc),
        status: orderState(t, p, loc), date: formatDate(p.created_at, loc, zone),
      })}`);
    }
    for (const s of match.subscriptions || []) {
      // Worded for its state and for whether the date is past: "past due since …", "ended on …".
      const line = firstComplete(t, subscriptionKeys('summary.subscription', s, now), {
        plan: t(`plan.${s.plan}`), date: formatDate(s.current_period_end, loc, zone),
      });
      if (line) lines.push(`- ${line}`);
    }
  }
  if (lines.length === 1 && !missing.length) lines.push(`- ${t('summary.nothing')}`);
  return `${lines.join('\n')}\n`;
}
