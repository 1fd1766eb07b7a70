import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DirectorySnapshot } from '../../engine/approver-resolution.js';
import type { FlowDefinition } from '../../engine/definition.js';
import type { ProcessState } from '../../engine/process.js';
import { summaryOf } from './approval-center-render.js';

const label = (en: string) => ({ zh_cn: en, en_us: en });
const definition: FlowDefinition = {
  id: 'flow',
  version: 1,
  name: label('Trip'),
  bizType: 'custom:trip',
  processAdminIds: [],
  form: [
    { apiName: 'salary', label: label('Salary'), type: 'number', required: false },
    { apiName: 'from', label: label('From'), type: 'date', required: true },
    { apiName: 'departs', label: label('Departs'), type: 'date_time', required: true },
    { apiName: 'note', label: label('Note'), type: 'text', required: false },
    { apiName: 'urgent', label: label('Urgent'), type: 'bool', required: false },
  ],
  nodes: [],
  settings: { skipDuplicateApprovers: false, revokeNeedsApproval: false },
};
const directory: DirectorySnapshot = { employees: new Map(), departments: new Map(), roles: new Map() };
const departs = Date.UTC(2026, 2, 2, 8, 30);
const state = {
  formValues: { salary: '30000', from: '2026-03-02', departs: String(departs), urgent: true },
} as unknown as ProcessState;

test('summary lines: dates and date-times say so, the date-time as ISO 8601; hidden fields and empty values left out', () => {
  assert.deepEqual(summaryOf(definition, state, directory, new Set(['salary']), 5), [
    { label: label('From'), value: label('2026-03-02'), format: 'date' },
    { label: label('Departs'), value: label(new Date(departs).toISOString()), format: 'date_time' },
    { label: label('Urgent'), value: { zh_cn: '是', en_us: 'Yes' } },
  ]);
  // Three by default (a list's row), in the form's order.
  assert.deepEqual(
    summaryOf(definition, state, directory).map((line) => line.label.en_us),
    ['Salary', 'From', 'Departs'],
  );
});
