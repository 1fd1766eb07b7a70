import { leaveAction } from './leave.js';
import type { BusinessAction } from './types.js';

/** Each business type's action (docs/actions.md); a type without one completes with no system job. */
export const BUSINESS_ACTIONS: ReadonlyMap<string, BusinessAction> = new Map(
  [leaveAction].map((action) => [action.bizType, action]),
);

export const actionFor = (bizType: string): BusinessAction | undefined => BUSINESS_ACTIONS.get(bizType);
