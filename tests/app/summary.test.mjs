// summary: the reply text in the learner's language, dates in the learner's zone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadAll } from '../../zendesk-app/assets/i18n.js';
import { buildSummary, missingFromSummary, summaryLocale } from '../../zendesk-app/assets/summary.js';

await loadAll();

const flat = (s) => s.replace(/[\u202f\u00a0]/g, ' ');
const NOW = '2026-11-24T00:00:00Z'; // the fixture's orders are days old, its subscription renews in a week
const match = (language, zone) => ({
  learner: { id: 'L-0000123', name: 'Amélie Durand', language, time_zone: zone },
  enrolments: [{
    id: 'E-1', course: { id: 'C-0042', title: 'Data Science 101' }, track: 'verified', status: 'active', progress_pct: 45,
    next_deadline: { title: 'Quiz 2', kind: 'exam', due_at: '2026-11-27T23:30:00Z' }, certificate: { status: 'in_progress' },
  }],
  payments: [{
    id: 'ORD-2026-004217', created_at: '2026-11-20T10:00:00Z', status: 'partially_refunded', amount: '49.00', currency: 'EUR',
    product: { kind: 'course_certificate', title: 'Certificate' }, refunded_amount: '10.00',
  }],
  subscriptions: [{ id: 'S-1', plan: 'monthly', status: 'active', current_period_end: '2026-12-01T00:00:00Z', amount: '39.00', currency: 'EUR' }],
});

test('the summary is written in the learner\'s language, whatever the agent\'s', () => {
  assert.equal(summaryLocale({ language: 'fr' }, 'en'), 'fr');
  assert.equal(summaryLocale({ language: 'zh' }, 'fr'), 'zh-CN');
  assert.equal(summaryLocale({ language: 'de' }, 'fr'), 'en');
  assert.equal(summaryLocale({ language: null }, 'fr'), 'fr');
});

test('English summary lists enrolments, orders and subscriptions', () => {
  assert.equal(flat(buildSummary(match('en', 'America/New_York'), { locale: 'en', now: NOW })), [
    'Here is what we see on your account (L-0000123):',
    '- Data Science 101 (Verified): 45% completed; next deadline: Quiz 2 on Nov 27, 2026',
    '- Order ORD-2026-004217 (Certificate) of Nov 20, 2026: €49.00, partially refunded (€10.00)',
    '- Monthly subscription: active, paid until Nov 30, 2026',
    '',
  ].join('\n'));
});

test('French summary uses French words, numbers and the learner\'s zone', () => {
  const text = flat(buildSummary(match('fr', 'Europe/Paris'), { locale: 'fr', now: NOW }));
  assert.match(text, /^Voici ce que nous voyons sur votre compte \(L-0000123\) :/);
  assert.match(text, /Data Science 101 \(Certifiant\) : 45 % effectué ; prochaine échéance : Quiz 2 le 28 nov\. 2026/);
  assert.match(text, /49,00 €, partiellement remboursée \(10,00 €\)/);
});

test('Chinese summary uses Chinese words and the learner\'s zone', () => {
  const text = buildSummary(match('zh', 'Asia/Shanghai'), { locale: 'zh-CN', now: NOW });
  assert.match(text, /^以下是我们在您的账户（L-0000123）中看到的信息：/);
  assert.match(text, /Data Science 101（认证）：已完成 45%；下一个截止日期：Quiz 2，2026年11月28日/);
  assert.match(text, /月度订阅：有效，已付费至 2026年12月1日/);
});

test('payments stay out of the summary when the admin hides them', () => {
  const text = buildSummary(match('en', 'UTC'), { locale: 'en', showPayments: false });
  assert.ok(!text.includes('ORD-2026-004217'));
  assert.ok(!text.includes('subscription'));
});

test('long histories are cut to five lines per list to keep the reply readable', () => {
  const m = match('en', 'UTC');
  m.enrolments = Array.from({ length: 8 }, (_, i) => ({ ...m.enrolments[0], course: { title: `Course ${i}` } }));
  const lines = buildSummary(m, { locale: 'en' }).split('\n').filter((l) => l.includes('Course '));
  assert.deepEqual(lines.map((l) => l.split(' (')[0]), ['- Course 0', '- Course 1', '- Course 2', '- Course 3', '- Course 4']);
});

test('an account with nothing yet still gets a sentence', () => {
  const text = buildSummary({ learner: { id: 'L-0000001' }, enrolments: [], payments: [], subscriptions: [] }, { locale: 'en' });
  assert.equal(text, 'Here is what we see on your account (L-0000001):\n- no enrolments or orders yet.\n');
});

test('a section that did not load is left out of the summary, never written as "none"', () => {
  const down = buildSummary({ learner: { id: 'L-0000001' }, enrolments: [], payments: [], subscriptions: [] },
    { locale: 'en', failed: ['enrolments', 'payments'] });
  assert.equal(down, 'Here is what we see on your account (L-0000001):\n');
  assert.doesNotMatch(down, /no enrolments|no .*orders/);
  const noPayments = flat(buildSummary(match('en', 'UTC'), { locale: 'en', now: NOW, failed: ['payments', 'courses'] }));
  assert.match(noPayments, /Data Science 101/);
  assert.doesNotMatch(noPayments, /ORD-|subscription|no enrolments or orders/);
  for (const locale of ['fr', 'zh-CN']) {
    const text = buildSummary({ learner: { id: 'L-1' }, enrolments: [], payments: [] }, { locale, failed: ['enrolments', 'payments'] });
    assert.equal(text.split('\n').filter(Boolean).length, 1, locale); // the opening line only
  }
});

test('what the summary would miss: the failed sections it is made of', () => {
  assert.deepEqual(missingFromSummary(['learner', 'payments', 'courses']), ['payments']);
  assert.deepEqual(missingFromSummary(['payments', 'enrolments']), ['enrolments', 'payments']);
  assert.deepEqual(missingFromSummary(['payments'], false), []); // payments hidden by the admin anyway
  assert.deepEqual(missingFromSummary(undefined), []);
});

// Every field the backend's schema lets be null, null (backend/response_schema.py).
const sparse = () => ({
  learner: { id: 'L-0000124', name: null, language: null, time_zone: null },
  enrolments: [
    { id: 'E-2', course: { id: 'C-0007', title: null }, track: 'audit', status: 'active', progress_pct: null,
      next_deadline: { title: null, kind: null, due_at: '2026-11-27T23:30:00Z', extended: false }, certificate: null },
    { id: 'E-3', course: { id: 'C-0008', title: 'Stats' }, track: 'verified', status: 'active', progress_pct: 10,
      next_deadline: { title: null, kind: 'exam', due_at: '2026-12-01T12:00:00Z', extended: false }, certificate: null },
    { id: 'E-4', course: { id: 'C-0009', title: 'Art' }, track: 'verified', status: 'active', progress_pct: 0,
      next_deadline: { title: 'Essay', kind: 'project', due_at: 'not a date', extended: false }, certificate: null },
  ],
  payments: [
    { id: 'ORD-1', created_at: null, status: 'paid', amount: '10.00', currency: 'USD', product: { kind: 'x', title: null }, refunded_amount: '0' },
    { id: 'ORD-2', created_at: '2026-11-20T10:00:00Z', status: 'paid', amount: '10.00', currency: 'USD', product: { kind: 'x', title: null }, refunded_amount: '0' },
    { id: 'ORD-3', created_at: null, status: 'paid', amount: '10.00', currency: 'USD', product: { kind: 'x', title: 'Course' }, refunded_amount: '0' },
  ],
  subscriptions: [{ id: 'S-2', plan: 'annual', status: 'cancelled', current_period_end: null, amount: '1', currency: 'USD' }],
});

test('a learner with unknown facts gets a summary without placeholders, in every language', () => {
  for (const locale of ['en', 'fr', 'zh-CN']) {
    const text = buildSummary(sparse(), { locale, now: NOW });
    assert.doesNotMatch(text, /\{\w+\}|undefined|null|NaN/, `${locale}: ${text}`);
  }
  assert.equal(flat(buildSummary(sparse(), { locale: 'en', now: NOW })), [
    'Here is what we see on your account (L-0000124):',
    '- C-0007 (Audit); next deadline on Nov 27, 2026',
    '- Stats (Verified): 10% completed; next deadline: Exam on Dec 1, 2026',
    '- Art (Verified): 0% completed',
    '- Order ORD-1: $10.00, paid',
    '- Order ORD-2 of Nov 20, 2026: $10.00, paid',
    '- Order ORD-3 (Course): $10.00, paid',
    '- Annual subscription: cancelled',
    '',
  ].join('\n'));
});

// One subscription or order in a summary of its own: the line that names it.
const subscriptionLine = (sub, locale) => flat(buildSummary({
  learner: { id: 'L-1', time_zone: 'UTC' }, subscriptions: [{ id: 'S-1', plan: 'monthly', amount: '59.00', currency: 'USD', ...sub }],
}, { locale, now: NOW })).split('\n')[1];
const orderLine = (order, locale) => flat(buildSummary({
  learner: { id: 'L-1', time_zone: 'UTC' },
  payments: [{ id: 'ORD-1', created_at: '2026-11-21T08:05:00Z', amount: '59.00', currency: 'USD', product: { title: 'Plan' },
    refunded_amount: '0.00', ...order }],
}, { locale, now: NOW })).split('\n')[1];
const FUTURE_TENSE = /ends|renews|until|se termine|jusqu|结束|至/;

test('a past-due subscription\'s summary names when it fell due, never a future-tense period end in the past', () => {
  const pastDue = { status: 'past_due', current_period_end: '2026-11-21T08:00:00Z' };
  assert.equal(subscriptionLine(pastDue, 'en'), '- Monthly subscription: past due since Nov 21, 2026');
  assert.equal(subscriptionLine(pastDue, 'fr'), '- Abonnement mensuel : impayé depuis le 21 nov. 2026');
  assert.equal(subscriptionLine(pastDue, 'zh-CN'), '- 月度订阅：自 2026年11月21日 起逾期未付');
  for (const locale of ['en', 'fr', 'zh-CN']) assert.doesNotMatch(subscriptionLine(pastDue, locale), FUTURE_TENSE);
});

test('a cancelled subscription says it ended, or until when it is still paid', () => {
  const ended = { status: 'cancelled', current_period_end: '2026-10-01T00:00:00Z' };
  assert.equal(subscriptionLine(ended, 'en'), '- Monthly subscription: cancelled, ended on Oct 1, 2026');
  assert.equal(subscriptionLine(ended, 'fr'), '- Abonnement mensuel : résilié, terminé le 1 oct. 2026');
  assert.equal(subscriptionLine(ended, 'zh-CN'), '- 月度订阅：已取消，已于 2026年10月1日 结束');
  const paidOn = { status: 'cancelled', current_period_end: '2026-12-10T00:00:00Z' };
  assert.equal(subscriptionLine(paidOn, 'en'), '- Monthly subscription: cancelled, paid until Dec 10, 2026');
});

test('an active subscription says until when it is paid; a date in the past or unreadable is left out', () => {
  assert.equal(subscriptionLine({ status: 'active', current_period_end: '2026-12-10T00:00:00Z' }, 'en'),
    '- Monthly subscription: active, paid until Dec 10, 2026');
  // The backend calls an active subscription past its period past due; should one arrive, no date beats a false one.
  assert.equal(subscriptionLine({ status: 'active', current_period_end: '2026-11-01T00:00:00Z' }, 'en'), '- Monthly subscription: active');
  assert.equal(subscriptionLine({ status: 'past_due', current_period_end: 'garbage' }, 'fr'), '- Abonnement mensuel : impayé');
});

test('an order\'s state inside a sentence is lower-case in English and French', () => {
  assert.equal(orderLine({ status: 'failed' }, 'en'), '- Order ORD-1 (Plan) of Nov 21, 2026: $59.00, payment failed');
  assert.equal(orderLine({ status: 'paid' }, 'fr'), '- Commande ORD-1 (Plan) du 21 nov. 2026 : 59,00 $US, payée');
  assert.equal(orderLine({ status: 'pending' }, 'zh-CN'), '- 订单 ORD-1（Plan），2026年11月21日：US$59.00，待处理');
  for (const status of ['paid', 'failed', 'pending', 'refunded', 'partially_refunded']) {
    for (const locale of ['en', 'fr']) {
      const words = orderLine({ status, refunded_amount: status.includes('refund') ? '20.00' : '0.00' }, locale).split(', ').slice(1);
      for (const word of words) assert.equal(word[0], word[0].toLocaleLowerCase(locale), `${locale} ${status}: ${word}`);
    }
  }
});

test('a refunded order says "refunded" once, and a partial refund says how much', () => {
  const full = { status: 'refunded', refunded_amount: '59.00' };
  assert.equal(orderLine(full, 'en'), '- Order ORD-1 (Plan) of Nov 21, 2026: $59.00, refunded');
  const partial = { status: 'partially_refunded', refunded_amount: '20.00' };
  assert.equal(orderLine(partial, 'en'), '- Order ORD-1 (Plan) of Nov 21, 2026: $59.00, partially refunded ($20.00)');
  const once = { en: /refunded/g, fr: /rembours/g, 'zh-CN': /退款/g };
  for (const [locale, word] of Object.entries(once)) {
    for (const order of [full, partial]) assert.equal(orderLine(order, locale).match(word).length, 1, orderLine(order, locale));
  }
});
