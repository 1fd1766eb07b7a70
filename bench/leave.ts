/** The demo leave request every benchmark sends: 2 days, so the manager's approval completes it. */
export const leaveStartBody = (flowDefinitionId: string): string =>
  JSON.stringify({
    flow_definition_id: flowDefinitionId,
    initiator_id: 'employee',
    flow_data: [
      { variable_api_name: 'leave_type', variable_value: { enum_value: 'annual' } },
      { variable_api_name: 'start_date', variable_value: { date_value: '2026-12-01' } },
      { variable_api_name: 'end_date', variable_value: { date_value: '2026-12-02' } },
      { variable_api_name: 'days', variable_value: { number_value: '2' } },
    ],
  });
