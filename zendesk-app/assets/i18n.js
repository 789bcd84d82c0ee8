// UI strings: locale resolution (fr-CA -> fr, zh-TW -> zh-CN, else en) and interpolation.
import en from './i18n/en.js';
import fr from './i18n/fr.js';
import zhCN from './i18n/zh-CN.js';

export const CATALOGS = { en, fr, 'zh-CN': zhCN };
export const LOCALES = Object.keys(CATALOGS);

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

/** A translator for one locale: t(key, params), t.plural(key, count, params), t.has(key), t.strict(...). */
export function translator(locale) {
  const code = CATALOGS[locale] ? locale : resolveLocale(locale);
  const catalog = CATALOGS[code];
  const lookup = (key) => catalog[key] ?? en[key];
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
