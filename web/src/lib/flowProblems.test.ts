import { describe, expect, it } from 'vitest';
import type { FlowDocument } from '@contract';
import { pinViolation, problemPlace, refusedProblems } from './flowProblems';

const t = (s: string) => ({ zh_cn: s, en_us: s });
const doc: FlowDocument = {
  name: t('Travel'),
  biz_type: 'travel_application',
  process_admins: [],
  form: [{ api_name: 'cost', label: t('Cost'), type: 'number' }],
  nodes: [
    { type: 'start', id: 'start', next: 'manager' },
    { type: 'approval', id: 'manager', name: t('Manager'), approvers: [], next: 'end' },
    { type: 'end', id: 'end' },
  ],
};

describe('problems pinned from violations', () => {
  it('pins nodes and fields, dropping the request body prefix', () => {
    expect(pinViolation(doc, { field: 'document.nodes[1].approvers', description: 'empty' })).toEqual({
      field: 'nodes[1].approvers',
      description: 'empty',
      node_id: 'manager',
    });
    expect(pinViolation(doc, { field: 'form[0].api_name', description: 'bad' })).toMatchObject({
      field_api_name: 'cost',
    });
    expect(pinViolation(doc, { field: 'nodes[9]', description: 'x' }).node_id).toBeUndefined();
  });

  it('places a problem on the tab it belongs to', () => {
    expect(problemPlace({ field: 'nodes[1]', description: '', node_id: 'manager' })).toBe('flow');
    expect(problemPlace({ field: 'form[0].label', description: '' })).toBe('form');
    expect(problemPlace({ field: 'rules.validations[0].expression', description: '' })).toBe('form');
    expect(problemPlace({ field: 'process_admins', description: '' })).toBe('settings');
  });
});

describe('problems of a refused publish', () => {
  it('keeps the server-pinned problems as sent', () => {
    const problems = [
      { field: 'rules.calculations[0].expression', description: 'not a number', field_api_name: 'days' },
      { field: 'nodes[1].approvers', description: 'empty', node_id: 'manager' },
    ];
    expect(refusedProblems({ code: 'invalid_field', problems })).toEqual(problems);
  });
  it('answers undefined without problems or with a bad shape', () => {
    expect(refusedProblems({ code: 'invalid_field' })).toBeUndefined();
    expect(refusedProblems({ problems: [] })).toBeUndefined();
    expect(refusedProblems({ problems: [{ field: 1 }] })).toBeUndefined();
    expect(refusedProblems({ problems: 'x' })).toBeUndefined();
  });
});
