// Pure decisions behind the views: which state, which sections are partial, what a flag says.
import { formatDate, formatPercent, relativeTime, twoClocks } from './format.js';

export const LIST_LIMIT = 5;
const SECTION_ORDER = ['learner', 'enrolments', 'courses', 'payments'];

/** "matched" | "partial" | "not-found" for a 200 answer. */
export function stateOf(data) {
  if (sectionIssues(data.sections).length) return 'partial';
  return data.matches.length ? 'matched' : 'not-found';
}

/**
 * True when a ticket-bound answer is about another requester than the one the ticket shows: the agent
 * picked a new requester and has not saved the ticket, so the backend (which reads the saved ticket)
 * answered for the previous one. Such an answer must never be shown as the new requester's. A ticket
 * whose requester id ZAF does not report cannot be told apart, so it counts as another too.
 */
export function aboutAnotherRequester(data, requester) {
  const resolved = data && data.resolved_requester;
  if (!resolved) return false; // manual search, or the identifiers the app itself sent
  const shown = requester && requester.id;
  return shown === undefined || shown === null || String(shown) !== String(resolved.zendesk_user_id);
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

/**
 * What a long list shows: the first LIST_LIMIT items unless expanded, the toggle's words and, when
 * the backend capped the list, the note saying so ({key, params} or null each), and the cap
 * ({count, total} or null). order says how the backend chose what it sent: 'recent' (newest
 * first) or 'soon-first' (enrolments: deadlines soon first, then newest activity).
 */
export function listView(items, expanded, total, order = 'recent') {
  const list = items || [];
  const shown = expanded ? list : list.slice(0, LIST_LIMIT);
  const all = Math.max(Number(total) || 0, list.length);
  const capped = all > list.length ? { count: list.length, total: all } : null;
  const recent = order !== 'soon-first';
  let label = null;
  if (expanded) label = { key: 'list.show_less', params: {} };
  else if (list.length > shown.length) {
    label = capped ? { key: recent ? 'list.show_recent' : 'list.show_first', params: capped } : { key: 'list.show_all', params: { count: list.length } };
  }
  const note = capped ? { key: recent ? 'list.capped' : 'list.capped_soon_first', params: capped } : null;
  return { shown, label, capped, note };
}

/**
 * The enrolments as listed: those with a deadline_soon flag (the backend's window, not a guess of
 * the app's) first, soonest first, then the others in the backend's order (newest activity).
 * The backend sends them so already; ordering here keeps the most urgent in the first rows anyway.
 */
export function enrolmentsInOrder(match) {
  const due = soonDue(match);
  const list = match.enrolments || [];
  const soon = list.filter((e) => due.has(e.id)).sort((a, b) => due.get(a.id) - due.get(b.id)); // stable
  return [...soon, ...list.filter((e) => !due.has(e.id))];
}

/** enrolment id -> its deadline_soon flag's due time (ms), for the enrolments with one. */
export function soonDue(match) {
  const due = new Map();
  for (const f of (match && match.flags) || []) {
    const id = f.code === 'deadline_soon' && f.params && f.params.enrolment_id;
    if (id && !due.has(id)) due.set(id, dueTime(f));
  }
  return due;
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

/** Items joined by the language's own separator: ", " in English and French, "、" in Chinese. */
export const joinList = (items, t) => items.join(t('list.separator'));

/** "Matched by email a@b.c, order ORD-…" in the UI language; values masked by the caller. */
export function whyMatched(matchedBy, t, mask = (v) => v) {
  const parts = (matchedBy || []).map((m) => {
    const value = m.kind === 'email' ? mask(m.value) : m.value;
    // An address Zendesk never verified, trusted only because the ticket was e-mailed from it: say so.
    if (m.kind === 'email' && m.basis === 'ticket_sender') return t('why.email_sender', { value });
    return t(`why.${m.kind}`, { value });
  });
  return parts.length ? t('why.prefix', { reasons: joinList(parts, t) }) : '';
}

/**
 * The catalog keys for a subscription's period end, most specific first: "{prefix}.{status}.past"
 * or ".future" by where the date lies from now, then "{prefix}.{status}" without a date. The tense
 * follows the date, so a past-due or cancelled subscription never "ends" on a day already gone.
 */
export function subscriptionKeys(prefix, sub, now = new Date()) {
  const base = `${prefix}.${sub.status}`;
  const end = Date.parse(sub.current_period_end);
  if (!Number.isFinite(end)) return [base];
  return [`${base}.${end > new Date(now).getTime() ? 'future' : 'past'}`, base];
}

/** A flag's title and (when its params allow) detail line in the UI language; mask hides a sponsor. */
export function flagText(flag, t, { locale, agentZone, learnerZone, now = new Date(), course, mask = (v) => v } = {}) {
  const code = flag && flag.code;
  const title = t.has(`flag.${code}`) ? t(`flag.${code}`) : t('flag.unknown', { code });
  const p = { ...(flag.params || {}) };
  // The same relative time as the enrolment row (the backend's whole `days` would disagree).
  if (p.due_at) p.when = relativeTime(p.due_at, now, locale);
  for (const key of ['until', 'erased_at', 'issued_at', 'current_period_end']) {
    if (p[key]) p[key] = formatDate(p[key], locale, agentZone);
  }
  if (p.due_at) {
    // The deadline is the learner's: their clock too, when it reads differently from the agent's.
    const clocks = twoClocks(p.due_at, locale, learnerZone, agentZone);
    p.due_at = clocks.learner ? t('time.both', clocks) : clocks.agent;
  }
  if (p.coverage_pct !== undefined && p.coverage_pct !== null) p.coverage_pct = formatPercent(p.coverage_pct, locale);
  p.course = course || p.course_id;
  if (p.sponsor_name) p.sponsor_name = mask(p.sponsor_name);
  const detail = t.has(`flag.${code}.detail`) ? t.strict(`flag.${code}.detail`, p) : null;
  return { title, detail, severity: flag.severity || 'info' };
}

// A flag's course by title, from the lists of the same match; null when unknown.
function courseTitle(match, params) {
  const { enrolment_id: enrolment, course_id: course } = params || {};
  const next = (match.next_deadlines || []).find((d) => enrolment && d.enrolment_id === enrolment);
  if (next && next.course_title) return next.course_title;
  const list = match.enrolments || [];
  const e = list.find((x) => enrolment && x.id === enrolment) || list.find((x) => course && x.course && x.course.id === course);
  return (e && e.course && e.course.title) || null;
}

const dueTime = (f) => Date.parse((f.params || {}).due_at) || Infinity;

/**
 * The flags as shown: [{code, count, title, detail, severity, enrolmentId}]. Every deadline_soon flag
 * folds into one line where the first stood ("8 deadlines in the next 7 days — next: …");
 * enrolmentId names the enrolment a deadline line is about (the soonest), else null.
 */
export function flagLines(match, t, { locale, agentZone, now = new Date(), mask } = {}) {
  const flags = match.flags || [];
  const soon = flags.filter((f) => f.code === 'deadline_soon').sort((a, b) => dueTime(a) - dueTime(b));
  const learnerZone = match.learner && match.learner.time_zone;
  const opts = { locale, agentZone, learnerZone, now, mask };
  const about = (f) => (f.code === 'deadline_soon' && (f.params || {}).enrolment_id) || null;
  const out = [];
  for (const flag of flags) {
    if (flag.code !== 'deadline_soon' || soon.length === 1) {
      const text = flagText(flag, t, { ...opts, course: courseTitle(match, flag.params) });
      out.push({ code: flag.code, count: 1, ...text, enrolmentId: about(flag) });
    } else if (flag === flags.find((f) => f.code === 'deadline_soon')) {
      const next = soon[0];
      const course = courseTitle(match, next.params);
      const one = flagText(next, t, { ...opts, course });
      // A window that holds them all, in whole days rounded up: "within 7 days".
      const days = Math.max(1, Math.ceil((dueTime(soon[soon.length - 1]) - new Date(now).getTime()) / 86400000));
      // Every enrolment sent has one, and more were not sent: the count is a floor, not a total.
      const sent = (match.enrolments || []).length;
      const floor = soon.length >= sent && Number(match.enrolments_total) > sent;
      const group = floor ? 'flag.deadline_soon.group_at_least' : 'flag.deadline_soon.group';
      const detail = Number.isFinite(days) ? t.plural(group, soon.length, {
        days: t.plural('unit.days', days), next: one.detail || course || (next.params || {}).course_id || '',
      }) : one.detail;
      out.push({ code: flag.code, count: soon.length, title: t('flag.deadline_soon.several'), detail, severity: one.severity, enrolmentId: about(next) });
    }
  }
  return out;
}

// The sections a reference is linked through; a course URL's slug is known from the catalogue only.
const LINKED_THROUGH = { course: ['enrolments'], order: ['payments'], learner: [] };
const COURSE_ID = /^C-\d{4}$/;

/**
 * What the panel may say of a ticket reference: {verdict, account}. verdict is null with no account
 * on screen (nobody to compare with), 'matched', 'unchecked' (a section its link needs failed: try
 * again later), 'capped' (the backend saw only the most recent records and did not find it there)
 * or 'unmatched' (looked at everything: not theirs). account is the owning match's learner and
 * 1-based position, only when there are several matches to tell apart.
 */
export function referenceVerdict(ref, matches, sections) {
  if (!matches || !matches.length) return { verdict: null, account: null };
  if (ref.matched) {
    const at = matches.findIndex((m) => m.learner && m.learner.id === ref.learner_id);
    const account = matches.length > 1 && at >= 0 ? { ...matches[at].learner, position: at + 1 } : null;
    return { verdict: 'matched', account };
  }
  // A failed learner lookup may have missed the very account the id belongs to.
  const through = ['learner', ...(LINKED_THROUGH[ref.kind] || [])];
  if (ref.kind === 'course' && !COURSE_ID.test(ref.value)) through.push('courses');
  const failed = sectionIssues(sections).some((issue) => through.includes(issue.section));
  if (failed) return { verdict: 'unchecked', account: null };
  return { verdict: ref.checked === false ? 'capped' : 'unmatched', account: null };
}

/** Tags still missing from the ticket: suggested minus present. */
export function tagsToAdd(suggested, present = []) {
  const have = new Set(present);
  return (suggested || []).filter((tag) => !have.has(tag));
}
