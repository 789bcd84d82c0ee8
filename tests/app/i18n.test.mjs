// i18n: locale fallbacks, catalog completeness, interpolation and plurals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CATALOGS, REPLY_CATALOGS, formatLocale, interpolate, loadAll, loadLocale, resolveLocale, translator,
} from '../../zendesk-app/assets/i18n.js';

await loadAll();

test('locales fall back to their language, Chinese variants to zh-CN, the rest to en', () => {
  const cases = {
    fr: 'fr', 'fr-CA': 'fr', fr_BE: 'fr', 'zh-cn': 'zh-CN', 'zh-CN': 'zh-CN', 'zh-TW': 'zh-CN', 'zh-Hant': 'zh-CN',
    'en-US': 'en', 'en-gb': 'en', de: 'en', 'pt-BR': 'en', '': 'en', undefined: 'en', null: 'en',
  };
  for (const [tag, expected] of Object.entries(cases)) {
    const input = tag === 'undefined' ? undefined : tag === 'null' ? null : tag;
    assert.equal(resolveLocale(input), expected, `resolveLocale(${tag})`);
  }
});

test('fr and zh-CN have exactly the keys of en, none empty', () => {
  const reference = Object.keys(CATALOGS.en).sort();
  for (const locale of ['fr', 'zh-CN']) {
    const keys = Object.keys(CATALOGS[locale]).sort();
    assert.deepEqual(keys.filter((k) => !reference.includes(k)), [], `${locale} has extra keys`);
    assert.deepEqual(reference.filter((k) => !keys.includes(k)), [], `${locale} misses keys`);
    // A separator is spacing itself: a space between French sentences, nothing between Chinese ones.
    for (const key of keys.filter((k) => !k.endsWith('.separator'))) {
      assert.ok(CATALOGS[locale][key].trim(), `${locale}:${key} is empty`);
    }
  }
});

test('translations keep the same placeholders as English', () => {
  const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const locale of ['fr', 'zh-CN']) {
    for (const [key, value] of Object.entries(CATALOGS.en)) {
      assert.deepEqual(names(CATALOGS[locale][key]), names(value), `${locale}:${key}`);
    }
  }
});

test('loading resolves a tag to its catalog', async () => {
  assert.equal(await loadLocale('fr-CA'), 'fr');
  assert.equal(await loadLocale('zh-HK'), 'zh-CN');
  assert.deepEqual(Object.keys(CATALOGS).sort(), ['en', 'fr', 'zh-CN']);
});

test('a translator speaks its locale and resolves regional tags', () => {
  assert.equal(translator('fr-CA')('action.refresh'), 'Actualiser');
  assert.equal(translator('zh-TW')('action.refresh'), '刷新');
  assert.equal(translator('de')('action.refresh'), 'Refresh');
  assert.equal(translator('fr').locale, 'fr');
});

test('an unknown key shows the key rather than nothing', () => {
  assert.equal(translator('fr')('no.such.key'), 'no.such.key');
  assert.equal(translator('fr').has('no.such.key'), false);
});

test('interpolation fills placeholders; strict mode refuses a missing one', () => {
  assert.equal(interpolate('Copy {id}', { id: 'L-0000123' }), 'Copy L-0000123');
  assert.equal(interpolate('Copy {id}', {}), 'Copy {id}');
  assert.equal(interpolate('Copy {id}', { id: null }, true), null);
  const t = translator('en');
  assert.equal(t.strict('flag.refund_eligible.detail', { order_id: 'ORD-2026-000001' }), null);
  assert.equal(t.strict('flag.refund_eligible.detail', { order_id: 'O', until: 'Dec 4' }), 'Order O can be refunded until Dec 4.');
});

test('plurals follow each language\'s rules', () => {
  assert.equal(translator('en').plural('unit.days', 1), '1 day');
  assert.equal(translator('en').plural('unit.days', 0), '0 days');
  assert.equal(translator('fr').plural('unit.days', 0), '0 jour'); // French: 0 is singular
  assert.equal(translator('fr').plural('unit.days', 2), '2 jours');
  assert.equal(translator('zh-CN').plural('unit.days', 3), '3 天');
});

test('dates and numbers follow the agent\'s own locale when it speaks the UI\'s language', () => {
  assert.equal(formatLocale('en-GB', 'en'), 'en-GB');
  assert.equal(formatLocale('fr_CA', 'fr'), 'fr-CA');
  assert.equal(formatLocale('de', 'en'), 'en'); // German months do not go into English sentences
  assert.equal(formatLocale('zh-TW', 'zh-CN'), 'zh-CN');
  assert.equal(formatLocale('not a locale!', 'en'), 'en');
  assert.equal(formatLocale(undefined, 'fr'), 'fr');
  const day = new Date('2026-11-26T12:00:00Z');
  assert.equal(new Intl.DateTimeFormat(formatLocale('en-GB', 'en'), { dateStyle: 'medium', timeZone: 'UTC' }).format(day),
    '26 Nov 2026');
});

test('French puts a narrow no-break space before : ; ? ! and no-break spaces inside « », so no mark starts a line', () => {
  for (const [key, value] of Object.entries({ ...CATALOGS.fr, ...REPLY_CATALOGS.fr })) {
    assert.doesNotMatch(value, /[ \t][:;?!]/, `fr:${key} has an ordinary space before a high punctuation mark`);
    assert.doesNotMatch(value, /« | »/, `fr:${key} has an ordinary space inside « »`);
  }
});

test('French calls tags "balises", as Zendesk\'s French interface does, never "tags" or "étiquettes"', () => {
  for (const [key, value] of Object.entries(CATALOGS.fr)) {
    const words = value.replace(/\{\w+\}/g, ''); // placeholders are not words the agent reads
    assert.doesNotMatch(words, /\btags?\b|étiquette/i, `fr:${key}`);
  }
  assert.equal(translator('fr').plural('action.add_tags', 2), 'Ajouter 2 balises');
});

test('the reply catalogs have the same keys and placeholders in every language, none empty', () => {
  const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  const reference = Object.keys(REPLY_CATALOGS.en).sort();
  assert.ok(reference.includes('summary.intro'));
  for (const locale of ['fr', 'zh-CN']) {
    assert.deepEqual(Object.keys(REPLY_CATALOGS[locale]).sort(), reference, locale);
    for (const key of reference) {
      assert.ok(REPLY_CATALOGS[locale][key].trim(), `${locale}:${key} is empty`);
      assert.deepEqual(names(REPLY_CATALOGS[locale][key]), names(REPLY_CATALOGS.en[key]), `${locale}:${key}`);
    }
  }
});

test('a word the reply shares with the panel reads the same in both, and the panel carries no reply strings', () => {
  for (const locale of ['en', 'fr', 'zh-CN']) {
    for (const [key, value] of Object.entries(REPLY_CATALOGS[locale])) {
      if (key.startsWith('summary.')) assert.equal(CATALOGS[locale][key], undefined, `${locale}:${key} in both`);
      else assert.equal(value, CATALOGS[locale][key], `${locale}:${key} differs from the panel's`);
    }
  }
});
