// Dates, times, money, names of countries and languages, and masking — all through Intl.

/** The IANA zone if Intl knows it, else null. */
export function safeTimeZone(zone) {
  if (!zone || typeof zone !== 'string') return null;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return null;
  }
}

/** ZAF's currentUser.timeZone is an object ({ianaName, name}) in Support; accept a string too. */
export function agentTimeZone(value) {
  if (value && typeof value === 'object') return safeTimeZone(value.ianaName) || safeTimeZone(value.name);
  return safeTimeZone(value);
}

function toDate(value) {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A date (no time) in the given zone, e.g. "24 nov. 2026"; '' for no/invalid value. */
export function formatDate(value, locale, timeZone) {
  const date = toDate(value);
  if (!date) return '';
  const zone = safeTimeZone(timeZone) || 'UTC';
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: zone }).format(date);
}

/**
 * The hour as the locale writes it: "6:19 PM" where the clock has 12 hours (no leading zero),
 * "06:19" / "18:19" where it has 24 (the zero keeps columns of times aligned).
 */
function hourStyle(locale) {
  const { hourCycle } = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions();
  return hourCycle === 'h11' || hourCycle === 'h12' ? 'numeric' : '2-digit';
}

/** Date and time with the zone's short name, e.g. "24 Nov 2026, 07:10 GMT+8" or "Nov 24, 2026, 7:10 AM EST". */
export function formatDateTime(value, locale, timeZone) {
  const date = toDate(value);
  if (!date) return '';
  const zone = safeTimeZone(timeZone) || 'UTC';
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric', month: 'short', day: 'numeric', hour: hourStyle(locale), minute: '2-digit',
    timeZone: zone, timeZoneName: 'short',
  }).format(date);
}

/**
 * One moment on the agent's and the learner's clocks (formatDateTime): {agent, learner}. learner
 * is '' when the learner's zone is unknown or reads the same as the agent's: one clock says it all.
 */
export function twoClocks(value, locale, learnerZone, agentZone) {
  const agent = formatDateTime(value, locale, agentZone);
  const zone = safeTimeZone(learnerZone);
  const learner = zone ? formatDateTime(value, locale, zone) : '';
  return { agent, learner: learner === agent ? '' : learner };
}

/** The wall-clock time now in a zone, e.g. "14:05 CET" or "2:05 PM EST"; '' for an unknown zone. */
export function localTime(now, locale, timeZone) {
  const zone = safeTimeZone(timeZone);
  if (!zone) return '';
  return new Intl.DateTimeFormat(locale, {
    hour: hourStyle(locale), minute: '2-digit', timeZone: zone, timeZoneName: 'short',
  }).format(toDate(now) || new Date());
}

/**
 * "in 37 hours" / "dans 3 jours" / "3天后": whole units elapsed, cut toward zero (never promises
 * more time than is left). Hours below 48 h, then days; every deadline in the panel uses this.
 */
export function relativeTime(value, now, locale) {
  const date = toDate(value);
  const ref = toDate(now);
  if (!date || !ref) return '';
  const minutes = Math.trunc((date - ref) / 60000);
  const hours = Math.trunc(minutes / 60);
  // numeric 'always': "in 2 days", never a calendar word ("après-demain") the cut could make wrong.
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'always' });
  if (!minutes) return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(0, 'second');
  if (!hours) return rtf.format(minutes, 'minute');
  return Math.abs(hours) < 48 ? rtf.format(hours, 'hour') : rtf.format(Math.trunc(hours / 24), 'day');
}

/** A decimal string and ISO 4217 code as money in the locale; the raw text when unparsable. */
export function formatMoney(amount, currency, locale) {
  const number = Number(amount);
  if (amount === null || amount === undefined || amount === '' || !Number.isFinite(number)) return '';
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency: String(currency || '') }).format(number);
  } catch {
    return `${amount} ${currency || ''}`.trim();
  }
}

/** 0–100 as a percentage in the locale. */
export function formatPercent(pct, locale) {
  const number = Number(pct);
  if (pct === null || pct === undefined || !Number.isFinite(number)) return '';
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(number / 100);
}

function displayName(code, locale, type) {
  if (!code) return '';
  try {
    return new Intl.DisplayNames([locale], { type, fallback: 'code' }).of(code) || code;
  } catch {
    return String(code);
  }
}

/** "FR" -> "France" / "法国". */
export const countryName = (code, locale) => displayName(String(code || '').toUpperCase(), locale, 'region');
/** "fr" -> "French" / "français". */
export const languageName = (code, locale) => displayName(code, locale, 'language');

const DOT = '•••';

/** "amelie.durand@example.fr" -> "a•••@e•••.fr": enough to compare, not to read. */
export function maskEmail(email) {
  if (!email || !String(email).includes('@')) return email ? DOT : '';
  const [local, domain] = String(email).split('@');
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local.slice(0, 1)}${DOT}@${domain.slice(0, 1)}${DOT}${tld}`;
}

/** "Amélie Durand" -> "A••• D•••"; works on any script by code points. */
export function maskName(name) {
  if (!name) return '';
  return String(name).trim().split(/\s+/).map((part) => `${Array.from(part)[0]}${DOT}`).join(' ');
}

/**
 * Text cut around the identifiers it contains, [{text, value}] with value true for an identifier, so a
 * view can keep each one whole: "Matched by external ID sso-globex-00417" must not break after "sso-".
 */
export function splitAround(text, values) {
  // Longest first: an email's domain must not be taken for a shorter value inside it.
  const wanted = [...new Set((values || []).filter(Boolean).map(String))].sort((a, b) => b.length - a.length);
  const out = [];
  let rest = String(text || '');
  while (rest) {
    let hit = null;
    for (const v of wanted) {
      const at = rest.indexOf(v);
      if (at >= 0 && (!hit || at < hit.at)) hit = { at, v };
    }
    if (!hit) { out.push({ text: rest, value: false }); break; }
    if (hit.at) out.push({ text: rest.slice(0, hit.at), value: false });
    out.push({ text: hit.v, value: true });
    rest = rest.slice(hit.at + hit.v.length);
  }
  return out;
}
