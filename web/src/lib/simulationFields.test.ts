import { describe, expect, it } from 'vitest';
import type { FlowDocument } from '@contract';
import { routingFields } from './simulationFields';

const label = { zh_cn: 'x', en_us: 'x' };
const doc: FlowDocument = {
  name: label,
  biz_type: 'custom:x',
  process_admins: ['a'],
  form: [
    { api_name: 'days', label, type: 'number' },
    { api_name: 'reason', label, type: 'text' },
    { api_name: 'backup', label, type: 'user' },
    { api_name: 'city', label, type: 'enum', options: [{ value: 'bj', label }] },
    { api_name: 'rows', label, type: 'record', sub_fields: [{ api_name: 'n', label, type: 'number' }] },
  ],
  nodes: [
    { type: 'start', id: 'start', next: 'gw' },
    {
      type: 'exclusive',
      id: 'gw',
      branches: [{ condition: 'form.days > 3 && form.city == "bj" && size(form.rows) > 0', next: 'a' }],
      default_next: 'end',
    },
    {
      type: 'approval',
      id: 'a',
      name: label,
      approvers: [{ type: 'form_field', field: 'backup' }],
      next: 'end',
    },
    { type: 'end', id: 'end' },
  ],
};

describe('routingFields', () => {
  it('keeps the fields conditions and approver rules read, in form order, without records', () => {
    expect(routingFields(doc).map((f) => f.api_name)).toEqual(['days', 'backup', 'city']);
  });
});
