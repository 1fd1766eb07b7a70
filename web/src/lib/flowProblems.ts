import type { FlowDocument, FlowProblem } from '@contract';

/**
 * Pins a server violation on the node or form field it is about (`nodes[2]…` → that node's id,
 * `form[1]…` → that field's api_name). Violations of a request body carry a `document.` prefix; it is
 * dropped, so they read like the validation answer's problems.
 */
export function pinViolation(
  document: FlowDocument,
  violation: { field: string; description: string },
): FlowProblem {
  const field = violation.field.replace(/^document\./, '');
  const problem: FlowProblem = { field, description: violation.description };
  const node = /^nodes\[(\d+)\]/.exec(field);
  const nodeId = node ? document.nodes[Number(node[1])]?.id : undefined;
  if (nodeId !== undefined) problem.node_id = nodeId;
  const formField = /^form\[(\d+)\]/.exec(field);
  const apiName = formField ? document.form[Number(formField[1])]?.api_name : undefined;
  if (apiName !== undefined) problem.field_api_name = apiName;
  return problem;
}

/** Where a problem is shown: the form designer, the flow designer, or the settings. */
export function problemPlace(problem: FlowProblem): 'form' | 'flow' | 'settings' {
  if (problem.node_id !== undefined || problem.field.startsWith('nodes')) return 'flow';
  if (problem.field_api_name !== undefined || /^(form|rules)\b/.test(problem.field)) return 'form';
  return 'settings';
}

/**
 * The pinned `problems` of a refused publish (FlowPublishRefused), read from the error's details; the
 * server has pinned them already (rule problems on their field too), so they are kept as sent.
 * Undefined when the answer carries none, or not in that shape.
 */
export function refusedProblems(details: Readonly<Record<string, unknown>>): FlowProblem[] | undefined {
  const problems = details.problems;
  if (!Array.isArray(problems) || problems.length === 0) return undefined;
  const result: FlowProblem[] = [];
  for (const item of problems as unknown[]) {
    if (!item || typeof item !== 'object') return undefined;
    const p = item as Record<string, unknown>;
    if (typeof p.field !== 'string' || typeof p.description !== 'string') return undefined;
    const problem: FlowProblem = { field: p.field, description: p.description };
    if (typeof p.node_id === 'string') problem.node_id = p.node_id;
    if (typeof p.field_api_name === 'string') problem.field_api_name = p.field_api_name;
    result.push(problem);
  }
  return result;
}
