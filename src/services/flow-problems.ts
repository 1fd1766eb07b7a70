import { problemFieldApiName, type DefinitionDocument } from './definition-document.js';
import type { FieldViolation } from './result.js';

/** A problem of a flow document, pinned on the node or form field it belongs to (FlowProblem). */
export interface PinnedProblem {
  field: string;
  description: string;
  node_id?: string;
  field_api_name?: string;
}

type NodeDoc = DefinitionDocument['nodes'][number];

/** The document's name for the engine's rule list of a node (cc: recipients, form-fill: assignees). */
const rulesKey = (node: NodeDoc | undefined): string =>
  node?.type === 'cc' ? 'recipients' : node?.type === 'form_fill' ? 'assignees' : 'approvers';

/**
 * The engine names nodes by id (`nodes[manager].approvers[0]`) and uses its own property names; the
 * designers want JSON paths into the document they edit (`nodes[1].approvers[0]`). Rewrites one path.
 */
export function documentPathOf(doc: DefinitionDocument, enginePath: string): string {
  if (enginePath.startsWith('process_admin_ids')) return `process_admins${enginePath.slice(17)}`;
  const match = /^nodes\[([^\]]*)\](.*)$/.exec(enginePath);
  if (!match) return enginePath;
  const [, id = '', rest = ''] = match;
  const index = doc.nodes.findIndex((n) => n.id === id);
  if (index < 0) return enginePath;
  const node = doc.nodes[index];
  const tail = rest
    .replace(/^\.approvers\b/, `.${rulesKey(node)}`)
    .replace(/^\.mode\.percent$/, '.mode.ratio');
  return `nodes[${index}]${tail}`;
}

/** Fills `node_id` / `field_api_name` from a document path (`nodes[i]…` → that node's id, `form[i]…` → its api_name). */
export function pin(doc: DefinitionDocument, violation: FieldViolation): PinnedProblem {
  const problem: PinnedProblem = { field: violation.field, description: violation.description };
  const node = /^nodes\[(\d+)\]/.exec(violation.field);
  if (node) {
    const id = doc.nodes[Number(node[1])]?.id;
    if (id !== undefined) problem.node_id = id;
  }
  // `form[i]…` is that field; `rules.validations[i]…` and the like, the field the rule is about.
  const apiName = problemFieldApiName(doc, violation.field);
  if (apiName !== undefined) problem.field_api_name = apiName;
  return problem;
}

/**
 * Every problem of a document, pinned: `documentViolations` already use document paths (unknown
 * people found while converting), `engineViolations` use the engine's (publish-time checks).
 */
export function pinProblems(
  doc: DefinitionDocument,
  documentViolations: FieldViolation[],
  engineViolations: FieldViolation[],
): PinnedProblem[] {
  return [
    ...documentViolations.map((v) => pin(doc, v)),
    ...engineViolations.map((v) => pin(doc, { ...v, field: documentPathOf(doc, v.field) })),
  ];
}
