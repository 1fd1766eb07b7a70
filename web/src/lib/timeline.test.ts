import { describe, expect, it } from 'vitest';
import type { CommentView, PersonRef, PreviewStep, TaskView, TimelineEntry } from '@contract';
import { buildStory, groupByBranch, orderTasks, stepOutcome, systemStepTone, visibleSteps } from './timeline';

const person = (id: string): PersonRef => ({ user_id: id, name: { zh_cn: id, en_us: id }, active: true });
const why = { zh_cn: '', en_us: '' };
const task = (id: string, origin: string, created_at: string): TaskView => ({
  task_id: id,
  assignee: person(id),
  status: 'in_progress',
  type: 'approval',
  created_at,
  by_system: false,
  origin,
  why,
});
const node = (
  id: string,
  started_at: string,
  node_kind: Extract<TimelineEntry, { kind: 'node' }>['node_kind'] = 'approval',
): TimelineEntry => ({
  kind: 'node',
  node_run_id: id,
  node_id: id,
  node_kind,
  name: { zh_cn: id, en_us: id },
  status: 'passed',
  started_at,
  auto_passed: false,
  tasks: [],
  cc: [],
});
const action = (a: string, at: string): TimelineEntry => ({ kind: 'action', action: a, actor: null, at });
const comment = (id: string, at: string): CommentView => ({
  comment_id: id,
  author: person('a'),
  text: 'hi',
  mentions: [],
  files: [],
  created_at: at,
});

describe('timeline', () => {
  it('keeps system steps (node type 7) in time order, coloured by how they went', () => {
    const step = (job_id: string, at: string, status: 'done' | 'failed' | 'pending'): TimelineEntry => ({
      kind: 'system_step',
      node_type: 7,
      job_id,
      step: 'action',
      name: { zh_cn: '系统作业', en_us: 'Business action' },
      status,
      started_at: at,
      attempts: 1,
    });
    const story = buildStory(
      [node('n1', '2026-12-01T10:00:00Z'), step('j1', '2026-12-01T10:05:00Z', 'failed')],
      [comment('c1', '2026-12-01T10:01:00Z')],
    );
    expect(story.map((s) => s.kind)).toEqual(['node', 'comment', 'system_step']);
    expect(systemStepTone('failed')).toBe('red');
    expect(systemStepTone('done')).toBe('green');
    expect(systemStepTone('pending')).toBe('blue');
  });

  it('tells the story oldest first, ties in server order, comments in full once', () => {
    const story = buildStory(
      [
        action('start', '2026-12-01T09:00:00Z'),
        node('n1', '2026-12-01T09:00:00Z'),
        action('comment', '2026-12-01T10:00:00Z'),
        action('approve', '2026-12-01T10:30:00Z'),
        node('n2', '2026-12-01T11:00:00Z'),
        action('reject', '2026-12-01T11:30:00Z'),
      ],
      [comment('c1', '2026-12-01T10:00:00Z')],
    );
    expect(
      story.map((s) =>
        s.kind === 'node'
          ? s.entry.node_id
          : s.kind === 'action'
            ? s.entry.action
            : s.kind === 'comment'
              ? s.comment.comment_id
              : s.entry.job_id,
      ),
    ).toEqual(['start', 'n1', 'c1', 'n2']);
    // Start/end nodes and gateways are left out: the start action tells who started.
    const quiet = buildStory(
      [
        action('start', '2026-12-01T09:00:00Z'),
        node('s', '2026-12-01T09:00:00Z', 'start'),
        node('g', '2026-12-01T09:00:00Z', 'exclusive'),
        node('n1', '2026-12-01T09:00:00Z'),
      ],
      [],
    );
    expect(quiet.map((s) => s.kind)).toEqual(['action', 'node']);
    // Without the comments list, the timeline's comment action stays.
    expect(buildStory([action('comment', '2026-12-01T10:00:00Z')], []).length).toBe(1);
  });

  it('orders tasks of a node: added before, the node and parallel ones, added after', () => {
    const ordered = orderTasks([
      task('post', 'add_sign_post', '2026-12-01T09:00:00Z'),
      task('own', 'node', '2026-12-01T08:00:00Z'),
      task('par', 'add_sign_parallel', '2026-12-01T09:30:00Z'),
      task('pre', 'add_sign_pre', '2026-12-01T10:00:00Z'),
    ]);
    expect(ordered.map((t) => t.task_id)).toEqual(['pre', 'own', 'par', 'post']);
  });

  const step = (over: Partial<PreviewStep>): PreviewStep => ({
    node_id: 'n',
    kind: 'approval',
    name: { zh_cn: 'n', en_us: 'n' },
    assignees: [],
    skipped: [],
    reasons: [],
    branch: '',
    ...over,
  });

  it('explains each preview step: people, skipped duplicates, fallbacks', () => {
    expect(stepOutcome(step({ assignees: [person('m'), person('d')], skipped: ['d'] }))).toEqual({
      kind: 'people',
      acting: [person('m')],
      skipped: [person('d')],
    });
    expect(stepOutcome(step({ assignees: [person('m')], skipped: ['m'] })).kind).toBe('all_skipped');
    expect(stepOutcome(step({ fallback: 'auto_pass' })).kind).toBe('auto_pass');
    expect(stepOutcome(step({ fallback: 'to_admins' })).kind).toBe('to_admins');
    expect(stepOutcome(step({})).kind).toBe('nobody');
  });

  it('shows only the steps people care about, grouped by parallel branch', () => {
    const steps = [
      step({ node_id: 's', kind: 'start' }),
      step({ node_id: 'a' }),
      step({ node_id: 'p', kind: 'parallel' }),
      step({ node_id: 'b1', branch: 'x' }),
      step({ node_id: 'b2', branch: 'x' }),
      step({ node_id: 'c1', branch: 'y', kind: 'cc' }),
      step({ node_id: 'e', kind: 'end' }),
    ];
    const visible = visibleSteps(steps);
    expect(visible.map((s) => s.node_id)).toEqual(['a', 'b1', 'b2', 'c1']);
    expect(groupByBranch(visible).map((g) => g.steps.map((s) => s.node_id))).toEqual([
      ['a'],
      ['b1', 'b2'],
      ['c1'],
    ]);
  });
});
