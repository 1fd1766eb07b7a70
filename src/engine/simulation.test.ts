import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { DirectorySnapshot } from './approver-resolution.js';
import type { Department, Employee } from './directory.js';
import type { NodeDefinition } from './definition.js';
import { previewPath } from './preview.js';
import type { ProcessState } from './process.js';
import {
  comparePaths,
  employeesInScope,
  findCycle,
  simulateOrganisation,
  type SimulationRow,
} from './simulation.js';
import { approval, directory, end, flow, start, users } from './__fixtures__/flows.js';

const exclusive = (id: string, condition: string, then: string, otherwise: string): NodeDefinition => ({
  id,
  kind: 'exclusive',
  name: { zh_cn: id, en_us: id },
  branches: [{ condition, next: then }],
  defaultNext: otherwise,
});

/** start → manager → (days > 3: department leader) → end. */
const leave = (threshold = 3) =>
  flow([
    start('mgr_ok'),
    approval('mgr_ok', [{ kind: 'manager', level: 1 }], 'gw'),
    exclusive('gw', `form.days > ${threshold}`, 'leader_ok', 'end'),
    approval('leader_ok', [{ kind: 'department_leader', level: 1 }], 'end'),
    end(),
  ]);

const rowOf = (rows: SimulationRow[], id: string): SimulationRow => {
  const row = rows.find((r) => r.employeeId === id);
  assert.ok(row, `no row for ${id}`);
  return row;
};

test('scope: active employees of the tenant, or of a department and its sub-departments', () => {
  const dir = directory();
  assert.deepEqual(employeesInScope(dir, 'eng'), ['cto', 'emp', 'lead', 'mgr']);
  assert.deepEqual(employeesInScope(dir, 'sales'), ['x']); // 'gone' has left
  assert.equal(employeesInScope(dir).length, 11);
  assert.deepEqual(employeesInScope(dir, 'nowhere'), []);
});

test('a department without a leader: the fallback fires at the leader node, and says why', () => {
  const dir = directory();
  const result = simulateOrganisation(leave(), dir, {
    initiatorIds: employeesInScope(dir),
    formValues: { leave_type: 'annual', days: '5' },
  });
  const x = rowOf(result.rows, 'x'); // sales has no leader, x has no manager
  const leader = x.nodes.find((n) => n.nodeId === 'leader_ok');
  assert.equal(leader?.fallback, 'to_admins');
  assert.deepEqual(leader.assignees, ['admin']);
  assert.deepEqual(leader.causes, ['no_department_leader']);
  assert.deepEqual(x.nodes.find((n) => n.nodeId === 'mgr_ok')?.causes, ['no_manager']);
  assert.equal(x.problem, true);

  const emp = rowOf(result.rows, 'emp');
  assert.equal(emp.problem, false);
  assert.deepEqual(
    emp.nodes.filter((n) => n.kind === 'approval').map((n) => n.assignees),
    [['mgr'], ['lead']],
  );
  assert.equal(emp.chainLength, 2);

  // The leader of backend asks: nobody approves their own request as leader.
  const lead = rowOf(result.rows, 'lead');
  assert.deepEqual(lead.nodes.find((n) => n.nodeId === 'leader_ok')?.causes, ['leader_is_initiator']);

  const sales = result.departments.find((d) => d.departmentId === 'sales');
  assert.deepEqual(sales, {
    departmentId: 'sales',
    employees: 1,
    employeesWithProblems: 1,
    fallbacksByNode: { mgr_ok: 1, leader_ok: 1 },
    selfApprovals: 0,
    refused: 0,
    longestChain: 2, // both nodes fall back to the process admin, who approves
  });
  const leaderNode = result.summary.nodes.find((n) => n.nodeId === 'leader_ok');
  assert.equal(leaderNode?.reached, 11);
  assert.ok((leaderNode.causes.no_department_leader ?? 0) >= 6); // people and sales have no leader
});

test('the form values choose the branch: short leave never reaches the leader', () => {
  const dir = directory();
  const result = simulateOrganisation(leave(), dir, {
    initiatorIds: ['emp', 'x'],
    formValues: { leave_type: 'annual', days: '1' },
  });
  for (const row of result.rows) assert.ok(!row.nodes.some((n) => n.nodeId === 'leader_ok'));
  assert.equal(result.summary.nodes.find((n) => n.nodeId === 'leader_ok')?.reached, 0);
});

test('self-approval: a users rule naming the initiator, or the fallback admin asking', () => {
  const dir = directory();
  const definition = flow([start('fixed'), approval('fixed', [users('emp', 'mgr')], 'end'), end()]);
  const result = simulateOrganisation(definition, dir, {
    initiatorIds: ['emp', 'x'],
    formValues: {},
  });
  const emp = rowOf(result.rows, 'emp');
  assert.equal(emp.selfApprovals, 1);
  assert.equal(emp.nodes.find((n) => n.nodeId === 'fixed')?.selfApproval, true);
  assert.equal(rowOf(result.rows, 'x').selfApprovals, 0);
  assert.equal(result.summary.withSelfApproval, 1);

  const fallback = flow([start('m'), approval('m', [{ kind: 'manager', level: 1 }], 'end'), end()]);
  const admin = simulateOrganisation(fallback, dir, { initiatorIds: ['admin'], formValues: {} });
  assert.equal(admin.rows[0]?.selfApprovals, 1); // no manager → the process admin, who is the initiator
});

test('causes: empty role, unknown role, empty form field, nobody selected, users who left, refused', () => {
  const dir = directory();
  const node = (id: string, rule: Parameters<typeof approval>[1][number], next: string) =>
    approval(id, [rule], next, { fallback: 'auto_pass' });
  const definition = flow([
    start('a'),
    node('a', { kind: 'role', roleKey: 'hrbp' }, 'b'),
    node('b', { kind: 'role', roleKey: 'nope' }, 'c'),
    node('c', { kind: 'form_field', field: 'handover_to' }, 'd'),
    node('d', { kind: 'initiator_selected' }, 'e'),
    node('e', users('gone'), 'f'),
    approval('f', [{ kind: 'department_leader', level: 3 }], 'end', { fallback: 'refuse' }),
    end(),
  ]);
  const [row] = simulateOrganisation(definition, dir, { initiatorIds: ['x'], formValues: {} }).rows;
  assert.ok(row);
  const causes = Object.fromEntries(row.nodes.map((n) => [n.nodeId, n.causes]));
  assert.deepEqual(causes, {
    start: [],
    a: ['empty_role'],
    b: ['unknown_role'],
    c: ['empty_form_field'],
    d: ['not_selected'],
    e: ['users_inactive'],
    f: ['no_department'],
    end: [],
  });
  assert.equal(row.refused, true);
  assert.equal(row.chainLength, 0); // everything auto-passes
  // The HRBP serves eng: emp's role node resolves.
  const [emp] = simulateOrganisation(definition, dir, { initiatorIds: ['emp'], formValues: {} }).rows;
  assert.deepEqual(emp?.nodes.find((n) => n.nodeId === 'a')?.assignees, ['hrbp']);
});

test('longest chains come first, ties by employee id, bounded', () => {
  const dir = directory();
  const definition = flow([
    start('m1'),
    approval('m1', [{ kind: 'manager', level: 1 }], 'm2', { fallback: 'auto_pass' }),
    approval('m2', [{ kind: 'manager', level: 2 }], 'm3', { fallback: 'auto_pass' }),
    approval('m3', [{ kind: 'manager', level: 3 }], 'end', { fallback: 'auto_pass' }),
    end(),
  ]);
  const result = simulateOrganisation(definition, dir, {
    initiatorIds: employeesInScope(dir),
    formValues: {},
    longest: 3,
  });
  assert.deepEqual(
    result.longest.map((r) => [r.employeeId, r.chainLength]),
    [
      ['emp', 3],
      ['mgr', 2],
      ['lead', 1],
    ],
  );
  assert.equal(result.summary.longestChain, 3);
  assert.equal(result.departments.at(-1)?.departmentId, 'sales');
});

test('publish impact: a moved threshold changes the path, an unchanged definition does not', () => {
  const dir = directory();
  const input = { initiatorId: 'emp', formValues: { days: '4' }, selectedApprovers: {} };
  const same = comparePaths(leave(3), leave(3), input, dir);
  assert.equal(same.changed, false);
  assert.deepEqual(
    same.before.map((s) => [s.nodeId, s.assignees]),
    [
      ['mgr_ok', ['mgr']],
      ['leader_ok', ['lead']],
    ],
  );
  const moved = comparePaths(leave(3), leave(5), input, dir);
  assert.equal(moved.changed, true);
  assert.deepEqual(
    moved.after.map((s) => s.nodeId),
    ['mgr_ok'],
  );
  assert.equal(comparePaths(leave(3), leave(5), { ...input, formValues: { days: '9' } }, dir).changed, false);
});

// --- properties over random organisations ---

const person = (id: string, departmentId: string | null, managerId: string | null): Employee => ({
  id,
  tenantId: 't',
  userId: id,
  unionId: id,
  name: { zh_cn: id, en_us: id },
  email: `${id}@x.example`,
  departmentId,
  managerId,
  employmentStatus: 'active',
  createdAt: 0,
  updatedAt: 0,
});

/** A random tree of departments (each under an earlier one), people in them, managers anywhere. */
const organisation = fc
  .record({
    parents: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
    leaders: fc.array(fc.option(fc.nat(), { nil: null }), { minLength: 8, maxLength: 8 }),
    people: fc.array(fc.record({ dept: fc.option(fc.nat(), { nil: null }), manager: fc.option(fc.nat()) }), {
      minLength: 1,
      maxLength: 25,
    }),
  })
  .map(({ parents, leaders, people }): DirectorySnapshot => {
    const employees = people.map((p, i) =>
      person(
        `e${i}`,
        p.dept === null ? null : `d${p.dept % parents.length}`,
        p.manager === null ? null : `e${p.manager % people.length}`,
      ),
    );
    const departments: Department[] = parents.map((parent, i) => ({
      id: `d${i}`,
      tenantId: 't',
      departmentId: `d${i}`,
      openDepartmentId: `d${i}`,
      name: { zh_cn: `d${i}`, en_us: `d${i}` },
      parentId: i === 0 ? null : `d${parent % i}`,
      leaderId: leaders[i] === null || leaders[i] === undefined ? null : `e${leaders[i] % people.length}`,
      createdAt: 0,
      updatedAt: 0,
    }));
    return {
      employees: new Map(employees.map((e) => [e.id, e])),
      departments: new Map(departments.map((d) => [d.id, d])),
      roles: new Map(),
    };
  });

test('property: each row is the path previewPath shows, causes exactly where the rules are empty', () => {
  const definition = flow(
    [
      start('m'),
      approval('m', [{ kind: 'manager', level: 2 }], 'l'),
      approval('l', [{ kind: 'department_leader', level: 1 }], 'end', { fallback: 'auto_pass' }),
      end(),
    ],
    { processAdminIds: ['e0'] },
  );
  fc.assert(
    fc.property(organisation, (dir) => {
      const ids = employeesInScope(dir);
      const result = simulateOrganisation(definition, dir, { initiatorIds: ids, formValues: {} });
      assert.equal(result.rows.length, ids.length);
      assert.equal(
        result.departments.reduce((n, d) => n + d.employees, 0),
        ids.length,
      );
      for (const row of result.rows) {
        const state = { initiatorId: row.employeeId, formValues: {}, selectedApprovers: {} } as unknown;
        const steps = previewPath(definition, state as ProcessState, {
          now: 0,
          newId: () => '',
          directory: dir,
        });
        assert.deepEqual(
          row.nodes.map((n) => [n.nodeId, n.assignees, n.fallback]),
          steps.map((s) => [s.nodeId, s.assignees, s.fallback]),
        );
        for (const node of row.nodes) {
          const empty = node.fallback !== undefined || node.refused === true;
          assert.equal(node.causes.length > 0, empty, `${row.employeeId} ${node.nodeId}`);
          assert.equal(
            node.selfApproval,
            node.kind === 'approval' && node.assignees.includes(row.employeeId),
          );
        }
      }
      const withFallback = result.rows.filter((r) => r.fallbacks > 0).length;
      assert.equal(result.summary.withFallback, withFallback);
    }),
    { numRuns: 200 },
  );
});

test('findCycle: a loop through the nodes is found, an acyclic flow has none', () => {
  assert.equal(findCycle(leave()), undefined);
  const looping = flow([
    start('a'),
    approval('a', [users('mgr')], 'b'),
    approval('b', [users('mgr')], 'a'),
    end(),
  ]);
  assert.deepEqual(findCycle(looping), ['a', 'b', 'a']);
});
