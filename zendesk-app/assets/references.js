// Ids in ticket text (course, order, learner) — offered as one-click manual searches.

const PATTERNS = [
  { kind: 'order_id', re: /\bORD-\d{4}-\d{6}\b/gi },
  { kind: 'learner_id', re: /\bL-\d{7}\b/gi },
  { kind: 'course_id', re: /\bC-\d{4}\b/gi },
  { kind: 'course_slug', re: /\/learn\/([a-z0-9][a-z0-9-]*)/gi },
];

/** Every id found in the texts, first occurrence first, each once: [{kind, value}]. */
export function detectReferences(...texts) {
  const hits = [];
  const text = texts.filter(Boolean).join('\n');
  for (const { kind, re } of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const value = kind === 'course_slug' ? m[1].toLowerCase() : m[0].toUpperCase();
      hits.push({ kind, value, index: m.index });
    }
  }
  hits.sort((a, b) => a.index - b.index);
  const seen = new Set();
  const out = [];
  for (const { kind, value } of hits) {
    if (seen.has(`${kind}:${value}`)) continue;
    seen.add(`${kind}:${value}`);
    out.push({ kind, value });
  }
  return out;
}

/** The references a manual search can use (order and learner ids), in text order. */
export function searchSuggestions(...texts) {
  return detectReferences(...texts).filter((ref) => ref.kind === 'order_id' || ref.kind === 'learner_id');
}

const CHECKS = {
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  learner_id: /^L-\d{7}$/,
  order_id: /^ORD-\d{4}-\d{6}$/,
};

/** Normalise and check a manual search; {kind, value} or {error: 'empty'|'invalid'|'kind'}. */
export function normaliseManualSearch(kind, raw) {
  const check = CHECKS[kind];
  if (!check) return { error: 'kind' };
  let value = String(raw || '').trim();
  if (!value) return { error: 'empty' };
  value = kind === 'email' ? value.toLowerCase() : value.toUpperCase();
  return check.test(value) ? { kind, value } : { error: 'invalid' };
}
