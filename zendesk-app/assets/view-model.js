// Pure decisions behind the views: which state, which sections are partial, what a flag says.
import { formatDate, formatDateTime, formatPercent } from './format.js';

export const LIST_LIMIT = 5;
const SECTION_ORDER = ['learner', 'enrolments', 'courses', 'payments'];

/** "matched" | "partial" | "not-found" for a 200 answer. */
export function stateOf(data) {
  if (sectionIssues(data.sections).length) return 'partial';
  return data.matches.length ? 'matched' : 'not-found';
}

/** Sections whose status is not ok, in a fixed order: [{section, status, as_of}]. */
export function sectionIssues(sections) {
  const out = [];
  for (const name of SECTION_ORDER) {
    const s = sections && sections[name];
    if (s && s.status && s.status !== 'ok') out.push({ section: name, status: s.status, as_of: s.as_of || null });
  }
  return out;
}

/** The issues that belong next to one part of the panel (enrolments shows courses too). */
export function issuesFor(issues, part) {
  const wanted = part === 'enrolments' ? ['enrolments', 'courses'] : [part];
  return issues.filter((i) => wanted.includes(i.section));
}

/** The first LIST_LIMIT items unless expanded, and how many are hidden (incl. beyond the page). */
export function visibleItems(items, expanded, total) {
  const list = items || [];
  const shown = expanded ? list : list.slice(0, LIST_LIMIT);
  const all = Math.max(Number(total) || 0, list.length);
  return { shown, hidden: all - shown.length, all };
}

/** The admin URL for a learner, only http(s); null for an empty or unsafe template. */
export function adminLink(template, learnerId) {
  if (!template || !learnerId || !String(template).includes('{learner_id}')) return null;
  const raw = String(template).split('{learner_id}').join(encodeURIComponent(learnerId));
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** "Matched by email a@b.c, order ORD-…" in the UI language; values masked by the caller. */
export function whyMatched(matchedBy, t, mask = (v) => v) {
  const parts = (matchedBy || []).map((m) => {
    const value = m.kind === 'email' ? mask(m.value) : m.value;
    return t(`why.${m.kind}`, { value });
  });
  return parts.length ? t('why.prefix', { reasons: parts.join(', ') }) : '';
}

/** A flag's title and (when its params allow) detail line in the UI language. */
export function flagText(flag, t, { locale, agentZone } = {}) {
  const code = flag && flag.code;
  const title = t.has(`flag.${code}`) ? t(`flag.${code}`) : t('flag.unknown', { code });
  const p = { ...(flag.params || {}) };
  for (const key of ['until', 'due_at', 'erased_at', 'issued_at', 'current_period_end']) {
    if (p[key]) p[key] = key === 'due_at' ? formatDateTime(p[key], locale, agentZone) : formatDate(p[key], locale, agentZone);
  }
  if (p.coverage_pct !== undefined && p.coverage_pct !== null) p.coverage_pct = formatPercent(p.coverage_pct, locale);
  if (p.days !== undefined) p.days = t.plural('unit.days', Number(p.days) || 0);
  const detail = t.has(`flag.${code}.detail`) ? t.strict(`flag.${code}.detail`, p) : null;
  return { title, detail, severity: flag.severity || 'info' };
}

/** Tags still missing from the ticket: suggested minus present. */
export function tagsToAdd(suggested, present = []) {
  const have = new Set(present);
  return (suggested || []).filter((tag) => !have.has(tag));
}
