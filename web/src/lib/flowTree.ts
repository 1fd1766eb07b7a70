import type { FlowDocument, FlowNode } from '@contract';

/**
 * The flow designer's view of a flow: a vertical tree (Feishu / DingTalk style) instead of the
 * document's graph of `next` pointers. A tree is a start, a sequence of steps and an end; a step is a
 * task node (approval, form fill, CC) or a block: an exclusive gateway (its conditional branches and
 * the default branch, each a sequence, all meeting again after the block) or a parallel split (its
 * branches, each a sequence, closed by its join).
 *
 * Every edit goes tree → graph: the designer never rewires pointers by hand, so an edit cannot make a
 * cycle or an unreachable node. The one edit that could — moving a block into one of its own branches —
 * is refused (`into_itself`).
 */

export type TaskNode = Extract<FlowNode, { type: 'approval' | 'form_fill' | 'cc' }>;
export type ExclusiveNode = Extract<FlowNode, { type: 'exclusive' }>;
export type ParallelNode = Extract<FlowNode, { type: 'parallel' }>;
export type JoinNode = Extract<FlowNode, { type: 'join' }>;
export type StartNode = Extract<FlowNode, { type: 'start' }>;
export type EndNode = Extract<FlowNode, { type: 'end' }>;

export type Step =
  | { kind: 'task'; node: TaskNode }
  | {
      kind: 'exclusive';
      node: ExclusiveNode;
      branches: { condition: string; steps: Step[] }[];
      defaultSteps: Step[];
    }
  | { kind: 'parallel'; node: ParallelNode; branches: Step[][]; join: JoinNode };

export interface FlowTree {
  start: StartNode;
  steps: Step[];
  end: EndNode;
}

/** A sequence of steps: the main line, or one branch of a block (`default`: an exclusive's default). */
export type SequenceRef = { block: null } | { block: string; branch: number | 'default' };
/** A "+" in the tree: before the step at `index` of a sequence (index = length: at its end). */
export interface InsertPoint {
  sequence: SequenceRef;
  index: number;
}

export type InsertableKind = 'approval' | 'cc' | 'form_fill' | 'exclusive' | 'parallel';

/** Why a graph cannot be shown as a tree (the designer then shows it read-only). */
export type NotATree =
  | { reason: 'no_start' | 'several_starts' | 'no_end' | 'several_ends' | 'cycle' | 'not_nested' }
  | { reason: 'unknown_node'; nodeId: string }
  | { reason: 'unreachable'; nodeId: string };

export type Parsed = { ok: true; tree: FlowTree } | ({ ok: false } & NotATree);

/** Why an edit was refused; nothing changed. */
export type EditRefusal =
  | 'not_a_tree'
  | 'unknown_step'
  | 'unknown_sequence'
  | 'into_itself'
  | 'last_conditional_branch'
  | 'too_few_parallel_branches'
  | 'default_branch_fixed'
  | 'out_of_range';

export type Edited = { ok: true; document: FlowDocument } | { ok: false; refusal: EditRefusal };

// ---------------------------------------------------------------------------------------------
// graph → tree

/** Reads the document's nodes as a tree; a graph that is not tree-shaped (hand-written JSON) is refused. */
export function parseFlow(nodes: readonly FlowNode[]): Parsed {
  const byId = new Map<string, FlowNode>();
  for (const node of nodes) byId.set(node.id, node);
  const starts = nodes.filter((n): n is StartNode => n.type === 'start');
  const ends = nodes.filter((n): n is EndNode => n.type === 'end');
  if (starts.length === 0) return { ok: false, reason: 'no_start' };
  if (starts.length > 1) return { ok: false, reason: 'several_starts' };
  if (ends.length === 0) return { ok: false, reason: 'no_end' };
  if (ends.length > 1) return { ok: false, reason: 'several_ends' };
  if (byId.size !== nodes.length) return { ok: false, reason: 'not_nested' };
  const start = starts[0] as StartNode;
  const end = ends[0] as EndNode;
  for (const node of nodes)
    for (const next of successorsOf(node))
      if (!byId.has(next)) return { ok: false, reason: 'unknown_node', nodeId: next };
  if (hasCycle(start.id, byId)) return { ok: false, reason: 'cycle' };

  // Where the branches of each exclusive gateway meet again: the first node on the default branch's
  // line that every other branch's line also reaches.
  const merges = new Map<string, string | null>();
  const lineOf = (id: string, seen = new Set<string>()): string[] => {
    const out: string[] = [];
    let current: string | undefined = id;
    while (current !== undefined && !seen.has(current)) {
      seen.add(current);
      out.push(current);
      const node = byId.get(current);
      if (!node) break;
      if (node.type === 'exclusive') current = mergeOf(node) ?? undefined;
      else if (node.type === 'parallel') current = node.join;
      else if (node.type === 'end') current = undefined;
      else current = node.next;
    }
    return out;
  };
  const mergeOf = (node: ExclusiveNode): string | null => {
    if (merges.has(node.id)) return merges.get(node.id) ?? null;
    merges.set(node.id, null);
    const lines = [node.default_next, ...node.branches.map((b) => b.next)].map((head) => lineOf(head));
    const [first, ...rest] = lines;
    const merge = first?.find((id) => rest.every((line) => line.includes(id))) ?? null;
    merges.set(node.id, merge);
    return merge;
  };

  const used = new Set<string>();
  // Set by the walk below (a holder, so the compiler sees it change).
  const failed: { first: NotATree | null } = { first: null };
  const fail = (f: NotATree): Step[] => {
    failed.first ??= f;
    return [];
  };
  // The steps from `id` up to (not including) `stop`.
  const sequence = (id: string, stop: string): Step[] => {
    const steps: Step[] = [];
    let current = id;
    while (current !== stop) {
      if (failed.first) return steps;
      const node = byId.get(current);
      if (!node) return fail({ reason: 'unknown_node', nodeId: current });
      if (used.has(node.id)) return fail({ reason: 'not_nested' });
      used.add(node.id);
      switch (node.type) {
        case 'start':
        case 'end':
        case 'join':
          return fail({ reason: 'not_nested' });
        case 'approval':
        case 'form_fill':
        case 'cc':
          steps.push({ kind: 'task', node });
          current = node.next;
          break;
        case 'exclusive': {
          const merge = mergeOf(node);
          if (merge === null) return fail({ reason: 'not_nested' });
          steps.push({
            kind: 'exclusive',
            node,
            branches: node.branches.map((b) => ({ condition: b.condition, steps: sequence(b.next, merge) })),
            defaultSteps: sequence(node.default_next, merge),
          });
          current = merge;
          break;
        }
        case 'parallel': {
          const join = byId.get(node.join);
          if (join?.type !== 'join' || used.has(join.id)) return fail({ reason: 'not_nested' });
          const branches = node.branches.map((head) => sequence(head, join.id));
          used.add(join.id);
          steps.push({ kind: 'parallel', node, branches, join });
          current = join.next;
          break;
        }
      }
    }
    return steps;
  };
  used.add(start.id);
  used.add(end.id);
  const steps = sequence(start.next, end.id);
  if (failed.first) return { ok: false, ...failed.first };
  const unreachable = nodes.find((n) => !used.has(n.id));
  if (unreachable) return { ok: false, reason: 'unreachable', nodeId: unreachable.id };
  const tree: FlowTree = { start, steps, end };
  // The last word on tree-shapedness: writing the tree back gives the same graph.
  if (!sameNodes(treeToNodes(tree), nodes)) return { ok: false, reason: 'not_nested' };
  return { ok: true, tree };
}

function successorsOf(node: FlowNode): string[] {
  switch (node.type) {
    case 'end':
      return [];
    case 'exclusive':
      return [...node.branches.map((b) => b.next), node.default_next];
    case 'parallel':
      return [...node.branches, node.join];
    case 'start':
    case 'approval':
    case 'form_fill':
    case 'cc':
    case 'join':
      return [node.next];
  }
}

function hasCycle(startId: string, byId: ReadonlyMap<string, FlowNode>): boolean {
  const state = new Map<string, 'visiting' | 'done'>();
  // Iterative DFS: a hand-written graph may be deep.
  const stack: { id: string; next: string[] }[] = [];
  const enter = (id: string): boolean => {
    if (state.get(id) === 'visiting') return true;
    if (state.get(id) === 'done') return false;
    state.set(id, 'visiting');
    const node = byId.get(id);
    stack.push({ id, next: node ? successorsOf(node) : [] });
    return false;
  };
  if (enter(startId)) return true;
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { id: string; next: string[] };
    const next = top.next.shift();
    if (next === undefined) {
      state.set(top.id, 'done');
      stack.pop();
    } else if (enter(next)) return true;
  }
  return false;
}

/** Deep equality of two node lists, ignoring list order and key order. */
export function sameNodes(a: readonly FlowNode[], b: readonly FlowNode[]): boolean {
  if (a.length !== b.length) return false;
  const key = (list: readonly FlowNode[]) =>
    list
      .map((n) => canonical(n))
      .sort()
      .join('\n');
  return key(a) === key(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

// ---------------------------------------------------------------------------------------------
// tree → graph

/** Writes the tree as the document's nodes, every pointer recomputed: start, the steps depth first, end. */
export function treeToNodes(tree: FlowTree): FlowNode[] {
  const out: FlowNode[] = [];
  // Emits a sequence whose last step continues at `after`; answers the id of its first node.
  const emit = (steps: readonly Step[], after: string): string => {
    const heads = steps.map((s) => s.node.id);
    steps.forEach((step, i) => {
      const next = heads[i + 1] ?? after;
      switch (step.kind) {
        case 'task':
          out.push({ ...step.node, next });
          break;
        case 'exclusive': {
          const at = out.length;
          out.push(step.node); // replaced below once the branch heads are known
          const branches = step.branches.map((b) => ({ condition: b.condition, next: emit(b.steps, next) }));
          const defaultNext = emit(step.defaultSteps, next);
          out[at] = { ...step.node, branches, default_next: defaultNext };
          break;
        }
        case 'parallel': {
          const at = out.length;
          out.push(step.node);
          const branches = step.branches.map((b) => emit(b, step.join.id));
          out[at] = { ...step.node, branches, join: step.join.id };
          out.push({ ...step.join, next });
          break;
        }
      }
    });
    return heads[0] ?? after;
  };
  const startAt = out.length;
  out.push(tree.start);
  const first = emit(tree.steps, tree.end.id);
  out[startAt] = { ...tree.start, next: first };
  out.push(tree.end);
  return out;
}

// ---------------------------------------------------------------------------------------------
// finding things in the tree

/** Every step of the tree, depth first, with the sequence it sits in and its index there. */
export function allSteps(tree: FlowTree): { step: Step; sequence: SequenceRef; index: number }[] {
  const out: { step: Step; sequence: SequenceRef; index: number }[] = [];
  const walk = (steps: readonly Step[], sequence: SequenceRef) => {
    steps.forEach((step, index) => {
      out.push({ step, sequence, index });
      if (step.kind === 'exclusive') {
        step.branches.forEach((b, i) => {
          walk(b.steps, { block: step.node.id, branch: i });
        });
        walk(step.defaultSteps, { block: step.node.id, branch: 'default' });
      } else if (step.kind === 'parallel') {
        step.branches.forEach((b, i) => {
          walk(b, { block: step.node.id, branch: i });
        });
      }
    });
  };
  walk(tree.steps, { block: null });
  return out;
}

/** Every sequence of the tree (the main line first), with the blocks it sits inside, outermost first. */
export function allSequences(tree: FlowTree): { sequence: SequenceRef; steps: Step[]; inside: string[] }[] {
  const out: { sequence: SequenceRef; steps: Step[]; inside: string[] }[] = [];
  const walk = (steps: Step[], sequence: SequenceRef, inside: string[]) => {
    out.push({ sequence, steps, inside });
    for (const step of steps) {
      const within = [...inside, step.node.id];
      if (step.kind === 'exclusive') {
        step.branches.forEach((b, i) => {
          walk(b.steps, { block: step.node.id, branch: i }, within);
        });
        walk(step.defaultSteps, { block: step.node.id, branch: 'default' }, within);
      } else if (step.kind === 'parallel') {
        step.branches.forEach((b, i) => {
          walk(b, { block: step.node.id, branch: i }, within);
        });
      }
    }
  };
  walk(tree.steps, { block: null }, []);
  return out;
}

export function sameSequence(a: SequenceRef, b: SequenceRef): boolean {
  if (a.block === null || b.block === null) return a.block === b.block;
  return a.block === b.block && a.branch === b.branch;
}

/** The id of the block a node belongs to: a join belongs to its parallel split. */
export function stepIdOf(tree: FlowTree, nodeId: string): string | undefined {
  for (const { step } of allSteps(tree)) {
    if (step.node.id === nodeId) return nodeId;
    if (step.kind === 'parallel' && step.join.id === nodeId) return step.node.id;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// edits (each takes a document and answers a new one; the input is never modified)

type Mutable = { tree: FlowTree };

function edit(document: FlowDocument, change: (draft: Mutable) => EditRefusal | null): Edited {
  const parsed = parseFlow(document.nodes);
  if (!parsed.ok) return { ok: false, refusal: 'not_a_tree' };
  const draft: Mutable = { tree: structuredClone(parsed.tree) };
  const refusal = change(draft);
  if (refusal) return { ok: false, refusal };
  return { ok: true, document: { ...document, nodes: treeToNodes(draft.tree) } };
}

/** The steps array of a sequence, to change in place (on a clone). */
function sequenceSteps(tree: FlowTree, ref: SequenceRef): Step[] | undefined {
  if (ref.block === null) return tree.steps;
  const found = allSteps(tree).find((s) => s.step.node.id === ref.block)?.step;
  if (found?.kind === 'exclusive')
    return ref.branch === 'default' ? found.defaultSteps : found.branches[ref.branch]?.steps;
  if (found?.kind === 'parallel' && ref.branch !== 'default') return found.branches[ref.branch];
  return undefined;
}

function allIds(document: FlowDocument): Set<string> {
  return new Set(document.nodes.map((n) => n.id));
}

/** A node id not yet used: `<prefix>_<n>` with the smallest n. */
export function uniqueId(taken: Set<string>, prefix: string): string {
  for (let n = 1; ; n++) {
    const id = `${prefix}_${n}`;
    if (!taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

const i18n = (zh_cn: string, en_us: string) => ({ zh_cn, en_us });

/** A new node of a kind, valid as it stands (the admin then edits who acts and what is shown). */
export function newStep(kind: InsertableKind, document: FlowDocument, taken: Set<string>): Step {
  const placeholder = 'end';
  switch (kind) {
    case 'approval':
      return {
        kind: 'task',
        node: {
          type: 'approval',
          id: uniqueId(taken, 'approval'),
          name: i18n('审批', 'Approval'),
          approvers: [{ type: 'manager', level: 1 }],
          mode: 'or',
          empty_fallback: 'to_admins',
          next: placeholder,
        },
      };
    case 'cc':
      return {
        kind: 'task',
        node: {
          type: 'cc',
          id: uniqueId(taken, 'cc'),
          name: i18n('抄送', 'CC'),
          recipients: [{ type: 'initiator' }],
          next: placeholder,
        },
      };
    case 'form_fill': {
      // A form-fill node needs fields to fill; the first field of the form until the admin picks.
      const first = document.form[0]?.api_name;
      return {
        kind: 'task',
        node: {
          type: 'form_fill',
          id: uniqueId(taken, 'form_fill'),
          name: i18n('填写', 'Fill in'),
          assignees: [{ type: 'initiator' }],
          empty_fallback: 'to_admins',
          editable_fields: first ? [first] : [],
          next: placeholder,
        },
      };
    }
    case 'exclusive': {
      const approval = newStep('approval', document, taken);
      return {
        kind: 'exclusive',
        node: {
          type: 'exclusive',
          id: uniqueId(taken, 'branch'),
          name: i18n('条件分支', 'Condition'),
          branches: [],
          default_next: placeholder,
        },
        // `false` until the admin writes a condition: a branch that is never taken misroutes nobody.
        branches: [{ condition: 'false', steps: [approval] }],
        defaultSteps: [],
      };
    }
    case 'parallel': {
      const id = uniqueId(taken, 'parallel');
      return {
        kind: 'parallel',
        node: { type: 'parallel', id, name: i18n('并行分支', 'Parallel'), branches: [], join: placeholder },
        branches: [[newStep('approval', document, taken)], [newStep('approval', document, taken)]],
        join: { type: 'join', id: uniqueId(taken, 'join'), name: i18n('汇合', 'Join'), next: placeholder },
      };
    }
  }
}

/** Inserts a new node (or block) at a "+"; answers the new document and the new node's id. */
export function insertStep(
  document: FlowDocument,
  at: InsertPoint,
  kind: InsertableKind,
): Edited & { nodeId?: string } {
  let nodeId: string | undefined;
  const result = edit(document, ({ tree }) => {
    const steps = sequenceSteps(tree, at.sequence);
    if (!steps) return 'unknown_sequence';
    if (!(at.index >= 0 && at.index <= steps.length)) return 'out_of_range';
    const step = newStep(kind, document, allIds(document));
    nodeId = step.node.id;
    steps.splice(at.index, 0, step);
    return null;
  });
  return result.ok ? { ...result, ...(nodeId ? { nodeId } : {}) } : result;
}

function locate(tree: FlowTree, id: string) {
  return allSteps(tree).find((s) => s.step.node.id === id);
}

/** Deletes a node, or a whole block with everything in its branches (a join deletes its split). */
export function deleteStep(document: FlowDocument, nodeId: string): Edited {
  return edit(document, ({ tree }) => {
    const found = locate(tree, stepIdOf(tree, nodeId) ?? nodeId);
    const steps = found && sequenceSteps(tree, found.sequence);
    if (!found || !steps) return 'unknown_step';
    steps.splice(found.index, 1);
    return null;
  });
}

/** Moves a node or block one place up or down within its sequence. */
export function moveStep(document: FlowDocument, nodeId: string, direction: 'up' | 'down'): Edited {
  return edit(document, ({ tree }) => {
    const found = locate(tree, nodeId);
    const steps = found && sequenceSteps(tree, found.sequence);
    if (!found || !steps) return 'unknown_step';
    const to = found.index + (direction === 'up' ? -1 : 1);
    if (to < 0 || to >= steps.length) return 'out_of_range';
    const [moved] = steps.splice(found.index, 1);
    steps.splice(to, 0, moved as Step);
    return null;
  });
}

/**
 * Moves a node or block to another "+" (another branch, say). Refused when the target lies inside the
 * moved block itself: that would make the block one of its own successors (a cycle).
 */
export function moveStepTo(document: FlowDocument, nodeId: string, to: InsertPoint): Edited {
  return edit(document, ({ tree }) => {
    const found = locate(tree, nodeId);
    if (!found) return 'unknown_step';
    const target = allSequences(tree).find((s) => sameSequence(s.sequence, to.sequence));
    if (!target) return 'unknown_sequence';
    if (target.inside.includes(nodeId)) return 'into_itself';
    const from = sequenceSteps(tree, found.sequence) as Step[];
    if (!(to.index >= 0 && to.index <= target.steps.length)) return 'out_of_range';
    const [moved] = from.splice(found.index, 1);
    // Removing it first shifts the later places of the same sequence by one.
    const index =
      sameSequence(found.sequence, to.sequence) && to.index > found.index ? to.index - 1 : to.index;
    target.steps.splice(index, 0, moved as Step);
    return null;
  });
}

/** The places a node can be moved to: every "+" outside the node itself, except where it already is. */
export function moveTargets(tree: FlowTree, nodeId: string): InsertPoint[] {
  const found = locate(tree, nodeId);
  if (!found) return [];
  const out: InsertPoint[] = [];
  for (const { sequence, steps, inside } of allSequences(tree)) {
    if (inside.includes(nodeId)) continue;
    for (let index = 0; index <= steps.length; index++) {
      const same = sameSequence(sequence, found.sequence);
      if (same && (index === found.index || index === found.index + 1)) continue;
      out.push({ sequence, index });
    }
  }
  return out;
}

/** Adds a branch: a conditional branch before the default (exclusive), or a last branch (parallel). */
export function addBranch(document: FlowDocument, blockId: string): Edited {
  return edit(document, ({ tree }) => {
    const step = locate(tree, blockId)?.step;
    if (step?.kind === 'exclusive') step.branches.push({ condition: 'false', steps: [] });
    else if (step?.kind === 'parallel') step.branches.push([]);
    else return 'unknown_step';
    return null;
  });
}

/**
 * Removes a branch and what is in it. An exclusive keeps its default branch and at least one
 * conditional branch; a parallel split keeps at least two branches (delete the block instead).
 */
export function removeBranch(document: FlowDocument, blockId: string, branch: number | 'default'): Edited {
  return edit(document, ({ tree }) => {
    const step = locate(tree, blockId)?.step;
    if (branch === 'default') return 'default_branch_fixed';
    if (step?.kind === 'exclusive') {
      if (!step.branches[branch]) return 'out_of_range';
      if (step.branches.length <= 1) return 'last_conditional_branch';
      step.branches.splice(branch, 1);
    } else if (step?.kind === 'parallel') {
      if (!step.branches[branch]) return 'out_of_range';
      if (step.branches.length <= 2) return 'too_few_parallel_branches';
      step.branches.splice(branch, 1);
    } else return 'unknown_step';
    return null;
  });
}

/** Moves a branch to another place among the block's branches (the default branch stays last). */
export function moveBranch(
  document: FlowDocument,
  blockId: string,
  from: number | 'default',
  to: number | 'default',
): Edited {
  return edit(document, ({ tree }) => {
    if (from === 'default' || to === 'default') return 'default_branch_fixed';
    const step = locate(tree, blockId)?.step;
    if (step?.kind !== 'exclusive' && step?.kind !== 'parallel') return 'unknown_step';
    const list: unknown[] = step.branches;
    if (!(from >= 0 && from < list.length && to >= 0 && to < list.length)) return 'out_of_range';
    const [moved] = list.splice(from, 1);
    list.splice(to, 0, moved);
    return null;
  });
}

/** Sets the condition of one conditional branch. */
export function setCondition(
  document: FlowDocument,
  blockId: string,
  branch: number,
  condition: string,
): Edited {
  return edit(document, ({ tree }) => {
    const step = locate(tree, blockId)?.step;
    if (step?.kind !== 'exclusive') return 'unknown_step';
    const target = step.branches[branch];
    if (!target) return 'out_of_range';
    target.condition = condition;
    return null;
  });
}

/**
 * Replaces one node's properties (name, approvers, fields …); its id, type and pointers stay. Works on
 * any document, tree-shaped or not.
 */
export function updateNode(
  document: FlowDocument,
  nodeId: string,
  recipe: (node: FlowNode) => FlowNode,
): FlowDocument {
  return {
    ...document,
    nodes: document.nodes.map((node) => {
      if (node.id !== nodeId) return node;
      const changed = recipe(node);
      return keepPointers(node, changed);
    }),
  };
}

function keepPointers(before: FlowNode, after: FlowNode): FlowNode {
  if (after.type !== before.type) return before;
  const pointers: Partial<Record<string, unknown>> = {};
  if ('next' in before) pointers.next = before.next;
  if (before.type === 'exclusive') {
    pointers.default_next = before.default_next;
    pointers.branches = before.branches;
  }
  if (before.type === 'parallel') {
    pointers.branches = before.branches;
    pointers.join = before.join;
  }
  return { ...after, ...pointers, id: before.id };
}
