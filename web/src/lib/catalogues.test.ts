import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const LOCALES = join(import.meta.dirname, '..', 'i18n', 'locales');

/** Every leaf key, plural forms folded (`x_one`, `x_other` → `x`): Chinese has one form, English two. */
function keys(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix.replace(/_(zero|one|two|few|many|other)$/, '')];
  if (!value || typeof value !== 'object') throw new Error(`${prefix}: not a string or object`);
  return Object.entries(value).flatMap(([key, inner]) => keys(inner, prefix ? `${prefix}.${key}` : key));
}

function catalogue(language: string, namespace: string): unknown {
  return JSON.parse(readFileSync(join(LOCALES, language, `${namespace}.json`), 'utf8'));
}

describe('catalogues', () => {
  const namespaces = readdirSync(join(LOCALES, 'en')).map((file) => file.replace(/\.json$/, ''));

  test('both languages have the same namespaces', () => {
    expect(readdirSync(join(LOCALES, 'zh-CN')).sort()).toEqual(readdirSync(join(LOCALES, 'en')).sort());
  });

  for (const namespace of namespaces) {
    test(`${namespace}: zh-CN and en have the same keys`, () => {
      const en = [...new Set(keys(catalogue('en', namespace)))].sort();
      const zh = [...new Set(keys(catalogue('zh-CN', namespace)))].sort();
      expect(zh).toEqual(en);
    });
  }

  // Some namespaces keep deliberately empty texts (an optional hint); these never do.
  test('no empty texts in the sign-in, inbox, profile, common and error catalogues', () => {
    for (const namespace of ['auth', 'common', 'errors', 'inbox', 'profile'])
      for (const language of ['en', 'zh-CN'])
        expect(JSON.stringify(catalogue(language, namespace))).not.toMatch(/:\s*""/);
  });

  test('English plurals have both forms', () => {
    for (const namespace of namespaces) {
      const all = keys(catalogue('en', namespace), '');
      const raw = JSON.stringify(catalogue('en', namespace));
      for (const match of raw.matchAll(/"(\w+)_one"/g)) expect(raw).toContain(`"${match[1]}_other"`);
      expect(all.length).toBeGreaterThan(0);
    }
  });
});
