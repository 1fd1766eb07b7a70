import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import type { FormField } from '@contract';
import { clientProblems, formatFileSize, isEmptyState, stateFromValues, valuesFromState } from './formValues';

const label = { zh_cn: '字段', en_us: 'Field' };
const f = (api_name: string, type: FormField['type'], extra: Partial<FormField> = {}): FormField => ({
  api_name,
  label,
  type,
  required: false,
  ...extra,
});

const FIELDS: FormField[] = [
  f('reason', 'text', { required: true }),
  f('days', 'number', { required: true }),
  f('paid', 'bool'),
  f('kind', 'enum', { options: [{ value: 'annual', label }] }),
  f('start', 'date'),
  f('at', 'date_time'),
  f('title', 'i18n'),
  f('backup', 'user'),
  f('worker', 'employment'),
  f('dept', 'department'),
  f('tags', 'list'),
  f('proof', 'file'),
  f('ref', 'object'),
  f('items', 'record', {
    sub_fields: [f('what', 'text', { required: true }), f('amount', 'number', { required: true })],
  }),
];

describe('form values', () => {
  it('turns control state into API values of every type and back', () => {
    const state = {
      reason: 'family',
      days: '2.5',
      paid: true,
      kind: 'annual',
      start: dayjs('2026-12-24', 'YYYY-MM-DD'),
      at: dayjs('2026-12-24T09:30:00.000Z'),
      title: { zh_cn: '年假', en_us: 'Leave' },
      backup: 'u1',
      worker: 'u2',
      dept: 'd1',
      tags: ['a', ' ', 'b'],
      proof: { file_id: 'f1', name: 'a.pdf', size: 10, content_type: 'application/pdf' },
      ref: { wk_id: ' 7 ', wk_api_name: 'job' },
      items: [{ what: 'taxi', amount: 12 }],
    };
    const values = valuesFromState(FIELDS, state);
    expect(values).toEqual({
      reason: 'family',
      days: '2.5',
      paid: true,
      kind: 'annual',
      start: '2026-12-24',
      at: '2026-12-24T09:30:00.000Z',
      title: { zh_cn: '年假', en_us: 'Leave' },
      backup: 'u1',
      worker: 'u2',
      dept: 'd1',
      tags: ['a', 'b'],
      proof: { file_id: 'f1', name: 'a.pdf', size: 10, content_type: 'application/pdf' },
      ref: { wk_id: '7', wk_api_name: 'job' },
      items: [{ what: 'taxi', amount: '12' }],
    });
    const back = stateFromValues(FIELDS, values);
    expect(dayjs.isDayjs(back.start)).toBe(true);
    expect((back.start as dayjs.Dayjs).format('YYYY-MM-DD')).toBe('2026-12-24');
    expect((back.at as dayjs.Dayjs).toISOString()).toBe('2026-12-24T09:30:00.000Z');
    // A round trip gives the same API values: drafts restore exactly what was typed.
    expect(valuesFromState(FIELDS, back)).toEqual(values);
  });

  it('leaves empty fields out, but sends an untouched switch as false', () => {
    const values = valuesFromState(FIELDS, {
      reason: '',
      tags: [],
      title: { zh_cn: '', en_us: ' ' },
      ref: { wk_id: '', wk_api_name: '' },
    });
    expect(values).toEqual({ paid: false });
  });

  it('reads old Unix-millisecond date_time values and drops values of the wrong shape', () => {
    const state = stateFromValues(FIELDS, { at: '1798104600000', start: 12, proof: 'x', items: 'no' });
    expect((state.at as dayjs.Dayjs).valueOf()).toBe(1798104600000);
    expect(state).not.toHaveProperty('start');
    expect(state).not.toHaveProperty('proof');
    expect(state).not.toHaveProperty('items');
  });

  it('finds required, number and i18n problems, inside record rows too', () => {
    const problems = clientProblems(FIELDS, {
      days: '2,5',
      title: { zh_cn: '年假', en_us: '' },
      items: [{ what: 'taxi', amount: '' }, {}],
    });
    expect(problems).toEqual([
      { path: ['reason'], code: 'required' },
      { path: ['days'], code: 'number' },
      { path: ['title'], code: 'i18n_both' },
      { path: ['items', 0, 'amount'], code: 'required' },
      { path: ['items', 1, 'what'], code: 'required' },
      { path: ['items', 1, 'amount'], code: 'required' },
    ]);
    expect(clientProblems(FIELDS, { reason: 'x', days: '-3.25' })).toEqual([]);
  });

  it('knows what empty means per type', () => {
    expect(isEmptyState(f('x', 'file'), { name: 'a' })).toBe(true);
    expect(isEmptyState(f('x', 'bool'), false)).toBe(false);
    expect(isEmptyState(f('x', 'number'), 0)).toBe(false);
  });

  it('formats file sizes per locale', () => {
    expect(formatFileSize(512, 'en')).toBe('512 B');
    expect(formatFileSize(1536, 'en')).toBe('1.5 KB');
    expect(formatFileSize(3 * 1024 * 1024, 'de')).toBe('3 MB');
    expect(formatFileSize(1536, 'de')).toBe('1,5 KB');
  });
});
