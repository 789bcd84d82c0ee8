// view-model: state choice, partial sections, long lists, admin links, flags, tags.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadAll, translator } from '../../zendesk-app/assets/i18n.js';
import {
  adminLink, flagText, issuesFor, sectionIssues, stateOf, tagsToAdd, visibleItems, whyMatched,
} from '../../zendesk-app/assets/view-model.js';
import { maskEmail } from '../../zendesk-app/assets/format.js';

await loadAll();

const ok = { status: 'ok', as_of: '2026-11-23T23:00:00Z' };
const sections = (over = {}) => ({ learner: ok, enrolments: ok, courses: ok, payments: ok, ...over });

test('the state follows matches and section health', () => {
  assert.equal(stateOf({ matches: [{}], sections: sections() }), 'matched');
  assert.equal(stateOf({ matches: [], sections: sections() }), 'not-found');
  assert.equal(stateOf({ matches: [{}], sections: sections({ payments: { status: 'timeout', as_of: null } }) }), 'partial');
  // A learner system that failed is never reported as "not found".
  assert.equal(stateOf({ matches: [], sections: sections({ learner: { status: 'unavailable', as_of: null } }) }), 'partial');
});

test('partial sections are listed in a fixed order and grouped for display', () => {
  const issues = sectionIssues(sections({
    payments: { status: 'error', as_of: '2026-11-23T22:00:00Z' }, courses: { status: 'timeout', as_of: null },
  }));
  assert.deepEqual(issues, [
    { section: 'courses', status: 'timeout', as_of: null },
    { section: 'payments', status: 'error', as_of: '2026-11-23T22:00:00Z' },
  ]);
  assert.deepEqual(issuesFor(issues, 'enrolments').map((i) => i.section), ['courses']);
  assert.deepEqual(issuesFor(issues, 'payments').map((i) => i.section), ['payments']);
  assert.deepEqual(sectionIssues(undefined), []);
});

test('long lists show five items until expanded and count what the backend left out', () => {
  const items = Array.from({ length: 8 }, (_, i) => i);
  assert.deepEqual(visibleItems(items, false, 12), { shown: [0, 1, 2, 3, 4], hidden: 7, all: 12 });
  assert.deepEqual(visibleItems(items, true, 12), { shown: items, hidden: 4, all: 12 });
  assert.deepEqual(visibleItems([1, 2], false, undefined), { shown: [1, 2], hidden: 0, all: 2 });
});

test('admin links encode the id and allow only http(s)', () => {
  assert.equal(adminLink('https://admin.example.com/learners/{learner_id}', 'L-0000123'),
    'https://admin.example.com/learners/L-0000123');
  assert.equal(adminLink('https://admin.example.com/l?id={learner_id}', 'a/b c'), 'https://admin.example.com/l?id=a%2Fb%20c');
  assert.equal(adminLink('javascript:alert(1)//{learner_id}', 'L-1'), null);
  assert.equal(adminLink('data:text/html,{learner_id}', 'L-1'), null);
  assert.equal(adminLink('https://admin.example.com/learners', 'L-1'), null);
  assert.equal(adminLink('', 'L-1'), null);
});

test('why it matched is worded and masks emails when asked', () => {
  const t = translator('en');
  const by = [{ kind: 'email', value: 'amelie.durand@example.fr' }, { kind: 'order_id', value: 'ORD-2026-004217' }];
  assert.equal(whyMatched(by, t), 'Matched by email amelie.durand@example.fr, order ORD-2026-004217');
  assert.equal(whyMatched(by, t, maskEmail), 'Matched by email a•••@e•••.fr, order ORD-2026-004217');
  assert.equal(whyMatched(by, translator('fr')), 'Trouvé par l’e-mail amelie.durand@example.fr, la commande ORD-2026-004217');
  assert.equal(whyMatched([], t), '');
});

test('flags are translated from code and params, in the agent\'s zone', () => {
  const flag = { code: 'refund_eligible', severity: 'info', params: { order_id: 'ORD-2026-004217', until: '2026-12-04T10:00:00Z' } };
  assert.deepEqual(flagText(flag, translator('en'), { locale: 'en', agentZone: 'UTC' }),
    { title: 'Refund eligible', detail: 'Order ORD-2026-004217 can be refunded until Dec 4, 2026.', severity: 'info' });
  assert.equal(flagText(flag, translator('zh-CN'), { locale: 'zh-CN', agentZone: 'UTC' }).detail,
    '订单 ORD-2026-004217 在 2026年12月4日 前可退款。');
  const soon = { code: 'deadline_soon', severity: 'warning', params: { title: 'Quiz 2', due_at: '2026-11-27T22:59:00Z', days: 3 } };
  assert.equal(flagText(soon, translator('fr'), { locale: 'fr', agentZone: 'Europe/Paris' }).detail.replace(/\u202f/g, ' '),
    'Quiz 2 : 27 nov. 2026, 23:59 UTC+1 (reste 3 jours).');
});

test('a flag with missing params keeps its title and drops the detail; unknown codes still show', () => {
  const t = translator('en');
  assert.deepEqual(flagText({ code: 'refund_eligible', severity: 'info', params: { order_id: 'O' } }, t, { locale: 'en' }),
    { title: 'Refund eligible', detail: null, severity: 'info' });
  assert.equal(flagText({ code: 'brand_new', params: {} }, t, { locale: 'en' }).title, 'Notice: brand_new');
  const sponsor = { code: 'enterprise_sponsored', severity: 'info', params: { sponsor_name: 'Acme Corp' } };
  assert.equal(flagText(sponsor, t, { locale: 'en' }).detail, 'Paid by Acme Corp.');
});

test('only tags not yet on the ticket are added', () => {
  assert.deepEqual(tagsToAdd(['lc_paid', 'lc_lang_fr'], ['lc_paid', 'vip']), ['lc_lang_fr']);
  assert.deepEqual(tagsToAdd(undefined, []), []);
});
