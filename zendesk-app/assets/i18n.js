// UI strings: locale resolution (fr-CA -> fr, zh-TW -> zh-CN, else en), loading and interpolation.

export const LOCALES = ['en', 'fr', 'zh-CN'];
// Filled by loadLocale: an agent downloads only the catalogs it uses (its own, the learner's).
// They all have the same keys (a unit test enforces it), so no fallback catalog is preloaded.
export const CATALOGS = {};

// The reply summary's strings, by locale (i18n/reply/): the learner's language matters for the reply
// only, so an agent writing to a learner of another language loads those few, not a whole catalog.
export const REPLY_CATALOGS = {};

/** Import a locale's catalog once (dynamic import keeps the others off the wire). */
export async function loadLocale(locale) {
  const code = LOCALES.includes(locale) ? locale : resolveLocale(locale);
  if (!CATALOGS[code]) CATALOGS[code] = (await import(`./i18n/${code}.js`)).default;
  return code;
}

/** Import a locale's reply-summary strings once. */
export async function loadReplyLocale(locale) {
  const code = LOCALES.includes(locale) ? locale : resolveLocale(locale);
  if (!REPLY_CATALOGS[code]) REPLY_CATALOGS[code] = (await import(`./i18n/reply/${code}.js`)).default;
  return code;
}

/** Every catalog, the panel's and the reply's (tests, tools). */
export const loadAll = () => Promise.all([...LOCALES.map(loadLocale), ...LOCALES.map(loadReplyLocale)]);

/** Map any BCP 47 tag (or Zendesk locale like "zh-cn", "fr_CA") to en, fr or zh-CN. */
export function resolveLocale(tag) {
  const norm = String(tag || '').trim().replace(/_/g, '-').toLowerCase();
  if (!norm) return 'en';
  const language = norm.split('-')[0];
  // Every Chinese variant gets simplified Chinese: closer to a zh-TW reader than English.
  if (language === 'zh') return 'zh-CN';
  if (language === 'fr') return 'fr';
  return 'en';
}

/**
 * The locale dates and numbers are written in: the agent's own (en-GB, fr-CA) when it speaks the UI's
 * language, else the UI's: "24 Nov 2026" for en-GB, never a German month inside an English sentence.
 */
export function formatLocale(tag, uiLocale) {
  try {
    const [canonical] = Intl.getCanonicalLocales(String(tag || '').trim().replace(/_/g, '-'));
    // Chinese variants keep zh-CN: country names in traditional script would mix into simplified text.
    if (canonical && uiLocale !== 'zh-CN' && canonical.split('-')[0].toLowerCase() === uiLocale) return canonical;
  } catch {
    // not a BCP 47 tag: the UI's locale
  }
  return uiLocale;
}

/** Fill {name} placeholders; null when a placeholder has no value and strict is set. */
export function interpolate(template, params = {}, strict = false) {
  let missing = false;
  const out = template.replace(/\{(\w+)\}/g, (whole, name) => {
    const value = params[name];
    if (value === undefined || value === null || value === '') {
      missing = true;
      return whole;
    }
    return String(value);
  });
  return strict && missing ? null : out;
}

/**
 * A translator for one locale: t(key, params), t.plural(key, count, params), t.has(key), t.strict(...);
 * catalogs: the panel's (CATALOGS) or the reply summary's (REPLY_CATALOGS).
 */
export function translator(locale, catalogs = CATALOGS) {
  const code = LOCALES.includes(locale) ? locale : resolveLocale(locale);
  // English answers only if it happens to be loaded; a missing key shows itself, never nothing.
  const lookup = (key) => (catalogs[code] || {})[key] ?? (catalogs.en || {})[key];
  const t = (key, params) => {
    const template = lookup(key);
    return template === undefined ? key : interpolate(template, params);
  };
  t.locale = code;
  t.has = (key) => lookup(key) !== undefined;
  t.strict = (key, params) => {
    const template = lookup(key);
    return template === undefined ? null : interpolate(template, params, true);
  };
  t.plural = (key, count, params = {}) => {
    const category = new Intl.PluralRules(code).select(count);
    const chosen = lookup(`${key}.${category}`) !== undefined ? `${key}.${category}` : `${key}.other`;
    return t(chosen, { count: new Intl.NumberFormat(code).format(count), ...params });
  };
  return t;
}
