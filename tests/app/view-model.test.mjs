// view-model: state choice, partial sections, long lists, admin links, flags, tags.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadAll, translator } from '../../zendesk-app/assets/i18n.js';
import {
  aboutAnotherRequester, adminLink, enrolmentsInOrder, flagLines, flagText, issuesFor, joinList, listView,
  sectionIssues, stateOf, subscriptionKeys, tagsToAdd, whyMatched,
} from '../../zendesk-app/assets/view-model.js';
import { maskEmail, maskName, relativeTime } from '../../zendesk-app/assets/format.js';

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

test('an answer about the saved requester is about another one while the ticket shows a new, unsaved requester', () => {
  const saved = { resolved_requester: { ticket_id: 1001, zendesk_user_id: 2001 } };
  assert.equal(aboutAnotherRequester(saved, { id: 2001, email: 'amelie.durand@example.fr' }), false);
  assert.equal(aboutAnotherRequester(saved, { id: '2001' }), false); // ZAF may hand ids over as strings
  assert.equal(aboutAnotherRequester(saved, { id: 2003, email: 'sam.taylor@example.com' }), true);
  // Without a requester id from ZAF the answer cannot be shown to be the ticket's requester's.
  assert.equal(aboutAnotherRequester(saved, {}), true);
  assert.equal(aboutAnotherRequester(saved, undefined), true);
});

test('answers that resolved no requester (manual search, no ticket binding, older backend) are never held back', () => {
  assert.equal(aboutAnotherRequester({ resolved_requester: null }, { id: 2003 }), false);
  assert.equal(aboutAnotherRequester({}, { id: 2003 }), false);
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

test('long lists show five items until expanded', () => {
  const items = Array.from({ length: 8 }, (_, i) => i);
  assert.deepEqual(listView(items, false, 8),
    { shown: [0, 1, 2, 3, 4], label: { key: 'list.show_all', params: { count: 8 } }, capped: null, note: null });
  assert.deepEqual(listView(items, true, 8), { shown: items, label: { key: 'list.show_less', params: {} }, capped: null, note: null });
  assert.deepEqual(listView([1, 2], false, undefined), { shown: [1, 2], label: null, capped: null, note: null });
});

test('a list the backend capped says how many it holds of how many, never "show all"', () => {
  const items = Array.from({ length: 50 }, (_, i) => i);
  const collapsed = listView(items, false, 300);
  assert.equal(collapsed.shown.length, 5);
  assert.deepEqual(collapsed.label, { key: 'list.show_recent', params: { count: 50, total: 300 } });
  assert.deepEqual(collapsed.capped, { count: 50, total: 300 });
  assert.equal(translator('en')(collapsed.label.key, collapsed.label.params), 'Show the 50 most recent (of 300)');
  assert.equal(translator('fr')(collapsed.label.key, collapsed.label.params), 'Afficher les 50 plus récentes (sur 300)');
  assert.equal(translator('zh-CN')(collapsed.label.key, collapsed.label.params), '显示最近的 50 项（共 300 项）');
  assert.equal(translator('en')(collapsed.note.key, collapsed.note.params), 'Showing the 50 most recent of 300.');
  // Short but capped: no toggle, the cap is still known.
  assert.deepEqual(listView([1, 2, 3], false, 9), {
    shown: [1, 2, 3], label: null, capped: { count: 3, total: 9 }, note: { key: 'list.capped', params: { count: 3, total: 9 } } });
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

test('an email trusted only as the ticket sender says it is unverified, in every language', () => {
  const by = [{ kind: 'email', value: 'wei.zhang@example.cn', basis: 'ticket_sender' },
    { kind: 'email', value: 'zhang.wei.work@example.com', basis: 'verified' }];
  assert.equal(whyMatched(by, translator('en')),
    'Matched by email wei.zhang@example.cn (ticket sender, unverified), email zhang.wei.work@example.com');
  assert.equal(whyMatched(by, translator('fr')),
    'Trouvé par l’e-mail wei.zhang@example.cn (expéditeur du ticket, non vérifié), l’e-mail zhang.wei.work@example.com');
  assert.equal(whyMatched(by, translator('zh-CN')),
    '匹配依据：电子邮件 wei.zhang@example.cn（工单发件人，未验证）、电子邮件 zhang.wei.work@example.com');
  assert.equal(whyMatched(by.slice(0, 1), translator('en'), maskEmail), 'Matched by email w•••@e•••.cn (ticket sender, unverified)');
});

test('zh-CN lists use 、 and no ASCII comma; English and French use ", "', () => {
  const by = [{ kind: 'email', value: 'wei.zhang@example.cn' }, { kind: 'order_id', value: 'ORD-2026-005531' }];
  const zh = whyMatched(by, translator('zh-CN'));
  assert.equal(zh, '匹配依据：电子邮件 wei.zhang@example.cn、订单 ORD-2026-005531');
  assert.doesNotMatch(zh, /,/);
  assert.equal(joinList(['lc_paid', 'lc_lang_zh'], translator('zh-CN')), 'lc_paid、lc_lang_zh');
  assert.equal(joinList(['lc_paid', 'lc_lang_fr'], translator('fr')), 'lc_paid, lc_lang_fr');
});

test('Chinese sentences follow each other without a space; English and French put one between', () => {
  const two = (locale) => {
    const t = translator(locale);
    return [t('partial.message', { section: t('section.payments'), status: t('status.timeout') }), t('partial.no_data')]
      .join(t('sentence.separator'));
  };
  assert.equal(two('zh-CN'), '付款：未及时响应。没有已保存的数据。');
  assert.equal(two('en'), 'Payments: no answer in time. No saved data.');
  assert.equal(two('fr').replace(/\u202f|\u00a0/g, ' '), 'Paiements : pas de réponse à temps. Aucune donnée enregistrée.');
});

test('a subscription\'s date is worded by its state and by whether it is past, most specific first', () => {
  const at = (status, end) => subscriptionKeys('p', { status, current_period_end: end }, '2026-11-24T00:00:00Z');
  assert.deepEqual(at('past_due', '2026-11-21T08:00:00Z'), ['p.past_due.past', 'p.past_due']);
  assert.deepEqual(at('active', '2026-12-21T08:00:00Z'), ['p.active.future', 'p.active']);
  assert.deepEqual(at('cancelled', null), ['p.cancelled']);
  assert.deepEqual(at('cancelled', 'not a date'), ['p.cancelled']);
  // No catalog has a future-tense date for a past-due subscription, nor an "ends" for a date gone.
  const en = translator('en');
  assert.equal(en.has('subscription.period.past_due.future'), false);
  assert.equal(en.has('subscription.period.active.past'), false);
});

test('flags are translated from code and params, in the agent\'s zone', () => {
  const flag = { code: 'refund_eligible', severity: 'info', params: { order_id: 'ORD-2026-004217', until: '2026-12-04T10:00:00Z' } };
  assert.deepEqual(flagText(flag, translator('en'), { locale: 'en', agentZone: 'UTC' }),
    { title: 'Refund eligible', detail: 'Order ORD-2026-004217 can be refunded until Dec 4, 2026.', severity: 'info' });
  assert.equal(flagText(flag, translator('zh-CN'), { locale: 'zh-CN', agentZone: 'UTC' }).detail,
    '订单 ORD-2026-004217 在 2026年12月4日 前可退款。');
  const soon = { code: 'deadline_soon', severity: 'warning', params: { title: 'Quiz 2', due_at: '2026-11-27T22:59:00Z', days: 3, course_id: 'C-1' } };
  assert.equal(flagText(soon, translator('fr'), { locale: 'fr', agentZone: 'Europe/Paris', now: '2026-11-24T00:00:00Z', course: 'Gestion' })
    .detail.replace(/\u202f/g, ' '), 'Quiz 2 (Gestion), échéance dans 3 jours : 27 nov. 2026, 23:59 UTC+1.');
});

const NOW = '2026-11-23T23:19:00Z';
const deadlineFlag = (enrolment, title, due) => ({
  code: 'deadline_soon', severity: 'warning', params: { enrolment_id: enrolment, course_id: `C-${enrolment}`, title, due_at: due, days: 1 },
});

test('a deadline flag and its enrolment row say the same time left', () => {
  // Backend says days: 1 (whole days); 36.7 h are left, which the row once rounded to "in 2 days".
  const match = {
    flags: [deadlineFlag('E-1', 'Week 4 assignment', '2026-11-25T12:00:00Z')],
    next_deadlines: [{ enrolment_id: 'E-1', course_title: 'Project Management Essentials' }],
  };
  const [line] = flagLines(match, translator('en'), { locale: 'en', agentZone: 'UTC', now: NOW });
  assert.equal(line.detail, 'Week 4 assignment (Project Management Essentials), due in 36 hours: Nov 25, 2026, 12:00 PM UTC.');
  assert.ok(line.detail.includes(relativeTime('2026-11-25T12:00:00Z', NOW, 'en')));
  assert.deepEqual([line.code, line.count, line.title], ['deadline_soon', 1, 'Deadline soon']);
});

test('several deadline flags fold into one line with the window and the next one', () => {
  const match = {
    flags: [
      { code: 'multiple_accounts', severity: 'warning', params: { count: 2 } },
      deadlineFlag('E-2', 'Final exam', '2026-11-28T12:00:00Z'),
      deadlineFlag('E-1', 'Quiz 2', '2026-11-25T14:00:00Z'),
      { code: 'refund_eligible', severity: 'info', params: { order_id: 'O-1', until: '2026-12-01T00:00:00Z' } },
      deadlineFlag('E-3', 'Quiz 3', '2026-11-30T23:00:00Z'),
    ],
    enrolments: [{ id: 'E-1', course: { title: 'Introduction to Project Management' } }],
  };
  const lines = flagLines(match, translator('en'), { locale: 'en', agentZone: 'UTC', now: NOW });
  assert.deepEqual(lines.map((l) => [l.code, l.count]), [['multiple_accounts', 1], ['deadline_soon', 3], ['refund_eligible', 1]]);
  assert.equal(lines[1].title, 'Deadlines soon');
  assert.equal(lines[1].detail, '3 deadlines within 7 days. Next: Quiz 2 (Introduction to Project Management), '
    + 'due in 38 hours: Nov 25, 2026, 2:00 PM UTC.');
  const zh = flagLines(match, translator('zh-CN'), { locale: 'zh-CN', agentZone: 'UTC', now: NOW })[1];
  assert.ok(zh.detail.startsWith('7 天内有 3 个截止日期。最近：Quiz 2（Introduction to Project Management），38小时后截止'), zh.detail);
  // Courses are named by title when the match lists them, by id otherwise.
  const cert = { code: 'certificate_earned', severity: 'info', params: { enrolment_id: 'E-9', course_id: 'C-0318', issued_at: '2026-03-18T00:00:00Z' } };
  const aid = { code: 'financial_aid', severity: 'info', params: { course_id: 'C-0318', coverage_pct: 90 } };
  const named = flagLines({ flags: [cert, aid], enrolments: [{ id: 'E-1', course: { id: 'C-0318', title: 'Cloud Computing' } }] },
    translator('en'), { locale: 'en', agentZone: 'UTC', now: NOW });
  assert.deepEqual(named.map((l) => l.detail), ['Cloud Computing, issued Mar 18, 2026.', '90% covered for Cloud Computing.']);
  assert.equal(flagLines({ flags: [aid] }, translator('en'), { locale: 'en', now: NOW })[0].detail, '90% covered for C-0318.');
  // The course title unknown: its id stands in.
  const bare = flagLines({ flags: match.flags.slice(1, 3) }, translator('en'), { locale: 'en', agentZone: 'UTC', now: NOW })[0];
  assert.ok(bare.detail.includes('Next: Quiz 2 (C-E-1)'), bare.detail);
});

// Newest activity first, as the enrolments system lists them; two have a deadline_soon flag.
const byActivity = Array.from({ length: 50 }, (_, i) => ({ id: `E-${i}`, course: { id: `C-${i}` } }));
const urgentMatch = {
  learner: { id: 'L-1', time_zone: 'America/New_York' },
  enrolments: byActivity,
  enrolments_total: 300,
  flags: [deadlineFlag('E-12', 'Quiz 1', '2026-11-27T12:00:00Z'), deadlineFlag('E-41', 'Final exam', '2026-11-24T05:00:00Z')],
};

test('enrolments with a deadline soon come first, soonest first; the others keep the backend\'s order', () => {
  const ordered = enrolmentsInOrder(urgentMatch);
  assert.deepEqual(ordered.slice(0, 4).map((e) => e.id), ['E-41', 'E-12', 'E-0', 'E-1']);
  assert.deepEqual(ordered.slice(2).map((e) => e.id), byActivity.map((e) => e.id).filter((id) => id !== 'E-12' && id !== 'E-41'));
  // The most urgent one is among the rows shown before "show more", however inactive it has been.
  const { shown, label } = listView(ordered, false, urgentMatch.enrolments_total, 'soon-first');
  assert.equal(shown[0].id, 'E-41');
  assert.equal(label.key, 'list.show_first');
  // No deadline soon: the backend's order as it is.
  assert.deepEqual(enrolmentsInOrder({ enrolments: byActivity, flags: [] }), byActivity);
  assert.deepEqual(enrolmentsInOrder({}), []);
});

test('a capped list chosen by deadlines first says so, never "most recent"', () => {
  const view = listView(byActivity, false, 300, 'soon-first');
  const expanded = listView(byActivity, true, 300, 'soon-first');
  const say = (locale, { key, params }) => translator(locale)(key, params);
  assert.equal(say('en', view.label), 'Show 50 of 300');
  assert.equal(say('en', expanded.note), 'Showing 50 of 300: deadlines soon first, then the most recent.');
  assert.equal(say('fr', view.label), 'Afficher 50 sur 300');
  assert.equal(say('fr', expanded.note), 'Affichage de 50 sur 300\u202f: échéances proches d’abord, puis les plus récentes.');
  assert.equal(say('zh-CN', view.label), '显示 50 项（共 300 项）');
  assert.equal(say('zh-CN', expanded.note), '显示 50 项，共 300 项：先列截止日期临近的，再列最近的。');
});

test('a deadline flag names the enrolment it is about: the soonest when folded', () => {
  const lines = flagLines(urgentMatch, translator('en'), { locale: 'en', agentZone: 'America/New_York', now: NOW });
  assert.deepEqual(lines.map((l) => [l.count, l.enrolmentId]), [[2, 'E-41']]);
  const [one] = flagLines({ ...urgentMatch, flags: urgentMatch.flags.slice(0, 1) }, translator('en'), { locale: 'en', now: NOW });
  assert.equal(one.enrolmentId, 'E-12');
  assert.equal(flagLines({ flags: [{ code: 'multiple_accounts', params: { count: 2 } }] }, translator('en'), { locale: 'en' })[0].enrolmentId, null);
});

test('a deadline flag gives the learner\'s clock too when it reads differently from the agent\'s', () => {
  const tokyo = { ...urgentMatch, learner: { id: 'L-1', time_zone: 'Asia/Tokyo' }, flags: urgentMatch.flags.slice(1) };
  const en = flagLines(tokyo, translator('en'), { locale: 'en', agentZone: 'America/New_York', now: NOW })[0].detail;
  assert.equal(en.replace(/\u202f/g, ' '), 'Final exam (C-E-41), due in 5 hours: '
    + 'Nov 24, 2026, 2:00 PM GMT+9 (learner’s time), Nov 24, 2026, 12:00 AM EST (yours).');
  const fr = flagLines(tokyo, translator('fr'), { locale: 'fr', agentZone: 'Europe/Paris', now: NOW })[0].detail;
  assert.equal(fr.replace(/\u202f/g, ' '), 'Final exam (C-E-41), échéance dans 5 heures : '
    + '24 nov. 2026, 14:00 UTC+9 (heure de l’apprenant), 24 nov. 2026, 06:00 UTC+1 (la vôtre).');
  const zh = flagLines(tokyo, translator('zh-CN'), { locale: 'zh-CN', agentZone: 'Asia/Shanghai', now: NOW })[0].detail;
  assert.ok(zh.includes('（学员时间），') && zh.endsWith('（您的时间）。'), zh);
  // The same clock, or a zone the browser cannot read: one time, the agent's.
  const ny = flagLines({ ...tokyo, learner: { time_zone: 'America/New_York' } }, translator('en'),
    { locale: 'en', agentZone: 'America/New_York', now: NOW })[0];
  assert.ok(ny.detail.endsWith('due in 5 hours: Nov 24, 2026, 12:00 AM EST.'), ny.detail);
  const unknown = flagLines({ ...tokyo, learner: { time_zone: 'Mars/Base' } }, translator('en'),
    { locale: 'en', agentZone: 'America/New_York', now: NOW })[0];
  assert.equal(unknown.detail, ny.detail);
});

test('a flag with missing params keeps its title and drops the detail; unknown codes still show', () => {
  const t = translator('en');
  assert.deepEqual(flagText({ code: 'refund_eligible', severity: 'info', params: { order_id: 'O' } }, t, { locale: 'en' }),
    { title: 'Refund eligible', detail: null, severity: 'info' });
  assert.equal(flagText({ code: 'brand_new', params: {} }, t, { locale: 'en' }).title, 'Notice: brand_new');
  const sponsor = { code: 'enterprise_sponsored', severity: 'info', params: { sponsor_name: 'Acme Corp' } };
  assert.equal(flagText(sponsor, t, { locale: 'en' }).detail, 'Paid by Acme Corp.');
  // With mask_pii on (and not revealed) the view passes maskName, as for the learner's name.
  assert.equal(flagLines({ flags: [sponsor] }, t, { locale: 'en', mask: maskName })[0].detail, 'Paid by A••• C•••.');
});

test('only tags not yet on the ticket are added', () => {
  assert.deepEqual(tagsToAdd(['lc_paid', 'lc_lang_fr'], ['lc_paid', 'vip']), ['lc_lang_fr']);
  assert.deepEqual(tagsToAdd(undefined, []), []);
});

test('a deadline count that fills the whole capped list is a floor: "at least", since more were not sent', () => {
  const base = {
    flags: [deadlineFlag('E-1', 'Quiz 1', '2026-11-25T12:00:00Z'), deadlineFlag('E-2', 'Quiz 2', '2026-11-26T12:00:00Z')],
    enrolments: [{ id: 'E-1', course: { title: 'A' } }, { id: 'E-2', course: { title: 'B' } }],
  };
  const at = (match, locale = 'en') => flagLines(match, translator(locale), { locale, agentZone: 'UTC', now: NOW })[0].detail;
  assert.match(at({ ...base, enrolments_total: 300 }), /^At least 2 deadlines within 3 days\. Next: Quiz 1/);
  assert.match(at({ ...base, enrolments_total: 300 }, 'fr'), /^Au moins 2 échéances/);
  assert.match(at({ ...base, enrolments_total: 300 }, 'zh-CN'), /至少有 2 个截止日期/);
  assert.match(at({ ...base, enrolments_total: 2 }), /^2 deadlines within/); // every enrolment was sent
  // Enrolments without a deadline soon were sent too: every one with a deadline soon came before them.
  const more = { ...base, enrolments: [...base.enrolments, { id: 'E-3', course: { title: 'C' } }], enrolments_total: 300 };
  assert.match(at(more), /^2 deadlines within/);
});
