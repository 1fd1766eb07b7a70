import { nodeScopes, type FlowDefinition } from './definition.js';
import type { EngineContext } from './machine.js';
import { previewPath, type PreviewStep } from './preview.js';
import type { ProcessState, Task } from './process.js';

/**
 * The nodes a task may be returned to, in the order they first passed: approval and form-fill nodes
 * this process passed (not auto-passed), other than the task's own, on its branch or outside its
 * parallel region. The same rule as the engine's `return` command (transitions.ts), which stays the
 * judge; a test keeps the two in step.
 */
export function returnTargets(definition: FlowDefinition, state: ProcessState, task: Task): string[] {
  const run = state.nodeRuns.find((r) => r.id === task.nodeRunId);
  if (!run) return [];
  const scopes = nodeScopes(definition);
  const out: string[] = [];
  for (const candidate of state.nodeRuns) {
    if (candidate.status !== 'passed' || candidate.autoPassed === true) continue;
    if (candidate.kind !== 'approval' && candidate.kind !== 'form_fill') continue;
    if (candidate.defId === run.defId || out.includes(candidate.defId)) continue;
    if (!definition.nodes.some((n) => n.id === candidate.defId)) continue;
    const scope = scopes.get(candidate.defId) ?? '';
    if (scope === '' || run.scope === scope || run.scope.startsWith(`${scope}/`)) out.push(candidate.defId);
  }
  return out;
}

/**
 * What is still ahead of an in-progress process: the path preview (on the form as it is now), from
 * the node that waits on. Nodes that wait now, and nodes already passed since the last return, are
 * left out; a finished process has nothing ahead.
 */
export function upcomingSteps(
  definition: FlowDefinition,
  state: ProcessState,
  ctx: EngineContext,
): PreviewStep[] {
  if (state.status !== 'in_progress') return [];
  const waiting = new Set(state.nodeRuns.filter((r) => r.status === 'in_progress').map((r) => r.defId));
  if (waiting.size === 0) return [];
  const lastReturn = Math.max(0, ...state.audit.filter((a) => a.action === 'return').map((a) => a.at));
  const passed = new Set(
    state.nodeRuns.filter((r) => r.status === 'passed' && r.startedAt >= lastReturn).map((r) => r.defId),
  );
  const steps = previewPath(definition, state, ctx);
  const first = steps.findIndex((s) => waiting.has(s.nodeId));
  if (first < 0) return [];
  return steps.slice(first + 1).filter((s) => !waiting.has(s.nodeId) && !passed.has(s.nodeId));
}
