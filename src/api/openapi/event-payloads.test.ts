import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startProcess } from '../../engine/transitions.js';
import { isWireEvent } from '../../engine/process.js';
import { context, LEAVE_VALUES, singleNode, users } from '../../engine/__fixtures__/flows.js';
import { vendorEvent } from './event-payloads.js';

test('every engine event of a start maps to a vendor event type with the SDK handler fields', () => {
  const definition = singleNode([users('a')]);
  const started = startProcess(
    definition,
    { processId: 'p1', initiatorId: 'emp', formValues: LEAVE_VALUES },
    context(),
  );
  assert.ok(started.ok);
  const vendor = started.value.events.filter(isWireEvent).map((e) =>
    vendorEvent(e, {
      processId: 'p1',
      bizType: 'leave_application',
      definitionId: definition.id,
      processStatus: 'in_progress',
    }),
  );
  assert.deepEqual(
    vendor.map((v) => v.type),
    [
      'corehr.process.status.update_v2',
      'corehr.process.node.updated_v2',
      'corehr.process.approver.updated_v2',
      'corehr.process.node.updated_v2',
      'corehr.process.approver.updated_v2',
      'corehr.process.updated_v2',
    ],
  );
  assert.deepEqual(vendor[0]?.event, {
    process_id: 'p1',
    biz_type: 'leave_application',
    status: 1,
    flow_definition_id: definition.id,
    properties: 1,
  });
  assert.deepEqual(Object.keys(vendor[1]?.event ?? {}).sort(), [
    'biz_type',
    'flow_definition_id',
    'node_definition_id',
    'node_status',
    'node_type',
    'process_id',
    'process_node_id',
  ]);
  assert.equal(vendor[2]?.event.status, -1, "the initiator's own record");
  assert.equal(vendor[4]?.event.status, 1);
  const approverEvent = vendor[4];
  assert.ok(approverEvent);
  assert.deepEqual(Object.keys(approverEvent.event).sort(), [
    'approver_id',
    'biz_type',
    'flow_definition_id',
    'node_definition_id',
    'node_id',
    'node_id_str',
    'process_id',
    'status',
    'type',
  ]);
});
