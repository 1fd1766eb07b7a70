import { describe, expect, it } from 'vitest';
import { errorsByPath, parsePath, placeViolations, violationCode, violationPath } from './violations';

describe('violation paths', () => {
  it('parses dotted paths with indexes', () => {
    expect(parsePath('form_values.items[0].amount')).toEqual(['form_values', 'items', 0, 'amount']);
    expect(parsePath('form_values.items.2.what')).toEqual(['form_values', 'items', 2, 'what']);
    expect(parsePath('form_values.title.zh_cn')).toEqual(['form_values', 'title', 'zh_cn']);
  });

  it('maps a violation to the form control that shows it', () => {
    expect(violationPath('form_values.days', 'form_values')).toEqual(['days']);
    expect(violationPath('form_values.items[1].amount', 'form_values')).toEqual(['items', 1, 'amount']);
    expect(violationPath('form_values', 'form_values')).toBeNull();
    expect(violationPath('selected_approvers.n1', 'form_values')).toBeNull();
    // Node validation names fields bare; the approve body says field_values.
    expect(violationPath('days', 'field_values', ['days'])).toEqual(['days']);
    expect(violationPath('field_values.days', 'field_values', ['days'])).toEqual(['days']);
  });

  it('puts unknown fields above the form and groups messages per control', () => {
    const { onFields, elsewhere } = placeViolations(
      [
        { field: 'form_values.days', description: 'is required' },
        {
          field: 'form_values.days',
          description: 'must be a decimal number written as a string, e.g. "3.5"',
        },
        { field: 'form_values.ghost', description: 'is not a field of this form' },
        { field: 'opinion', description: 'is required' },
      ],
      'form_values',
      ['days'],
    );
    expect(elsewhere.map((v) => v.field)).toEqual(['form_values.ghost', 'opinion']);
    expect(errorsByPath(onFields)).toEqual([
      { name: ['days'], errors: ['is required', 'must be a decimal number written as a string, e.g. "3.5"'] },
    ]);
  });

  it('recognises the server descriptions it can translate', () => {
    expect(violationCode('is required')).toBe('required');
    expect(violationCode('is required at this node')).toBe('required');
    expect(violationCode('must be one of annual, sick')).toBe('enum');
    expect(violationCode('unknown user')).toBe('unknown_user');
    expect(violationCode('must be a date written YYYY-MM-DD')).toBe('date');
    expect(violationCode('something new')).toBeNull();
  });
});
