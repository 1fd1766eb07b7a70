import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ancestry,
  roleMembersForDepartment,
  wouldCreateCycle,
  type Department,
  type Role,
} from './directory.js';

const dept = (id: string, parentId: string | null): Department => ({
  id,
  tenantId: 't',
  departmentId: id,
  openDepartmentId: `od-${id}`,
  name: { zh_cn: id, en_us: id },
  parentId,
  leaderId: null,
  createdAt: 0,
  updatedAt: 0,
});
const tree = new Map(
  [dept('root', null), dept('eng', 'root'), dept('backend', 'eng'), dept('sales', 'root')].map((d) => [
    d.id,
    d,
  ]),
);

test('ancestry walks to the root, nearest first', () => {
  assert.deepEqual(
    ancestry('backend', (d) => d.parentId, tree),
    ['backend', 'eng', 'root'],
  );
  assert.deepEqual(
    ancestry(null, (d) => d.parentId, tree),
    [],
  );
});

test('cycle detection: a node under its own descendant is a cycle, elsewhere not', () => {
  assert.equal(
    wouldCreateCycle('eng', 'backend', (d) => d.parentId, tree),
    true,
  );
  assert.equal(
    wouldCreateCycle('eng', 'eng', (d) => d.parentId, tree),
    true,
  );
  assert.equal(
    wouldCreateCycle('backend', 'sales', (d) => d.parentId, tree),
    false,
  );
  assert.equal(
    wouldCreateCycle('backend', null, (d) => d.parentId, tree),
    false,
  );
});

test('role members: the nearest department with members wins, then tenant-wide members', () => {
  const role: Role = {
    id: 'r',
    tenantId: 't',
    roleKey: 'hrbp',
    name: { zh_cn: 'HRBP', en_us: 'HRBP' },
    members: [
      { employeeId: 'eng-hrbp', departmentIds: ['eng'] },
      { employeeId: 'backend-hrbp', departmentIds: ['backend'] },
      { employeeId: 'global-hrbp', departmentIds: [] },
    ],
    createdAt: 0,
    updatedAt: 0,
  };
  assert.deepEqual(roleMembersForDepartment(role, 'backend', tree), ['backend-hrbp']);
  assert.deepEqual(roleMembersForDepartment(role, 'eng', tree), ['eng-hrbp']);
  assert.deepEqual(roleMembersForDepartment(role, 'sales', tree), ['global-hrbp']);
});
