import { describe, expect, it } from 'vitest';
import type { FlowDocument } from '@contract';
import { diffFlows } from './flowDiff';

const t = (s: string) => ({ zh_cn: s, en_us: s });
const base: FlowDocument = {
  name: t('Travel'),
  biz_type: 'travel_application',
  process_admins: ['hr_head'],
  form: [
    { api_name: 'destination', label: t('Destination'), type: 'text', required: true },
    { api_name: 'days', label: t('Days'), type: 'number' },
    { api_name: 'cost', label: t('Cost'), type: 'number' },
  ],
  nodes: [
    { type: 'start', id: 'start', next: 'manager' },
    {
      type: 'approval',
      id: 'manager',
      name: t('Manager'),
      approvers: [{ type: 'manager', level: 1 }],
      next: 'end',
    },
    { type: 'end', id: 'end' },
  ],
};

describe('flow diff', () => {
  it('finds nothing between a document and itself', () => {
    const diff = diffFlows(base, structuredClone(base));
    expect(diff.counts).toEqual({ added: 0, removed: 0, changed: 0 });
    expect(diff.form.map((r) => r.status)).toEqual(['same', 'same', 'same']);
  });

  it('matches fields by api name and nodes by id: added, removed, changed with the properties that changed', () => {
    const next = structuredClone(base);
    next.name = t('Business travel');
    next.form = [
      { api_name: 'destination', label: t('Where to'), type: 'text', required: true },
      { api_name: 'cost', label: t('Cost'), type: 'number', required: true },
      { api_name: 'hotel', label: t('Hotel'), type: 'text' },
    ];
    next.nodes = [
      { type: 'start', id: 'start', next: 'manager' },
      {
        type: 'approval',
        id: 'manager',
        name: t('Manager'),
        approvers: [{ type: 'manager', level: 2 }],
        next: 'hrbp',
      },
      {
        type: 'cc',
        id: 'hrbp',
        name: t('HRBP'),
        recipients: [{ type: 'role', role_key: 'hrbp' }],
        next: 'end',
      },
      { type: 'end', id: 'end' },
    ];
    const diff = diffFlows(base, next);
    expect(diff.general.find((r) => r.key === 'name')?.status).toBe('changed');
    expect(diff.form.map((r) => [r.key, r.status, r.changed])).toEqual([
      ['destination', 'changed', ['label']],
      ['days', 'removed', []],
      ['cost', 'changed', ['required']],
      ['hotel', 'added', []],
    ]);
    expect(diff.nodes.map((r) => [r.key, r.status, r.changed])).toEqual([
      ['start', 'same', []],
      ['manager', 'changed', ['approvers', 'next']],
      ['hrbp', 'added', []],
      ['end', 'same', []],
    ]);
    expect(diff.counts).toEqual({ added: 2, removed: 1, changed: 4 });
  });

  it('keeps a removed item where it was, even at the end', () => {
    const next = structuredClone(base);
    next.form = next.form.slice(0, 2);
    expect(diffFlows(base, next).form.map((r) => [r.key, r.status])).toEqual([
      ['destination', 'same'],
      ['days', 'same'],
      ['cost', 'removed'],
    ]);
    const reversed = diffFlows(next, base);
    expect(reversed.form.at(-1)).toMatchObject({ key: 'cost', status: 'added' });
  });
});
