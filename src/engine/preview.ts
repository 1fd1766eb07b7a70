import { conditionHolds } from './conditions.js';
import type { FlowDefinition, NodeKind } from './definition.js';
import { Machine, type EngineContext } from './machine.js';
import type { ProcessState } from './process.js';

export interface PreviewStep {
  nodeId: string;
  kind: NodeKind;
  /** Who would act (approval, form fill) or be copied (cc), after fallbacks; people_corehr ids. */
  assignees: string[];
  /** Of those, who would be skipped as duplicate approvers. */
  skipped: string[];
  /** How an empty approver set was handled. */
  fallback?: 'auto_pass' | 'to_admins';
  /** The node has no approver and the definition refuses to start in that case. */
  refused?: boolean;
  /** Parallel branch scope, '' outside any parallel region. */
  scope: string;
}

/**
 * The path a request would take, without starting anything: branches are chosen on the given form
 * values, approvers resolved against the directory, fallbacks and duplicate skips applied. Every
 * branch of a parallel split is listed, in order.
 */
export function previewPath(
  definition: FlowDefinition,
  state: ProcessState,
  ctx: EngineContext,
): PreviewStep[] {
  const m = new Machine(definition, structuredClone(state), ctx);
  const steps: PreviewStep[] = [];
  const env = m.conditionEnv();
  const admins = definition.processAdminIds.filter(
    (id) => ctx.directory.employees.get(id)?.employmentStatus === 'active',
  );
  const lastApprovers = new Map<string, string[]>();
  const seenJoins = new Set<string>();

  const walk = (id: string, scope: string): void => {
    const node = m.node(id);
    if (!node) return;
    const step: PreviewStep = { nodeId: id, kind: node.kind, assignees: [], skipped: [], scope };
    switch (node.kind) {
      case 'start':
        steps.push(step);
        walk(node.next, scope);
        return;
      case 'end':
        steps.push(step);
        return;
      case 'exclusive': {
        steps.push(step);
        const chosen = node.branches.find((b) => conditionHolds(b.condition, env));
        walk(chosen ? chosen.next : node.defaultNext, scope);
        return;
      }
      case 'parallel':
        steps.push(step);
        node.branches.forEach((head, i) => {
          walk(head, scope ? `${scope}/${node.id}#${i}` : `${node.id}#${i}`);
        });
        return;
      case 'join': {
        const parent = scope.includes('/') ? scope.slice(0, scope.lastIndexOf('/')) : '';
        // The path after the join is listed once, after the last branch arrives.
        const key = `${node.id}@${parent}`;
        if (seenJoins.has(key)) return;
        seenJoins.add(key);
        steps.push({ ...step, scope: parent });
        walk(node.next, parent);
        return;
      }
      case 'cc':
        steps.push({ ...step, assignees: m.resolve(node) });
        walk(node.next, scope);
        return;
      case 'approval':
      case 'form_fill': {
        let assignees = m.resolve(node);
        if (assignees.length === 0) {
          if (node.emptyFallback === 'refuse') step.refused = true;
          else if (node.emptyFallback === 'to_admins' && admins.length > 0) {
            assignees = admins;
            step.fallback = 'to_admins';
          } else step.fallback = 'auto_pass';
        }
        step.assignees = assignees;
        if (node.kind === 'approval' && definition.settings.skipDuplicateApprovers) {
          const previous = lastApprovers.get(scope) ?? [];
          step.skipped = assignees.filter((a) => previous.includes(a));
        }
        if (node.kind === 'approval' && assignees.length > 0) lastApprovers.set(scope, assignees);
        steps.push(step);
        walk(node.next, scope);
        return;
      }
    }
  };
  const start = definition.nodes.find((n) => n.kind === 'start');
  if (start) walk(start.id, '');
  return steps;
}
