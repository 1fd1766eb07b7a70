import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Dropdown, Modal, Select, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import type { MenuProps } from 'antd';
import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  DragOutlined,
  EditOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FlowDocument, FlowNode, FlowProblem, PreviewStep } from '@contract';
import type { DraftEditor } from '../flows/draftEditor';
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
  type Edited,
  type FlowTree,
  type InsertableKind,
  type InsertPoint,
  type SequenceRef,
  type Step,
} from '../../../lib/flowTree';
import { localized } from '../../../lib/language';
import { NodeDrawer } from './NodeDrawer';
import { ConditionEditor } from './ConditionEditor';
import { PermissionMatrix } from './PermissionMatrix';
import { PreviewPanel } from './PreviewPanel';
import { rulesSummary } from './summaries';
import { useReturnFocus } from '../flows/useReturnFocus';
import './flow.css';

/** What the canvas needs from the page around it, passed down the tree. */
interface CanvasContext {
  editor: DraftEditor;
  tree: FlowTree;
  selected: string | null;
  select(nodeId: string): void;
  apply(edit: (doc: FlowDocument) => Edited): void;
  problemsOf(nodeId: string): FlowProblem[];
  editCondition(blockId: string, branch: number): void;
  askMove(nodeId: string): void;
  /** The path preview, when shown: node id → its step; null when no preview is on. */
  lit: Map<string, PreviewStep> | null;
}

/** The flow designer: the vertical node tree, node properties, conditions, problems, canvas preview (owner: h-flowdesigner). */
export default function FlowDesigner({ editor }: { editor: DraftEditor }) {
  const { t } = useTranslation('consoleFlow');
  const parsed = useMemo(() => parseFlow(editor.document.nodes), [editor.document.nodes]);
  const [selected, setSelected] = useState<string | null>(null);
  const [drawerNode, setDrawerNode] = useState<string | null>(null);
  const [condition, setCondition] = useState<{ blockId: string; branch: number } | null>(null);
  const [moving, setMoving] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [preview, setPreview] = useState<PreviewStep[] | null>(null);

  // A problem clicked elsewhere (the problems panel): select the node and bring it into view.
  const focusId = editor.focus?.nodeId;
  useEffect(() => {
    if (!focusId) return;
    setSelected(focusId);
    const card = document.getElementById(cardId(focusId));
    // Instant and the least scroll that shows it (none when in sight, sideways inside the tree's box):
    // a smooth scroll would still be moving the page, and any menu open on it, when the next click lands.
    card?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    card?.focus({ preventScroll: true });
  }, [focusId]);

  // A tree wider than its box opens scrolled to its middle: the start, the end and the main line in view,
  // the branches either side a scroll away (the box shows its left edge otherwise).
  const centerCanvas = useCallback((canvas: HTMLDivElement | null) => {
    if (canvas) canvas.scrollLeft = (canvas.scrollWidth - canvas.clientWidth) / 2;
  }, []);

  const problemsByNode = useMemo(() => {
    const map = new Map<string, FlowProblem[]>();
    for (const p of editor.problems) {
      const id = p.node_id ?? /^nodes\[([^\]]+)\]/.exec(p.field)?.[1];
      if (!id) continue;
      const node = editor.document.nodes.find((n, i) => n.id === id || String(i) === id);
      if (!node) continue;
      map.set(node.id, [...(map.get(node.id) ?? []), p]);
    }
    return map;
  }, [editor.problems, editor.document.nodes]);

  if (!parsed.ok) {
    return (
      <section aria-labelledby="flow-designer-title">
        <Typography.Title level={2} id="flow-designer-title">
          {t('title')}
        </Typography.Title>
        <Alert
          type="warning"
          showIcon
          title={t('not_a_tree.title')}
          description={t(`not_a_tree.${parsed.reason}`, { node: 'nodeId' in parsed ? parsed.nodeId : '' })}
        />
        <pre className="pf-flow-raw" aria-label={t('not_a_tree.nodes')}>
          {JSON.stringify(editor.document.nodes, null, 2)}
        </pre>
      </section>
    );
  }
  const tree = parsed.tree;
  const readOnly = editor.readOnly;

  const apply = (edit: (doc: FlowDocument) => Edited) => {
    if (readOnly) return;
    // Checked on the current document first, so a refused edit adds no undo step.
    const trial = edit(editor.document);
    if (!trial.ok) {
      setRefusal(t(`refusal.${trial.refusal}`));
      return;
    }
    setRefusal(null);
    editor.change((doc) => {
      const result = edit(doc);
      return result.ok ? result.document : doc;
    });
  };

  const ctx: CanvasContext = {
    editor,
    tree,
    selected,
    select: (id) => {
      setSelected(id);
      editor.setFocus({ nodeId: id });
    },
    apply,
    problemsOf: (id) => problemsByNode.get(id) ?? [],
    editCondition: (blockId, branch) => {
      setCondition({ blockId, branch });
    },
    askMove: setMoving,
    lit: preview ? new Map(preview.map((s) => [s.node_id, s])) : null,
  };
  const openNode = (id: string) => {
    ctx.select(id);
    setDrawerNode(id);
  };

  return (
    <section aria-labelledby="flow-designer-title" className="pf-flow">
      <div className="pf-flow-head">
        <Typography.Title level={2} id="flow-designer-title" style={{ margin: 0 }}>
          {t('title')}
        </Typography.Title>
        <label className="pf-flow-toggle">
          <Switch
            size="small"
            checked={editor.document.settings?.skip_duplicate_approvers ?? false}
            disabled={readOnly}
            onChange={(on) => {
              editor.change((doc) => ({
                ...doc,
                settings: { ...doc.settings, skip_duplicate_approvers: on },
              }));
            }}
          />
          <span>{t('skip_duplicates')}</span>
        </label>
      </div>
      {readOnly && <Alert type="info" showIcon title={t('read_only')} style={{ marginBottom: 12 }} />}
      {refusal && (
        <Alert
          type="error"
          showIcon
          closable={{
            onClose: () => {
              setRefusal(null);
            },
          }}
          title={refusal}
          role="alert"
          style={{ marginBottom: 12 }}
        />
      )}
      <div className="pf-flow-layout">
        <div ref={centerCanvas} className="pf-flow-canvas" role="region" aria-label={t('canvas_label')}>
          <div className="pf-flow-tree">
            <Terminal node={tree.start} ctx={ctx} label={t('start')} />
            <Sequence steps={tree.steps} sequence={{ block: null }} ctx={ctx} onOpen={openNode} />
            <Terminal node={tree.end} ctx={ctx} label={t('end')} />
          </div>
        </div>
        <PreviewPanel editor={editor} onPreview={setPreview} />
      </div>
      <PermissionMatrix editor={editor} />

      {drawerNode && (
        <NodeDrawer
          key={drawerNode}
          editor={editor}
          nodeId={drawerNode}
          onClose={() => {
            setDrawerNode(null);
          }}
        />
      )}
      {condition && (
        <ConditionEditor
          key={`${condition.blockId}#${condition.branch}`}
          editor={editor}
          blockId={condition.blockId}
          branch={condition.branch}
          onClose={() => {
            setCondition(null);
          }}
        />
      )}
      {moving && (
        <MoveDialog
          tree={tree}
          nodeId={moving}
          onMove={(target) => {
            apply((doc) => moveStepTo(doc, moving, target));
            setMoving(null);
          }}
          onClose={() => {
            setMoving(null);
          }}
        />
      )}
    </section>
  );
}

export const cardId = (nodeId: string) => `flow-node-${nodeId}`;

function Terminal({ node, ctx, label }: { node: FlowNode; ctx: CanvasContext; label: string }) {
  const { i18n } = useTranslation();
  const lit = ctx.lit?.get(node.id);
  return (
    <div
      className={`pf-flow-terminal${ctx.lit ? (lit ? ' is-lit' : ' is-dim') : ''}`}
      id={cardId(node.id)}
      tabIndex={-1}
    >
      {node.name ? localized(node.name, i18n.language) : label}
    </div>
  );
}

/** A sequence of steps with a "+" before each and after the last. */
function Sequence({
  steps,
  sequence,
  ctx,
  onOpen,
}: {
  steps: Step[];
  sequence: SequenceRef;
  ctx: CanvasContext;
  onOpen: (id: string) => void;
}) {
  return (
    <div className="pf-flow-sequence" role="group">
      <AddButton at={{ sequence, index: 0 }} ctx={ctx} />
      {steps.map((step, index) => (
        <div key={step.node.id} className="pf-flow-step">
          {step.kind === 'task' ? (
            <NodeCard step={step} index={index} count={steps.length} ctx={ctx} onOpen={onOpen} />
          ) : (
            <Block step={step} index={index} count={steps.length} ctx={ctx} onOpen={onOpen} />
          )}
          <AddButton at={{ sequence, index: index + 1 }} ctx={ctx} />
        </div>
      ))}
    </div>
  );
}

function AddButton({ at, ctx }: { at: InsertPoint; ctx: CanvasContext }) {
  const { t } = useTranslation('consoleFlow');
  if (ctx.editor.readOnly) return <div className="pf-flow-line" aria-hidden />;
  const kinds: InsertableKind[] = ['approval', 'cc', 'form_fill', 'exclusive', 'parallel'];
  const items: MenuProps['items'] = kinds.map((kind) => ({ key: kind, label: t(`kind.${kind}`) }));
  return (
    <div className="pf-flow-line">
      <Dropdown
        trigger={['click']}
        menu={{
          items,
          onClick: ({ key }) => {
            let inserted: string | undefined;
            ctx.apply((doc) => {
              const result = insertStep(doc, at, key as InsertableKind);
              inserted = result.nodeId;
              return result;
            });
            if (inserted) ctx.select(inserted);
          },
        }}
      >
        <Button
          shape="circle"
          size="small"
          icon={<PlusOutlined />}
          aria-label={t('add_here')}
          className="pf-flow-add"
        />
      </Dropdown>
    </div>
  );
}

function StepActions({
  nodeId,
  index,
  count,
  ctx,
  onEdit,
  name,
}: {
  nodeId: string;
  index: number;
  count: number;
  ctx: CanvasContext;
  onEdit?: () => void;
  name: string;
}) {
  const { t } = useTranslation('consoleFlow');
  if (ctx.editor.readOnly) return null;
  return (
    <Space size={2} className="pf-flow-actions">
      {onEdit && (
        <Tooltip title={t('action.edit')}>
          <Button
            size="small"
            type="text"
            icon={<EditOutlined />}
            aria-label={t('action.edit_named', { name })}
            onClick={onEdit}
          />
        </Tooltip>
      )}
      <Tooltip title={t('action.up')}>
        <Button
          size="small"
          type="text"
          icon={<ArrowUpOutlined />}
          disabled={index === 0}
          aria-label={t('action.up_named', { name })}
          onClick={() => {
            ctx.apply((doc) => moveStep(doc, nodeId, 'up'));
          }}
        />
      </Tooltip>
      <Tooltip title={t('action.down')}>
        <Button
          size="small"
          type="text"
          icon={<ArrowDownOutlined />}
          disabled={index === count - 1}
          aria-label={t('action.down_named', { name })}
          onClick={() => {
            ctx.apply((doc) => moveStep(doc, nodeId, 'down'));
          }}
        />
      </Tooltip>
      <Tooltip title={t('action.move')}>
        <Button
          size="small"
          type="text"
          icon={<DragOutlined />}
          aria-label={t('action.move_named', { name })}
          onClick={() => {
            ctx.askMove(nodeId);
          }}
        />
      </Tooltip>
      <Tooltip title={t('action.delete')}>
        <Button
          size="small"
          type="text"
          danger
          icon={<DeleteOutlined />}
          aria-label={t('action.delete_named', { name })}
          onClick={() => {
            ctx.apply((doc) => deleteStep(doc, nodeId));
          }}
        />
      </Tooltip>
    </Space>
  );
}

function ProblemBadge({ problems }: { problems: FlowProblem[] }) {
  const { t } = useTranslation('consoleFlow');
  if (problems.length === 0) return null;
  return (
    <Tooltip title={problems.map((p) => p.description).join('; ')}>
      <Tag color="error" className="pf-flow-problem">
        {t('problems', { count: problems.length })}
      </Tag>
    </Tooltip>
  );
}

function PreviewPeople({ step }: { step: PreviewStep | undefined }) {
  const { t, i18n } = useTranslation('consoleFlow');
  if (!step) return null;
  const names = step.assignees.map((a) => localized(a.name, i18n.language));
  return (
    <div className="pf-flow-preview-people">
      {names.length > 0 && <span>{names.join(', ')}</span>}
      {step.skipped.length > 0 && (
        <Tag color="default">{t('preview.skipped', { count: step.skipped.length })}</Tag>
      )}
      {step.fallback === 'auto_pass' && <Tag color="warning">{t('preview.auto_pass')}</Tag>}
      {step.fallback === 'to_admins' && <Tag color="warning">{t('preview.to_admins')}</Tag>}
    </div>
  );
}

function NodeCard({
  step,
  index,
  count,
  ctx,
  onOpen,
}: {
  step: Extract<Step, { kind: 'task' }>;
  index: number;
  count: number;
  ctx: CanvasContext;
  onOpen: (id: string) => void;
}) {
  const { t, i18n } = useTranslation('consoleFlow');
  const node = step.node;
  const name = localized(node.name, i18n.language);
  const rules =
    node.type === 'approval' ? node.approvers : node.type === 'cc' ? node.recipients : node.assignees;
  const problems = ctx.problemsOf(node.id);
  const lit = ctx.lit?.get(node.id);
  const classes = [
    'pf-flow-card',
    `is-${node.type}`,
    ctx.selected === node.id ? 'is-selected' : '',
    problems.length > 0 ? 'has-problems' : '',
    ctx.lit ? (lit ? 'is-lit' : 'is-dim') : '',
  ].join(' ');
  return (
    <div className={classes}>
      <div className="pf-flow-card-head">
        <span className="pf-flow-card-kind">{t(`kind.${node.type}`)}</span>
        <ProblemBadge problems={problems} />
      </div>
      <button
        type="button"
        id={cardId(node.id)}
        className="pf-flow-card-body"
        aria-current={ctx.selected === node.id ? 'true' : undefined}
        onClick={() => {
          onOpen(node.id);
        }}
        aria-label={t('open_node', { name })}
      >
        <strong>{name}</strong>
        <span className="pf-flow-card-who">{rulesSummary(rules, node, t, i18n.language)}</span>
      </button>
      {ctx.lit && <PreviewPeople step={lit} />}
      <StepActions
        nodeId={node.id}
        index={index}
        count={count}
        ctx={ctx}
        name={name}
        onEdit={() => {
          onOpen(node.id);
        }}
      />
    </div>
  );
}

function Block({
  step,
  index,
  count,
  ctx,
  onOpen,
}: {
  step: Extract<Step, { kind: 'exclusive' | 'parallel' }>;
  index: number;
  count: number;
  ctx: CanvasContext;
  onOpen: (id: string) => void;
}) {
  const { t, i18n } = useTranslation('consoleFlow');
  const node = step.node;
  const name = node.name ? localized(node.name, i18n.language) : t(`kind.${node.type}`);
  const problems = ctx.problemsOf(node.id);
  const lit = ctx.lit?.get(node.id);
  const readOnly = ctx.editor.readOnly;
  const branchCount = step.branches.length;
  const columns =
    step.kind === 'exclusive'
      ? [
          ...step.branches.map((b, i) => ({
            key: i,
            steps: b.steps,
            condition: b.condition,
          })),
          { key: 'default' as const, steps: step.defaultSteps, condition: undefined },
        ]
      : step.branches.map((b, i) => ({ key: i, steps: b, condition: undefined }));
  // The first node of each branch tells which branch the preview took; none lit: the default (or an empty one).
  const takenByPreview = (steps: Step[]) => {
    const first = steps[0]?.node.id;
    return first ? ctx.lit?.has(first) === true : false;
  };
  const conditionalTaken = step.kind === 'exclusive' && step.branches.some((b) => takenByPreview(b.steps));

  return (
    <div
      className={`pf-flow-block is-${node.type}${ctx.selected === node.id ? ' is-selected' : ''}${ctx.lit ? (lit ? ' is-lit' : ' is-dim') : ''}`}
    >
      <div className="pf-flow-block-head">
        <button
          type="button"
          id={cardId(node.id)}
          className="pf-flow-block-title"
          aria-current={ctx.selected === node.id ? 'true' : undefined}
          onClick={() => {
            ctx.select(node.id);
          }}
        >
          {name}
        </button>
        <ProblemBadge problems={problems} />
        {!readOnly && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => {
              ctx.apply((doc) => addBranch(doc, node.id));
            }}
          >
            {t('add_branch')}
          </Button>
        )}
        <StepActions nodeId={node.id} index={index} count={count} ctx={ctx} name={name} />
      </div>
      <div className="pf-flow-columns" role="group" aria-label={t('branches_of', { name })}>
        {columns.map((column, i) => {
          const label =
            column.key === 'default'
              ? t('branch.default')
              : step.kind === 'exclusive'
                ? t('branch.condition_n', { n: i + 1 })
                : t('branch.parallel_n', { n: i + 1 });
          const taken = column.key === 'default' ? !conditionalTaken : takenByPreview(column.steps);
          const dim = ctx.lit && step.kind === 'exclusive' && lit && !taken;
          return (
            <div
              key={String(column.key)}
              className={`pf-flow-column${column.key === 'default' ? ' is-default' : ''}${dim ? ' is-dim' : ''}`}
              role="group"
              aria-label={label}
            >
              <div className="pf-flow-branch-head">
                <strong>{label}</strong>
                {step.kind === 'exclusive' && column.key !== 'default' && (
                  <button
                    type="button"
                    className="pf-flow-condition"
                    disabled={readOnly}
                    onClick={() => {
                      ctx.editCondition(node.id, column.key);
                    }}
                    aria-label={t('edit_condition_n', { n: i + 1 })}
                  >
                    <code>{column.condition === 'false' ? t('branch.unset') : column.condition}</code>
                  </button>
                )}
                {step.kind === 'exclusive' && column.key === 'default' && (
                  <span className="pf-flow-default-note">{t('branch.default_note')}</span>
                )}
                {!readOnly && column.key !== 'default' && (
                  <Space size={0}>
                    <Button
                      size="small"
                      type="text"
                      disabled={column.key === 0}
                      aria-label={t('branch.left', { branch: label })}
                      onClick={() => {
                        ctx.apply((doc) => moveBranch(doc, node.id, column.key, column.key - 1));
                      }}
                    >
                      ←
                    </Button>
                    <Button
                      size="small"
                      type="text"
                      disabled={column.key === branchCount - 1}
                      aria-label={t('branch.right', { branch: label })}
                      onClick={() => {
                        ctx.apply((doc) => moveBranch(doc, node.id, column.key, column.key + 1));
                      }}
                    >
                      →
                    </Button>
                    <Button
                      size="small"
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      aria-label={t('branch.remove', { branch: label })}
                      onClick={() => {
                        ctx.apply((doc) => removeBranch(doc, node.id, column.key));
                      }}
                    />
                  </Space>
                )}
              </div>
              <Sequence
                steps={column.steps}
                sequence={{ block: node.id, branch: column.key }}
                ctx={ctx}
                onOpen={onOpen}
              />
            </div>
          );
        })}
      </div>
      {step.kind === 'parallel' && <div className="pf-flow-join">{t('join')}</div>}
    </div>
  );
}

/** Moves a node or block to any "+" outside itself, picked from a list (keyboard friendly). */
function MoveDialog({
  tree,
  nodeId,
  onMove,
  onClose,
}: {
  tree: FlowTree;
  nodeId: string;
  onMove: (target: InsertPoint) => void;
  onClose: () => void;
}) {
  useReturnFocus();
  const { t, i18n } = useTranslation('consoleFlow');
  const [choice, setChoice] = useState<number | undefined>(undefined);
  const targets = moveTargets(tree, nodeId);
  const sequences = allSequences(tree);
  const steps = allSteps(tree);
  // Nodes by their names in the shown language (ids only for unnamed gateways).
  const nameOf = (id: string) => {
    const node = steps.find((s) => s.step.node.id === id)?.step.node;
    return node?.name ? localized(node.name, i18n.language) : id;
  };
  const describe = (target: InsertPoint) => {
    const seq = sequences.find((s) => JSON.stringify(s.sequence) === JSON.stringify(target.sequence));
    const where =
      target.sequence.block === null
        ? t('move.main')
        : target.sequence.branch === 'default'
          ? t('move.default_of', { block: nameOf(target.sequence.block) })
          : t('move.branch_of', { n: target.sequence.branch + 1, block: nameOf(target.sequence.block) });
    const before = seq?.steps[target.index]?.node.id;
    return before ? t('move.before', { where, node: nameOf(before) }) : t('move.at_end', { where });
  };
  return (
    <Modal
      open
      title={t('move.title', { node: nameOf(nodeId) })}
      okText={t('move.ok')}
      cancelText={t('cancel')}
      okButtonProps={{ disabled: choice === undefined }}
      onOk={() => {
        const target = choice === undefined ? undefined : targets[choice];
        if (target) onMove(target);
      }}
      onCancel={onClose}
    >
      <label htmlFor="flow-move-target">{t('move.where')}</label>
      <Select
        id="flow-move-target"
        style={{ width: '100%' }}
        value={choice}
        onChange={setChoice}
        options={targets.map((target, i) => ({ value: i, label: describe(target) }))}
      />
    </Modal>
  );
}
