// The reply text inserted for the learner: facts of one match, in the learner's language and zone.
import { formatDate, formatMoney, formatPercent } from './format.js';
import { resolveLocale, translator } from './i18n.js';

const MAX_LINES = 5; // per list: the backend sends the most relevant first; a reply stays readable

/** The language the summary is written in: the learner's, else the agent's UI language. */
export function summaryLocale(learner, fallback = 'en') {
  return learner && learner.language ? resolveLocale(learner.language) : resolveLocale(fallback);
}

/** Plain-text summary of a match for the reply box; options: {locale, showPayments}. */
export function buildSummary(match, { locale = 'en', showPayments = true } = {}) {
  const t = translator(locale);
  const loc = t.locale;
  const learner = match.learner || {};
  const zone = learner.time_zone || 'UTC';
  const lines = [t('summary.intro', { id: learner.id || '' })];
  for (const e of (match.enrolments || []).slice(0, MAX_LINES)) {
    const course = (e.course && (e.course.title || e.course.id)) || '';
    let line = t('summary.enrolment', {
      course, track: t(`track.${e.track}`), progress: formatPercent(e.progress_pct ?? 0, loc),
    });
    if (e.next_deadline && e.next_deadline.due_at) {
      line += t('summary.deadline', {
        title: e.next_deadline.title || '', date: formatDate(e.next_deadline.due_at, loc, zone),
      });
    }
    if (e.certificate && e.certificate.status === 'earned') line += t('summary.certificate');
    lines.push(`- ${line}`);
  }
  if (showPayments) {
    for (const p of (match.payments || []).slice(0, MAX_LINES)) {
      let line = t('summary.order', {
        id: p.id, title: (p.product && p.product.title) || '', amount: formatMoney(p.amount, p.currency, loc),
        status: t(`order.${p.status}`), date: formatDate(p.created_at, loc, zone),
      });
      if (Number(p.refunded_amount) > 0) {
        line += t('summary.refunded', { amount: formatMoney(p.refunded_amount, p.currency, loc) });
      }
      lines.push(`- ${line}`);
    }
    for (const s of match.subscriptions || []) {
      lines.push(`- ${t('summary.subscription', {
        plan: t(`plan.${s.plan}`), status: t(`subscription.${s.status}`),
        date: formatDate(s.current_period_end, loc, zone),
      })}`);
    }
  }
  if (lines.length === 1) lines.push(`- ${t('summary.nothing')}`);
  return `${lines.join('\n')}\n`;
}
