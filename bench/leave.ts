import { jsonRequest } from './json-request.js';

/**
 * The demo leave request every benchmark sends: 2 days, so the manager's approval completes it. Personal
 * leave, which the demo does not track against a balance: a tracked type's start sums the initiator's open
 * requests (BENCHMARKS.md), and the loads' one initiator would hold thousands — no real person does.
 */
export const leaveStartBody = (flowDefinitionId: string): string =>
  JSON.stringify({
    flow_definition_id: flowDefinitionId,
    initiator_id: 'employee',
    flow_data: [
      { variable_api_name: 'leave_type', variable_value: { enum_value: 'personal' } },
      { variable_api_name: 'start_date', variable_value: { date_value: '2026-12-01' } },
      { variable_api_name: 'end_date', variable_value: { date_value: '2026-12-02' } },
      { variable_api_name: 'days', variable_value: { number_value: '2' } },
    ],
  });

/**
 * One whole leave instance over the Open API, as the full-instance loads run it: start, read the
 * process (its to-do), approve. True when the approval was accepted.
 */
export async function leaveInstance(
  serverUrl: string,
  headers: Record<string, string>,
  flowDefinitionId: string,
): Promise<boolean> {
  const base = `${serverUrl}/open-apis/corehr/v2`;
  const started = (
    await jsonRequest(
      `${base}/process_start?user_id_type=user_id`,
      'POST',
      headers,
      leaveStartBody(flowDefinitionId),
    )
  ).body as { data: { process_id: string } };
  const id = started.data.process_id;
  const detail = (await jsonRequest(`${base}/processes/${id}?user_id_type=user_id`, 'GET', headers)).body as {
    data: { todos: { approver_id: string }[] };
  };
  const approved = await jsonRequest(
    `${base}/processes/${id}/approvers/${detail.data.todos[0]!.approver_id}?user_id_type=user_id`,
    'PUT',
    headers,
    JSON.stringify({ status: 3, user_id: 'manager' }),
  );
  return approved.status === 200;
}
