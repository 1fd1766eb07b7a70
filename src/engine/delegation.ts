import type { Delegation, DirectorySnapshot } from './approver-resolution.js';

/**
 * Out-of-office delegation (docs/people-api.md#out-of-office-delegation), pure: who gets a task meant
 * for someone at a moment, and whether a new delegation would close a cycle.
 */

/** Chains longer than this are not followed further (validation makes cycles impossible; this guards). */
export const MAX_DELEGATION_CHAIN = 20;

/** The delegation of `personId` in force at `at`, if any (one person's ranges never overlap). */
export function delegationAt(
  directory: DirectorySnapshot,
  personId: string,
  at: number,
): Delegation | undefined {
  return directory.delegations?.get(personId)?.find((d) => d.startsAt <= at && at < d.endsAt);
}

/**
 * Who does the work meant for `assigneeId` at `at`: their delegate, the delegate's delegate and so on
 * to the end of the chain. A delegate who is no longer active ends the chain before them, and a chain
 * that comes back to someone already on it stops there.
 */
export function delegateFor(directory: DirectorySnapshot, assigneeId: string, at: number): string {
  const seen = new Set([assigneeId]);
  let current = assigneeId;
  for (let step = 0; step < MAX_DELEGATION_CHAIN; step++) {
    const delegation = delegationAt(directory, current, at);
    if (!delegation || seen.has(delegation.delegateId)) break;
    if (directory.employees.get(delegation.delegateId)?.employmentStatus !== 'active') break;
    seen.add(delegation.delegateId);
    current = delegation.delegateId;
  }
  return current;
}

/**
 * The cycle `candidate` would close with `existing` delegations at some moment of its range, as the
 * people on it (delegator first, delegator again last), or undefined. Follows every delegation that
 * overlaps what is left of the range, so A→B and B→A in disjoint weeks is no cycle. `maxSteps` bounds
 * the search; reaching it counts as a cycle (refused rather than risked).
 */
export function delegationCycle(
  existing: readonly Delegation[],
  candidate: Delegation,
  maxSteps = 10_000,
): string[] | undefined {
  const byDelegator = new Map<string, Delegation[]>();
  for (const d of existing) byDelegator.set(d.delegatorId, [...(byDelegator.get(d.delegatorId) ?? []), d]);
  const stack = [
    {
      personId: candidate.delegateId,
      from: candidate.startsAt,
      to: candidate.endsAt,
      path: [candidate.delegatorId, candidate.delegateId],
    },
  ];
  let steps = 0;
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { personId, from, to, path } = item;
    for (const d of byDelegator.get(personId) ?? []) {
      const start = Math.max(from, d.startsAt);
      const end = Math.min(to, d.endsAt);
      if (start >= end) continue;
      if (++steps > maxSteps) return [...path, d.delegateId];
      if (d.delegateId === candidate.delegatorId) return [...path, d.delegateId];
      if (path.includes(d.delegateId)) continue;
      stack.push({ personId: d.delegateId, from: start, to: end, path: [...path, d.delegateId] });
    }
  }
  return undefined;
}
