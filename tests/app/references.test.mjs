// references: ids found in ticket text, and manual-search validation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectReferences, normaliseManualSearch, searchSuggestions } from '../../zendesk-app/assets/references.js';

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
