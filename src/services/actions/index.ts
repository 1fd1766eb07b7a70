import { jobChange } from './job-change.js';
import { leaveAction } from './leave.js';
import { offboarding } from './offboarding.js';
import { personInfoChange } from './person-info.js';
import { probation } from './probation.js';
import type { BusinessAction } from './types.js';

/** Every business type with a system action (docs/actions.md), by its api name. */
export const BUSINESS_ACTIONS: ReadonlyMap<string, BusinessAction> = new Map(
  [personInfoChange, jobChange, offboarding, probation, leaveAction].map((action) => [
    action.bizType,
    action,
  ]),
);

/** The action a completed process of `bizType` runs, if any; a type without one completes with no system job. */
export const actionFor = (bizType: string): BusinessAction | undefined => BUSINESS_ACTIONS.get(bizType);
