import { describe, expect, test } from 'vitest';
import { isOvertaken, validateForConfirm } from './validation';

/** What rc-field-form's validateFields rejects with when another validation started meanwhile. */
const overtaken = { errorFields: [], outOfDate: true, values: {} };
const wrong = { errorFields: [{ name: ['opinion'], errors: ['Say why'] }], outOfDate: false, values: {} };

type Outcome = { values: unknown } | { failure: unknown };
const valid = (values: unknown): Outcome => ({ values });
const fails = (failure: unknown): Outcome => ({ failure });

/** A form whose validateFields answers in turn with the given outcomes (the last one from then on). */
function form(...outcomes: Outcome[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    validateFields: () => {
      const outcome = outcomes[Math.min(calls++, outcomes.length - 1)] as Outcome;
      if (!('failure' in outcome)) return Promise.resolve(outcome.values);
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- as rc-field-form does: a plain object
      return Promise.reject(outcome.failure);
    },
  };
}

describe('validateForConfirm', () => {
  test('valid values go through', async () => {
    expect(await validateForConfirm(form(valid({ opinion: 'ok' })))).toEqual({
      ok: true,
      values: { opinion: 'ok' },
    });
  });

  test('a validation overtaken by another one is run again: the Confirm is not lost', async () => {
    const f = form(fails(overtaken), valid({ opinion: 'ok' }));
    expect(await validateForConfirm(f)).toEqual({ ok: true, values: { opinion: 'ok' } });
    expect(f.calls).toBe(2);
  });

  test('a field in error: not valid, and the form shows it beside the field', async () => {
    const f = form(fails(wrong));
    expect(await validateForConfirm(f)).toEqual({ ok: false, shown: true });
    expect(f.calls).toBe(1);
  });

  test('overtaken, then a field in error: shown', async () => {
    expect(await validateForConfirm(form(fails(overtaken), fails(wrong)))).toEqual({
      ok: false,
      shown: true,
    });
  });

  test('overtaken every time: gives up after a few, and says nothing is shown (the dialog must say so)', async () => {
    const f = form(fails(overtaken));
    expect(await validateForConfirm(f)).toEqual({ ok: false, shown: false });
    expect(f.calls).toBe(3);
  });

  test('any other failure: nothing shown, never a rejection', async () => {
    expect(await validateForConfirm(form(fails(new Error('boom'))))).toEqual({ ok: false, shown: false });
  });

  test('isOvertaken: outOfDate without field errors only', () => {
    expect(isOvertaken(overtaken)).toBe(true);
    expect(isOvertaken({ ...wrong, outOfDate: true })).toBe(false);
    expect(isOvertaken(wrong)).toBe(false);
    expect(isOvertaken(null)).toBe(false);
    expect(isOvertaken(new Error('x'))).toBe(false);
  });
});
