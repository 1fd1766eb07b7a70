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
