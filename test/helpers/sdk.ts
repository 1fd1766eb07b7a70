import * as lark from '@larksuiteoapi/node-sdk';
import assert from 'node:assert/strict';
import type { DemoManifest } from '../../src/services/demo.service.js';

/** The official SDK pointed at a test server: the only Open API client the conformance tests use. */
export function sdkClient(baseUrl: string, app: { app_id: string; app_secret: string }): lark.Client {
  return new lark.Client({
    appId: app.app_id,
    appSecret: app.app_secret,
    domain: baseUrl,
    loggerLevel: lark.LoggerLevel.fatal,
  });
}

export interface WireError {
  status: number;
  code: number;
  msg: string;
  fields: string[];
}

/** Runs an SDK call that must fail; returns the HTTP status and the vendor error body. */
export async function failure(call: Promise<unknown>): Promise<WireError> {
  try {
    const result = (await call) as { code?: number; msg?: string };
    assert.fail(`expected an error, got ${JSON.stringify(result)}`);
  } catch (error) {
    const response = (
      error as {
        response?: {
          status: number;
          data: { code: number; msg: string; error?: { field_violations?: { field: string }[] } };
        };
      }
    ).response;
    if (!response) throw error;
    return {
      status: response.status,
      code: response.data.code,
      msg: response.data.msg,
      fields: (response.data.error?.field_violations ?? []).map((v) => v.field),
    };
  }
}

type Value = Record<string, unknown>;
export const text = (v: string): Value => ({ text_value: v });
export const num = (v: string): Value => ({ number_value: v });
export const choice = (v: string): Value => ({ enum_value: v });
export const date = (v: string): Value => ({ date_value: v });
export const flowData = (values: Record<string, Value>) =>
  Object.entries(values).map(([name, value]) => ({ variable_api_name: name, variable_value: value }));

/** Demo flows driven through the SDK with user_id ids, as an integration would. */
export class DemoDriver {
  constructor(
    readonly client: lark.Client,
    readonly demo: DemoManifest,
  ) {}

  async start(
    flow: string,
    initiator: string,
    values: Record<string, Value>,
    extra: Record<string, unknown>[] = [],
  ): Promise<string> {
    const r = await this.client.corehr.v2.processStart.create({
      params: { user_id_type: 'user_id' },
      data: {
        flow_definition_id: this.demo.flow_definitions[flow]!,
        initiator_id: initiator,
        flow_data: [...flowData(values), ...extra],
      },
    });
    assert.equal(r.code, 0);
    return r.data!.process_id!;
  }

  get(processId: string) {
    return this.client.corehr.v2.process
      .get({ path: { process_id: processId }, params: { user_id_type: 'user_id' } })
      .then((r) => r.data!);
  }

  /** The person's tasks in this process, as approver.list reports them. */
  async tasks(
    userId: string,
    processId: string,
  ): Promise<{ approver_id: string; approver_status: number }[]> {
    const out: { approver_id: string; approver_status: number }[] = [];
    for await (const page of await this.client.corehr.v2.approver.listWithIterator({
      params: { user_id: userId, user_id_type: 'user_id', page_size: 50 },
    })) {
      for (const item of page?.approver_list ?? [])
        if (item.process_id === processId)
          out.push({ approver_id: item.approver_id!, approver_status: item.approver_status! });
    }
    return out;
  }

  async openTask(userId: string, processId: string): Promise<string> {
    const open = (await this.tasks(userId, processId)).filter((t) => t.approver_status === 1);
    assert.equal(
      open.length,
      1,
      `${userId} should have one open task in ${processId}: ${JSON.stringify(await this.tasks(userId, processId))}`,
    );
    return open[0]!.approver_id;
  }

  async decide(processId: string, userId: string, status: 2 | 3, fieldValues?: Record<string, unknown>[]) {
    const approverId = await this.openTask(userId, processId);
    const r = await this.client.corehr.v2.processApprover.update({
      path: { process_id: processId, approver_id: approverId },
      params: { user_id_type: 'user_id' },
      data: {
        status,
        user_id: userId,
        reason: status === 3 ? 'agreed' : 'no',
        ...(fieldValues ? { field_values_v2: fieldValues } : {}),
      },
    });
    assert.deepEqual(r.data, { code: 0, msg: 'success' });
    return approverId;
  }

  approve(processId: string, userId: string, fieldValues?: Record<string, unknown>[]) {
    return this.decide(processId, userId, 3, fieldValues);
  }

  async form(processId: string): Promise<Record<string, Record<string, unknown>>> {
    const r = await this.client.corehr.v2.processFormVariableData.get({
      path: { process_id: processId },
      params: { user_id_type: 'user_id', department_id_type: 'department_id' },
    });
    return Object.fromEntries(
      (r.data?.field_variable_values ?? []).map((v) => [
        v.variable_api_name!,
        (v.variable_value ?? {}) as Record<string, unknown>,
      ]),
    );
  }
}
