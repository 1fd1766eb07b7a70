import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FlowDocument, FlowNode } from '@contract';
// The engine's own publish-time validation (pure: no I/O), so "valid" means what publishing means.
import { validateDefinition } from '../../../src/engine/definition';
import { fromDocument, type DefinitionDocument } from '../../../src/services/definition-document';
import {
  addBranch,
  allSequences,
  allSteps,
  deleteStep,
  insertStep,
  moveBranch,
  moveStep,
  moveStepTo,
  moveTargets,
  parseFlow,
  removeBranch,
  sameNodes,
  sameSequence,
  setCondition,
  treeToNodes,
  updateNode,
  type Edited,
  type FlowTree,
  type InsertableKind,
  type Step,
} from './flowTree';

const t = (s: string) => ({ zh_cn: s, en_us: s });

function base(nodes: FlowNode[]): FlowDocument {
  return {
    name: t('Travel'),
    biz_type: 'travel_application',
    process_admins: ['admin'],
    form: [
      { api_name: 'cost', label: t('Cost'), type: 'number' },
      { api_name: 'city', label: t('City'), type: 'text' },
    ],
    nodes,
  };
}

/** What publishing would refuse (people are taken as they are: these tests are about the graph). */
function problems(document: FlowDocument) {
  const { definition } = fromDocument(document as unknown as DefinitionDocument, {
    idOf: (u) => u,
    userIdOf: (u) => u,
  });
  return validateDefinition({ ...definition, id: 'f', version: 0 });
}

const minimal = base([
  { type: 'start', id: 'start', next: 'end' },
  { type: 'end', id: 'end' },
]);

/** The demo's expense flow: an exclusive nested in a branch of another, both meeting at the end. */
const expense = base([
  { type: 'start', id: 'start', next: 'manager' },
  {
    type: 'approval',
    id: 'manager',
    name: t('Manager'),
    approvers: [{ type: 'manager', level: 1 }],
    next: 'over',
  },
  {
    type: 'exclusive',
    id: 'over',
    branches: [{ condition: 'form.cost > 5000.0', next: 'leader' }],
    default_next: 'end',
  },
  {
    type: 'approval',
    id: 'leader',
    name: t('Leader'),
    approvers: [{ type: 'department_leader', level: 1 }],
    next: 'over2',
  },
  {
    type: 'exclusive',
    id: 'over2',
    branches: [{ condition: 'form.cost > 20000.0', next: 'admin' }],
    default_next: 'end',
  },
  { type: 'approval', id: 'admin', name: t('Admin'), approvers: [{ type: 'initiator' }], next: 'end' },
  { type: 'end', id: 'end' },
]);

const ok = (edited: Edited): FlowDocument => {
  if (!edited.ok) throw new Error(`refused: ${edited.refusal}`);
  return edited.document;
};

describe('parseFlow', () => {
  it('reads nested exclusive gateways as blocks that meet again', () => {
    const parsed = parseFlow(expense.nodes);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.tree.steps.map((s) => s.node.id)).toEqual(['manager', 'over']);
    const over = parsed.tree.steps[1] as Extract<Step, { kind: 'exclusive' }>;
    expect(over.branches[0]?.steps.map((s) => s.node.id)).toEqual(['leader', 'over2']);
    expect(over.defaultSteps).toEqual([]);
    expect(sameNodes(treeToNodes(parsed.tree), expense.nodes)).toBe(true);
    expect(problems(expense)).toEqual([]);
  });

  it('refuses graphs that are not trees, saying why', () => {
    expect(parseFlow([{ type: 'end', id: 'end' }])).toMatchObject({ ok: false, reason: 'no_start' });
    expect(
      parseFlow([
        { type: 'start', id: 's', next: 'a' },
        { type: 'approval', id: 'a', name: t('a'), approvers: [], next: 'b' },
        { type: 'approval', id: 'b', name: t('b'), approvers: [], next: 'a' },
        { type: 'end', id: 'end' },
      ]),
    ).toMatchObject({ ok: false, reason: 'cycle' });
    // Two ends (a branch that stops early).
    expect(
      parseFlow([
        { type: 'start', id: 's', next: 'x' },
        { type: 'exclusive', id: 'x', branches: [{ condition: 'true', next: 'e2' }], default_next: 'e1' },
        { type: 'end', id: 'e1' },
        { type: 'end', id: 'e2' },
      ]),
    ).toMatchObject({ ok: false, reason: 'several_ends' });
    // A branch that jumps into the middle of another branch.
    expect(
      parseFlow([
        { type: 'start', id: 's', next: 'x' },
        { type: 'exclusive', id: 'x', branches: [{ condition: 'true', next: 'a' }], default_next: 'b' },
        { type: 'approval', id: 'a', name: t('a'), approvers: [], next: 'c' },
        { type: 'approval', id: 'b', name: t('b'), approvers: [], next: 'c' },
        { type: 'approval', id: 'c', name: t('c'), approvers: [], next: 'y' },
        { type: 'exclusive', id: 'y', branches: [{ condition: 'true', next: 'b' }], default_next: 'end' },
        { type: 'end', id: 'end' },
      ]),
    ).toMatchObject({ ok: false });
    expect(
      parseFlow([
        { type: 'start', id: 's', next: 'end' },
        { type: 'approval', id: 'lost', name: t('a'), approvers: [], next: 'end' },
        { type: 'end', id: 'end' },
      ]),
    ).toMatchObject({ ok: false, reason: 'unreachable', nodeId: 'lost' });
    expect(
      parseFlow([
        { type: 'start', id: 's', next: 'nowhere' },
        { type: 'end', id: 'end' },
      ]),
    ).toMatchObject({
      ok: false,
      reason: 'unknown_node',
      nodeId: 'nowhere',
    });
  });
});

describe('edits', () => {
  it('inserts every kind at a "+" with unique ids, each a valid document', () => {
    let doc = minimal;
    const kinds: InsertableKind[] = ['approval', 'cc', 'form_fill', 'exclusive', 'parallel'];
    for (const kind of kinds) {
      const result = insertStep(doc, { sequence: { block: null }, index: 0 }, kind);
      doc = ok(result);
      expect(result.nodeId).toBeDefined();
      expect(problems(doc)).toEqual([]);
    }
    const ids = doc.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('approval_1');
  });

  it('deletes a block with its branches, and a join deletes its split', () => {
    let doc = ok(insertStep(minimal, { sequence: { block: null }, index: 0 }, 'parallel'));
    doc = ok(deleteStep(doc, 'join_1'));
    expect(doc.nodes.map((n) => n.id)).toEqual(['start', 'end']);
  });

  it('never moves a block into its own branch (that would be a cycle)', () => {
    const doc = ok(insertStep(minimal, { sequence: { block: null }, index: 0 }, 'exclusive'));
    const moved = moveStepTo(doc, 'branch_1', {
      sequence: { block: 'branch_1', branch: 'default' },
      index: 0,
    });
    expect(moved).toEqual({ ok: false, refusal: 'into_itself' });
    const parsed = parseFlow(doc.nodes);
    if (!parsed.ok) throw new Error('not a tree');
    expect(moveTargets(parsed.tree, 'branch_1').some((p) => p.sequence.block === 'branch_1')).toBe(false);
  });

  it('keeps the default branch last and fixed, and at least one conditional branch', () => {
    let doc = ok(insertStep(minimal, { sequence: { block: null }, index: 0 }, 'exclusive'));
    expect(removeBranch(doc, 'branch_1', 'default')).toEqual({ ok: false, refusal: 'default_branch_fixed' });
    expect(removeBranch(doc, 'branch_1', 0)).toEqual({ ok: false, refusal: 'last_conditional_branch' });
    doc = ok(addBranch(doc, 'branch_1'));
    doc = ok(setCondition(doc, 'branch_1', 1, 'form.cost > 100.0'));
    doc = ok(moveBranch(doc, 'branch_1', 1, 0));
    const gateway = doc.nodes.find((n) => n.id === 'branch_1');
    expect(gateway?.type === 'exclusive' && gateway.branches.map((b) => b.condition)).toEqual([
      'form.cost > 100.0',
      'false',
    ]);
    expect(moveBranch(doc, 'branch_1', 0, 'default')).toEqual({ ok: false, refusal: 'default_branch_fixed' });
    expect(problems(doc)).toEqual([]);
  });

  it('keeps a parallel split at two branches or more', () => {
    let doc = ok(insertStep(minimal, { sequence: { block: null }, index: 0 }, 'parallel'));
    expect(removeBranch(doc, 'parallel_1', 0)).toEqual({ ok: false, refusal: 'too_few_parallel_branches' });
    doc = ok(addBranch(doc, 'parallel_1'));
    doc = ok(removeBranch(doc, 'parallel_1', 0));
    expect(problems(doc)).toEqual([]);
  });

  it('updates a node without touching its pointers', () => {
    const doc = updateNode(expense, 'manager', (n) => ({ ...n, next: 'elsewhere', name: t('Boss') }));
    const manager = doc.nodes.find((n) => n.id === 'manager');
    expect(manager).toMatchObject({ next: 'over', name: t('Boss') });
  });

  it('refuses edits on a graph that is not a tree', () => {
    const odd = base([
      { type: 'start', id: 's', next: 'nowhere' },
      { type: 'end', id: 'end' },
    ]);
    expect(insertStep(odd, { sequence: { block: null }, index: 0 }, 'cc')).toEqual({
      ok: false,
      refusal: 'not_a_tree',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// properties

/** A random edit, its choices taken modulo what the current tree offers. */
type Op =
  | { op: 'insert'; kind: InsertableKind; at: number }
  | { op: 'delete'; which: number }
  | { op: 'move'; which: number; up: boolean }
  | { op: 'moveTo'; which: number; at: number }
  | { op: 'addBranch'; which: number }
  | { op: 'removeBranch'; which: number; branch: number }
  | { op: 'moveBranch'; which: number; from: number; to: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('insert' as const),
    kind: fc.constantFrom<InsertableKind>('approval', 'cc', 'form_fill', 'exclusive', 'parallel'),
    at: fc.nat(),
  }),
  fc.record({ op: fc.constant('delete' as const), which: fc.nat() }),
  fc.record({ op: fc.constant('move' as const), which: fc.nat(), up: fc.boolean() }),
  fc.record({ op: fc.constant('moveTo' as const), which: fc.nat(), at: fc.nat() }),
  fc.record({ op: fc.constant('addBranch' as const), which: fc.nat() }),
  fc.record({ op: fc.constant('removeBranch' as const), which: fc.nat(), branch: fc.nat() }),
  fc.record({ op: fc.constant('moveBranch' as const), which: fc.nat(), from: fc.nat(), to: fc.nat() }),
);

function treeOf(document: FlowDocument): FlowTree {
  const parsed = parseFlow(document.nodes);
  if (!parsed.ok) throw new Error(`not a tree: ${parsed.reason}`);
  return parsed.tree;
}

function apply(document: FlowDocument, op: Op): Edited {
  const tree = treeOf(document);
  const steps = allSteps(tree);
  const blocks = steps.filter((s) => s.step.kind !== 'task');
  const pick = <T>(list: T[], n: number): T | undefined => list[n % Math.max(list.length, 1)];
  switch (op.op) {
    case 'insert': {
      const points = allSequences(tree).flatMap(({ sequence, steps: list }) =>
        Array.from({ length: list.length + 1 }, (_, index) => ({ sequence, index })),
      );
      return insertStep(document, pick(points, op.at) ?? { sequence: { block: null }, index: 0 }, op.kind);
    }
    case 'delete':
      return deleteStep(document, pick(steps, op.which)?.step.node.id ?? 'none');
    case 'move':
      return moveStep(document, pick(steps, op.which)?.step.node.id ?? 'none', op.up ? 'up' : 'down');
    case 'moveTo': {
      const id = pick(steps, op.which)?.step.node.id ?? 'none';
      const target = pick(moveTargets(tree, id), op.at);
      return target ? moveStepTo(document, id, target) : { ok: false, refusal: 'out_of_range' };
    }
    case 'addBranch':
      return addBranch(document, pick(blocks, op.which)?.step.node.id ?? 'none');
    case 'removeBranch': {
      const block = pick(blocks, op.which)?.step;
      const count = block?.kind === 'exclusive' || block?.kind === 'parallel' ? block.branches.length : 1;
      return removeBranch(
        document,
        block?.node.id ?? 'none',
        op.branch % (count + 1) === count ? 'default' : op.branch % count,
      );
    }
    case 'moveBranch': {
      const block = pick(blocks, op.which)?.step;
      const count = block?.kind === 'exclusive' || block?.kind === 'parallel' ? block.branches.length : 1;
      return moveBranch(document, block?.node.id ?? 'none', op.from % count, op.to % count);
    }
  }
}

describe('properties', () => {
  it('every edit yields a document publishing accepts, and graph → tree → graph gives it back', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), (ops) => {
        let doc = minimal;
        for (const op of ops) {
          const edited = apply(doc, op);
          if (!edited.ok) continue; // a refused edit changes nothing
          doc = edited.document;
          expect(problems(doc)).toEqual([]);
          const tree = treeOf(doc);
          expect(sameNodes(treeToNodes(tree), doc.nodes)).toBe(true);
          // tree → graph → tree
          expect(treeOf({ ...doc, nodes: treeToNodes(tree) })).toEqual(tree);
          const ids = doc.nodes.map((n) => n.id);
          expect(new Set(ids).size).toBe(ids.length);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a refused edit leaves the document as it was', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 15 }), (ops) => {
        let doc = expense;
        for (const op of ops) {
          const before = structuredClone(doc);
          const edited = apply(doc, op);
          expect(doc).toEqual(before); // inputs are never modified
          if (edited.ok) doc = edited.document;
        }
      }),
      { numRuns: 60 },
    );
  });

  it('moving a node to another branch and back restores the graph', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 20 }), fc.nat(), fc.nat(), (ops, which, at) => {
        let doc = minimal;
        for (const op of ops) {
          const edited = apply(doc, op);
          if (edited.ok) doc = edited.document;
        }
        const tree = treeOf(doc);
        const located = allSteps(tree);
        const chosen = located[which % Math.max(located.length, 1)];
        if (!chosen) return;
        const targets = moveTargets(tree, chosen.step.node.id);
        const target = targets[at % Math.max(targets.length, 1)];
        if (!target) return;
        const moved = ok(moveStepTo(doc, chosen.step.node.id, target));
        expect(problems(moved)).toEqual([]);
        const back = allSteps(treeOf(moved)).find((s) => s.step.node.id === chosen.step.node.id);
        expect(back).toBeDefined();
        if (!back) return;
        // A "+" index counts the moved step where it now is: past it, one more.
        const after = sameSequence(back.sequence, chosen.sequence) && chosen.index > back.index;
        const origin = { sequence: chosen.sequence, index: chosen.index + (after ? 1 : 0) };
        const restored = ok(moveStepTo(moved, chosen.step.node.id, origin));
        expect(sameNodes(restored.nodes, doc.nodes)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
