import type { ProcessStatus, WireEvent } from '../../engine/process.js';
import {
  CC_STATUS_CODE,
  NODE_STATUS_CODE,
  NODE_TYPE_CODE,
  PROCESS_PROPERTIES_NORMAL,
  PROCESS_STATUS_CODE,
  TASK_STATUS_CODE,
  TODO_TYPE_CODE,
} from './wire-enums.js';

/** What the outbox stores for each engine event: the event plus the process it belongs to. */
export type OutboxPayload = WireEvent & {
  processId: string;
  bizType: string;
  definitionId: string;
  processStatus: ProcessStatus;
};

export type VendorEventType =
  | 'corehr.process.status.update_v2'
  | 'corehr.process.updated_v2'
  | 'corehr.process.node.updated_v2'
  | 'corehr.process.approver.updated_v2'
  | 'corehr.process.cc.updated_v2'
  | 'corehr.process_comment_info.updated_v2';

/**
 * The `event` part of the vendor's schema-2.0 envelope, with exactly the fields of the official
 * SDK's handler types. `biz_type` is the business type's api name (`leave_application`, or
 * `custom:<name>`).
 */
export function vendorEvent(payload: OutboxPayload): {
  type: VendorEventType;
  event: Record<string, unknown>;
} {
  // Each event object is written out whole, never spread from a shared part: a spread into literals of
  // six shapes took V8's slow paths (map transitions at run time), a few percent of a start's CPU.
  switch (payload.kind) {
    case 'process_status_changed':
      return {
        type: 'corehr.process.status.update_v2',
        event: {
          process_id: payload.processId,
          biz_type: payload.bizType,
          status: PROCESS_STATUS_CODE[payload.status],
          flow_definition_id: payload.definitionId,
          properties: PROCESS_PROPERTIES_NORMAL,
        },
      };
    case 'process_updated':
      return {
        type: 'corehr.process.updated_v2',
        event: {
          process_id: payload.processId,
          biz_type: payload.bizType,
          status: PROCESS_STATUS_CODE[payload.processStatus],
          flow_definition_id: payload.definitionId,
          properties: PROCESS_PROPERTIES_NORMAL,
        },
      };
    case 'node_status_changed':
      return {
        type: 'corehr.process.node.updated_v2',
        event: {
          process_id: payload.processId,
          biz_type: payload.bizType,
          flow_definition_id: payload.definitionId,
          node_definition_id: payload.nodeDefId,
          process_node_id: payload.nodeRunId,
          node_type: NODE_TYPE_CODE[payload.nodeKind],
          node_status: NODE_STATUS_CODE[payload.status],
        },
      };
    case 'task_status_changed':
      return {
        type: 'corehr.process.approver.updated_v2',
        event: {
          process_id: payload.processId,
          biz_type: payload.bizType,
          type: TODO_TYPE_CODE[payload.taskType],
          approver_id: payload.taskId,
          status: TASK_STATUS_CODE[payload.status],
          flow_definition_id: payload.definitionId,
          node_definition_id: payload.nodeDefId,
          node_id: payload.nodeRunId,
          node_id_str: payload.nodeRunId,
        },
      };
    case 'cc_created':
      return {
        type: 'corehr.process.cc.updated_v2',
        event: {
          process_id: payload.processId,
          biz_type: payload.bizType,
          approver_id: payload.ccId,
          status: CC_STATUS_CODE,
        },
      };
    case 'comment_added':
      return {
        type: 'corehr.process_comment_info.updated_v2',
        event: { process_id: payload.processId, comment_id: payload.commentId, type: 1 },
      };
  }
}
