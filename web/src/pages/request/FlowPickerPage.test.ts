import { describe, expect, it } from 'vitest';
import type { FlowSummary } from '@contract';
import { groupFlows } from './FlowPickerPage';

const flow = (
  id: string,
  bizType: string,
  name: [string, string],
  typeName: [string, string],
): FlowSummary => ({
  flow_id: id,
  name: { zh_cn: name[0], en_us: name[1] },
  biz_type: bizType,
  biz_type_name: { zh_cn: typeName[0], en_us: typeName[1] },
  version: 1,
});

describe('the flow picker groups flows by business type', () => {
  const leave = flow('1', 'leave_application', ['休假申请', 'Leave'], ['休假申请', 'Leave']);
  const expense = flow('2', 'custom:expense', ['费用报销', 'Expense'], ['费用报销', 'Expense']);

  it("heads a custom type's group with the name the server gives it (its flow's), in the reader's language", () => {
    expect(groupFlows([leave, expense], '', 'zh-CN').map((g) => g.name)).toEqual(['休假申请', '费用报销']);
    expect(groupFlows([leave, expense], '', 'en').map((g) => g.name)).toEqual(['Leave', 'Expense']);
  });

  it('heads a custom type shared by flows with different names with the type, not one flow', () => {
    const travel = flow(
      '3',
      'custom:travel_costs',
      ['差旅报销', 'Travel costs'],
      ['差旅报销', 'Travel costs'],
    );
    const taxi = flow('4', 'custom:travel_costs', ['打车报销', 'Taxi'], ['打车报销', 'Taxi']);
    const groups = groupFlows([travel, taxi], '', 'zh-CN');
    expect(groups).toHaveLength(1);
    expect(groups[0]?.name).toBe('Travel costs');
    expect(groups[0]?.flows.map((f) => f.flow_id)).toEqual(['3', '4']);
  });
});
