import { describe, expect, it } from 'vitest';
import type { FlowDocument } from '@contract';
import {
  apiNameProblem,
  duplicateOptions,
  freeApiName,
  insertField,
  move,
  newField,
  patternCompiles,
  removeField,
  renameField,
  setRules,
  usesOf,
} from './formModel';

const name = (text: string) => ({ zh_cn: text, en_us: text });
const doc: FlowDocument = {
  name: name('travel'),
  biz_type: 'travel_application',
  process_admins: ['process_admin'],
  form: [
    { api_name: 'start_date', label: name('start'), type: 'date' },
    { api_name: 'end_date', label: name('end'), type: 'date' },
    { api_name: 'days', label: name('days'), type: 'number' },
  ],
  rules: {
    validations: [
      { id: 'r', expression: 'form.end_date >= form.start_date', message: name('m'), fields: ['end_date'] },
    ],
    calculations: [{ field: 'days', expression: 'days_between(form.start_date, form.end_date)' }],
  },
  nodes: [
    { type: 'start', id: 'start', next: 'gw' },
    {
      type: 'exclusive',
      id: 'gw',
      branches: [{ condition: 'form.end_date > "2026-01-01"', next: 'm' }],
      default_next: 'm',
    },
    {
      type: 'approval',
      id: 'm',
      name: name('m'),
      approvers: [{ type: 'manager', level: 1 }],
      editable_fields: ['end_date'],
      next: 'end',
    },
    { type: 'end', id: 'end' },
  ],
};

describe('form model', () => {
  it('checks api names: well-formed and unique', () => {
    expect(apiNameProblem('days', ['start_date'])).toBeUndefined();
    expect(apiNameProblem('Days', [])).toBe('format');
    expect(apiNameProblem('1x', [])).toBe('format');
    expect(apiNameProblem('a'.repeat(65), [])).toBe('format');
    expect(apiNameProblem('days', ['days'])).toBe('duplicate');
    expect(freeApiName('text', ['text_1', 'text_2'])).toBe('text_3');
  });

  it('flags duplicate option values after the first', () => {
    expect([...duplicateOptions([{ value: 'a' }, { value: 'b' }, { value: 'a' }, { value: 'a' }])]).toEqual([
      2, 3,
    ]);
  });

  it('adds, moves and removes fields', () => {
    const added = insertField(doc, newField('enum', ['start_date'], name('kind')), 1);
    expect(added.form.map((f) => f.api_name)).toEqual(['start_date', 'enum_1', 'end_date', 'days']);
    expect(added.form[1]?.options?.length).toBe(1);
    expect(move(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(move(['a', 'b'], 0, 5)).toEqual(['a', 'b']);
    expect(removeField(doc, 'days').form.map((f) => f.api_name)).toEqual(['start_date', 'end_date']);
  });

  it('renames a field everywhere it is used', () => {
    const renamed = renameField(doc, 'end_date', 'return_date');
    expect(renamed.form[1]?.api_name).toBe('return_date');
    expect(renamed.rules?.validations?.[0]).toMatchObject({
      expression: 'form.return_date >= form.start_date',
      fields: ['return_date'],
    });
    expect(renamed.rules?.calculations?.[0]?.expression).toBe(
      'days_between(form.start_date, form.return_date)',
    );
    const gw = renamed.nodes[1];
    expect(gw?.type === 'exclusive' && gw.branches[0]?.condition).toBe('form.return_date > "2026-01-01"');
    const node = renamed.nodes[2];
    expect(node?.type === 'approval' && node.editable_fields).toEqual(['return_date']);
    // A field whose name starts the same is left alone.
    expect(renameField(doc, 'start', 'x').rules).toEqual(doc.rules);
  });

  it('counts what uses a field, and drops empty rule lists', () => {
    expect(usesOf(doc, 'end_date')).toBe(4);
    expect(usesOf(doc, 'days')).toBe(1);
    expect(setRules(doc, { validations: [], visibility: [] }).rules).toBeUndefined();
    expect(setRules(doc, { visibility: [{ field: 'days', when: 'true' }] }).rules).toEqual({
      visibility: [{ field: 'days', when: 'true' }],
    });
  });

  it('checks patterns compile', () => {
    expect(patternCompiles('[A-Z]+')).toBe(true);
    expect(patternCompiles('(')).toBe(false);
  });
});
