import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { describeError, ERROR_CODES, errorKey, violationsByField } from './errors';

const catalogue = (language: string) =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, '..', 'i18n', 'locales', language, 'errors.json'), 'utf8'),
  ) as Record<string, string>;

describe('error translation', () => {
  test('every code the contract documents is known', () => {
    const contract = readFileSync(
      join(import.meta.dirname, '..', '..', '..', 'src', 'api', 'people', 'contract.ts'),
      'utf8',
    );
    const block = /export interface ApiError \{[\s\S]*?\*\/\n {2}code: string;/.exec(contract)?.[0] ?? '';
    const documented = [...block.matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
    expect(documented.length).toBeGreaterThan(10);
    for (const code of documented) expect(ERROR_CODES).toContain(code);
  });

  test('both catalogues translate every code, and nothing else', () => {
    for (const language of ['en', 'zh-CN']) {
      const messages = catalogue(language);
      expect(Object.keys(messages).sort()).toEqual([...ERROR_CODES].sort());
      for (const code of ERROR_CODES) expect(messages[code]?.trim()).not.toBe('');
    }
  });

  test('unknown or missing codes read as "unknown", never as a raw code', () => {
    expect(errorKey('task_status_conflict')).toBe('errors:task_status_conflict');
    expect(errorKey('something_new')).toBe('errors:unknown');
    expect(errorKey(undefined)).toBe('errors:unknown');
    expect(errorKey('__proto__')).toBe('errors:unknown');
  });

  test('describeError translates an ApiError-like value through t', () => {
    const t = (key: string) => `[${key}]`;
    expect(describeError(t, { code: 'invalid_credentials', message: 'x' })).toBe(
      '[errors:invalid_credentials]',
    );
    expect(describeError(t, new Error('boom'))).toBe('[errors:unknown]');
    expect(describeError(t, null)).toBe('[errors:unknown]');
  });

  test('violations by field: first description per field wins', () => {
    expect(
      violationsByField({
        violations: [
          { field: 'new_password', description: 'too short' },
          { field: 'new_password', description: 'second' },
          { field: 'login', description: 'unknown' },
          { nonsense: true },
        ],
      }),
    ).toEqual({ new_password: 'too short', login: 'unknown' });
    expect(violationsByField(new Error('x'))).toEqual({});
  });
});
