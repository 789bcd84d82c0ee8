// references: ids found in ticket text, manual-search validation, and what the panel may say of whose they are.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectReferences, normaliseManualSearch, searchSuggestions } from '../../zendesk-app/assets/references.js';
import { referenceVerdict } from '../../zendesk-app/assets/view-model.js';

test('course, order and learner ids and course URLs are found in text order, each once', () => {
  const found = detectReferences(
    'Refund for ORD-2026-004217?',
    'I took C-0042 (https://learn.example.com/learn/data-science-101) — my id is L-0000123. Again ord-2026-004217.',
  );
  assert.deepEqual(found, [
    { kind: 'order_id', value: 'ORD-2026-004217' },
    { kind: 'course_id', value: 'C-0042' },
    { kind: 'course_slug', value: 'data-science-101' },
    { kind: 'learner_id', value: 'L-0000123' },
  ]);
});

test('look-alikes are not references', () => {
  assert.deepEqual(detectReferences('C-00421 ORD-26-004217 L-123 XC-0042 L-00001234'), []);
  assert.deepEqual(detectReferences('', null, undefined), []);
});

test('only order and learner ids are offered as manual searches', () => {
  assert.deepEqual(searchSuggestions('C-0042 then L-0000123', 'ORD-2026-000001'), [
    { kind: 'learner_id', value: 'L-0000123' },
    { kind: 'order_id', value: 'ORD-2026-000001' },
  ]);
});

test('manual search values are trimmed, normalised and checked per kind', () => {
  assert.deepEqual(normaliseManualSearch('email', '  Amelie.Durand@Example.FR '), { kind: 'email', value: 'amelie.durand@example.fr' });
  assert.deepEqual(normaliseManualSearch('learner_id', 'l-0000123'), { kind: 'learner_id', value: 'L-0000123' });
  assert.deepEqual(normaliseManualSearch('order_id', 'ord-2026-004217'), { kind: 'order_id', value: 'ORD-2026-004217' });
  assert.deepEqual(normaliseManualSearch('email', '   '), { error: 'empty' });
  assert.deepEqual(normaliseManualSearch('email', 'not-an-email'), { error: 'invalid' });
  assert.deepEqual(normaliseManualSearch('learner_id', 'L-12'), { error: 'invalid' });
  assert.deepEqual(normaliseManualSearch('phone', '123'), { error: 'kind' });
});

const ok = { status: 'ok', as_of: '2026-11-23T23:00:00Z' };
const down = (status) => ({ status, as_of: null });
const healthy = { learner: ok, enrolments: ok, courses: ok, payments: ok };
const one = [{ learner: { id: 'L-0000001', name: 'Amélie Durand' } }];
const two = [{ learner: { id: 'L-1000002', name: 'Wei Zhang' } }, { learner: { id: 'L-1000003', name: 'Zhang Wei' } }];
const miss = (kind, value, checked = true) => ({ kind, value, learner_id: null, matched: false, checked });
const verdict = (ref, sections, matches = one) => referenceVerdict(ref, matches, sections).verdict;

test('a reference that is not found is "not theirs" only when everything that links it answered', () => {
  assert.equal(verdict(miss('order', 'ORD-2026-000001'), healthy), 'unmatched');
  assert.equal(verdict(miss('course', 'C-0042'), healthy), 'unmatched');
});

test('an order cannot be checked while payments fail, a course while enrolments fail', () => {
  for (const status of ['timeout', 'error', 'unavailable']) {
    assert.equal(verdict(miss('order', 'ORD-2026-000001'), { ...healthy, payments: down(status) }), 'unchecked');
    assert.equal(verdict(miss('course', 'C-0042'), { ...healthy, enrolments: down(status) }), 'unchecked');
  }
  // Each only through its own section.
  assert.equal(verdict(miss('order', 'ORD-2026-000001'), { ...healthy, enrolments: down('error') }), 'unmatched');
  assert.equal(verdict(miss('course', 'C-0042'), { ...healthy, payments: down('error') }), 'unmatched');
});

test('a course URL also needs the catalogue (its slug), and every reference a whole learner lookup', () => {
  const noCatalogue = { ...healthy, courses: down('timeout') };
  assert.equal(verdict(miss('course', 'data-science-101'), noCatalogue), 'unchecked');
  assert.equal(verdict(miss('course', 'C-0042'), noCatalogue), 'unmatched');
  const noLearners = { ...healthy, learner: down('error') };
  for (const ref of [miss('order', 'ORD-2026-000001'), miss('course', 'C-0042'), miss('learner', 'L-0000009')]) {
    assert.equal(verdict(ref, noLearners), 'unchecked');
  }
});

test('a miss the backend could not rule out (it saw only the most recent records) is not "not theirs"', () => {
  assert.equal(verdict(miss('course', 'C-0319', false), healthy), 'capped');
  assert.equal(verdict(miss('course', 'C-0319', false), { ...healthy, enrolments: down('error') }), 'unchecked');
});

test('with no account on screen nothing is said; a match is a match whatever else failed', () => {
  assert.equal(verdict(miss('order', 'ORD-2026-000001'), healthy, []), null);
  const hit = { kind: 'order', value: 'ORD-2026-000001', learner_id: 'L-0000001', matched: true, checked: true };
  assert.equal(verdict(hit, { ...healthy, payments: down('error') }), 'matched');
});

test('a matched reference names its account only when there are several to tell apart', () => {
  const own = { kind: 'order', value: 'ORD-2026-000001', learner_id: 'L-0000001', matched: true, checked: true };
  assert.deepEqual(referenceVerdict(own, one, healthy), { verdict: 'matched', account: null });
  const hit = { kind: 'order', value: 'ORD-2026-005530', learner_id: 'L-1000003', matched: true, checked: true };
  const { verdict: v, account } = referenceVerdict(hit, two, healthy);
  assert.equal(v, 'matched');
  assert.deepEqual(account, { id: 'L-1000003', name: 'Zhang Wei', position: 2 });
  assert.equal(referenceVerdict(miss('order', 'ORD-2026-000001'), two, healthy).account, null);
});
