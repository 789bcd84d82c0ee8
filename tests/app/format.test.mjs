// format: time zones, Intl in en/fr/zh-CN, money, names, masking.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  agentTimeZone, countryName, formatDate, formatDateTime, formatMoney, formatPercent, languageName, localTime,
  maskEmail, maskName, relativeTime, safeTimeZone, splitAround,
} from '../../zendesk-app/assets/format.js';

const flat = (s) => s.replace(/[\u202f\u00a0]/g, ' '); // Intl uses (narrow) no-break spaces
const DUE = '2026-11-27T22:59:00Z';

test('the same instant reads differently in the learner\'s and the agent\'s zone', () => {
  assert.match(formatDateTime(DUE, 'en', 'Europe/Paris'), /Nov 27, 2026, 11:59 PM GMT\+1/);
  assert.match(formatDateTime(DUE, 'en', 'America/New_York'), /Nov 27, 2026, 5:59 PM EST/);
  assert.match(formatDateTime(DUE, 'en', 'Asia/Shanghai'), /Nov 28, 2026, 6:59 AM GMT\+8/);
});

test('dates use French and Chinese conventions', () => {
  assert.equal(flat(formatDate(DUE, 'fr', 'Europe/Paris')), '27 nov. 2026');
  assert.equal(formatDate(DUE, 'zh-CN', 'Asia/Shanghai'), '2026年11月28日');
  assert.match(flat(formatDateTime(DUE, 'fr', 'Europe/Paris')), /^27 nov\. 2026, 23:59 UTC\+1$/);
});

test('12-hour clocks write the hour without a leading zero; 24-hour clocks keep two digits', () => {
  const evening = '2026-11-23T18:19:00Z';
  const morning = '2026-11-23T06:09:00Z';
  assert.equal(flat(formatDateTime(evening, 'en-US', 'UTC')), 'Nov 23, 2026, 6:19 PM UTC');
  assert.equal(flat(formatDateTime(morning, 'en', 'UTC')), 'Nov 23, 2026, 6:09 AM UTC');
  assert.equal(flat(localTime(evening, 'en-US', 'UTC')), '6:19 PM UTC');
  assert.doesNotMatch(flat(localTime(morning, 'en', 'UTC')), /\b0\d:/);
  // The 24-hour locales as they were: "18:19", and "06:09" with its zero.
  assert.equal(localTime(evening, 'fr', 'UTC'), '18:19 UTC');
  assert.equal(localTime(morning, 'fr', 'UTC'), '06:09 UTC');
  assert.equal(localTime(morning, 'en-GB', 'UTC'), '06:09 UTC');
  assert.equal(flat(formatDateTime(morning, 'fr', 'UTC')), '23 nov. 2026, 06:09 UTC');
  assert.equal(formatDateTime(morning, 'zh-CN', 'UTC'), '2026年11月23日 UTC 06:09');
});

test('an unknown or missing zone falls back to UTC instead of throwing', () => {
  assert.equal(safeTimeZone('Mars/Olympus'), null);
  assert.equal(safeTimeZone('Europe/Paris'), 'Europe/Paris');
  assert.match(formatDateTime(DUE, 'en', 'Mars/Olympus'), /10:59 PM UTC/);
  assert.equal(formatDate('not a date', 'en', 'UTC'), '');
  assert.equal(formatDate(null, 'en', 'UTC'), '');
});

test('ZAF\'s currentUser.timeZone object or a plain string gives the IANA zone', () => {
  assert.equal(agentTimeZone({ name: 'Eastern Time (US & Canada)', ianaName: 'America/New_York' }), 'America/New_York');
  assert.equal(agentTimeZone('Asia/Shanghai'), 'Asia/Shanghai');
  assert.equal(agentTimeZone({ name: 'Nowhere' }), null);
});

test('local time is the wall clock in the learner\'s zone', () => {
  const now = new Date('2026-11-23T23:30:00Z');
  assert.equal(localTime(now, 'fr', 'Europe/Paris'), '00:30 UTC+1');
  assert.equal(flat(localTime(now, 'en', 'Asia/Shanghai')), '7:30 AM GMT+8');
  assert.equal(localTime(now, 'en', 'bad/zone'), '');
});

test('relative times are localised', () => {
  const now = '2026-11-24T00:00:00Z';
  assert.equal(relativeTime('2026-11-27T00:00:00Z', now, 'en'), 'in 3 days');
  assert.equal(relativeTime('2026-11-27T00:00:00Z', now, 'fr'), 'dans 3 jours');
  assert.equal(relativeTime('2026-11-27T00:00:00Z', now, 'zh-CN'), '3天后');
  assert.equal(relativeTime('2026-11-24T05:00:00Z', now, 'en'), 'in 5 hours');
});

test('relative times count whole units left, hours up to two days, never rounding up', () => {
  const now = '2026-11-23T23:19:00Z';
  // 36.7 h: the case where "1 day left" and "in 2 days" once described the same deadline.
  assert.equal(relativeTime('2026-11-25T12:00:00Z', now, 'en'), 'in 36 hours');
  assert.equal(relativeTime('2026-11-25T23:18:00Z', now, 'en'), 'in 47 hours');
  assert.equal(relativeTime('2026-11-25T23:19:00Z', now, 'en'), 'in 2 days');
  assert.equal(relativeTime('2026-11-28T23:18:00Z', now, 'en'), 'in 4 days'); // 4 d 23 h 59 min
  assert.equal(relativeTime('2026-11-23T23:59:00Z', now, 'en'), 'in 40 minutes');
  assert.equal(relativeTime('2026-11-23T23:19:30Z', now, 'en'), 'now');
  assert.equal(relativeTime('2026-11-20T20:00:00Z', now, 'en'), '3 days ago');
  // Numbers, not calendar words: "in 2 days" may not be the day after tomorrow.
  assert.equal(relativeTime('2026-11-26T00:00:00Z', now, 'fr'), 'dans 2 jours');
  assert.equal(relativeTime('2026-11-26T00:00:00Z', now, 'zh-CN'), '2天后');
  assert.equal(relativeTime('not a date', now, 'en'), '');
});

test('money and percentages use the locale\'s number format', () => {
  assert.equal(flat(formatMoney('49.00', 'EUR', 'fr')), '49,00 €');
  assert.equal(formatMoney('1234.5', 'USD', 'en'), '$1,234.50');
  assert.equal(formatMoney('49.00', 'CNY', 'zh-CN'), '¥49.00');
  assert.equal(formatMoney('49.00', 'NOT-A-CODE', 'en'), '49.00 NOT-A-CODE');
  assert.equal(formatMoney('', 'EUR', 'en'), '');
  assert.equal(flat(formatPercent(45, 'fr')), '45 %');
  assert.equal(formatPercent(45, 'en'), '45%');
});

test('countries and languages are named in the agent\'s language', () => {
  assert.equal(countryName('fr', 'en'), 'France');
  assert.equal(countryName('CN', 'fr'), 'Chine');
  assert.equal(countryName('FR', 'zh-CN'), '法国');
  assert.equal(languageName('zh', 'fr'), 'chinois');
  assert.equal(languageName('fr', 'en'), 'French');
  assert.equal(countryName('', 'en'), '');
});

test('masking hides personal data but keeps it recognisable', () => {
  assert.equal(maskEmail('amelie.durand@example.fr'), 'a•••@e•••.fr');
  assert.equal(maskEmail('x@localhost'), 'x•••@l•••');
  assert.equal(maskEmail('garbage'), '•••');
  assert.equal(maskEmail(''), '');
  assert.equal(maskName('Amélie Durand'), 'A••• D•••');
  assert.equal(maskName('张伟'), '张•••');
  assert.ok(!maskName('Amélie Durand').includes('Durand'));
});

test('identifiers are cut out of a sentence whole, longest first, in order of appearance', () => {
  assert.deepEqual(splitAround('Matched by email sam@x.com, external ID sso-globex-00417', ['sso-globex-00417', 'sam@x.com']), [
    { text: 'Matched by email ', value: false }, { text: 'sam@x.com', value: true },
    { text: ', external ID ', value: false }, { text: 'sso-globex-00417', value: true },
  ]);
  // A value inside a longer one is not cut out of it.
  assert.deepEqual(splitAround('a@x.com', ['x.com', 'a@x.com']), [{ text: 'a@x.com', value: true }]);
  assert.deepEqual(splitAround('nothing here', ['L-1', null, '']), [{ text: 'nothing here', value: false }]);
  assert.deepEqual(splitAround('', ['L-1']), []);
});
