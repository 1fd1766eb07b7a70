import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import type { DirectorySnapshot } from '../src/engine/approver-resolution.js';
import type { FlowDefinition } from '../src/engine/definition.js';
import type { Department, Employee, Role } from '../src/engine/directory.js';
import type { FormValues } from '../src/engine/form.js';
import { employeesInScope, simulateOrganisation } from '../src/engine/simulation.js';
import { fromDocument, type DefinitionDocument } from '../src/services/definition-document.js';
import { DEMO_FLOWS } from '../src/services/demo-flows.js';
import { median } from './median.js';

/**
 * `npm run bench:simulation` — the organisation simulation (src/engine/simulation.ts) over a generated
 * 10,000-employee directory: a department tree six levels deep, every employee's manager the leader
 * of their department (a leader's, the leader above), one department in ten without a leader (its
 * people then have no manager either), HRBPs serving the top-level divisions but one. Prints Markdown
 * for BENCHMARKS.md. `--employees <n>` changes the size, `--runs <n>` the timed runs (median reported).
 */
const { values } = parseArgs({
  options: { employees: { type: 'string', default: '10000' }, runs: { type: 'string', default: '5' } },
});
const EMPLOYEES = Number(values.employees);
const RUNS = Number(values.runs);

/** Deterministic pseudo-random numbers (mulberry32), so every run simulates the same organisation. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateDirectory(size: number): DirectorySnapshot {
  const rand = random(12);
  const fanOut = [8, 4, 4, 3, 2]; // children per department at each level: 1 + 8 + 32 + 128 + 384 + 768
  const departments: Department[] = [];
  const department = (parentId: string | null, depth: number): void => {
    const id = `d${departments.length}`;
    departments.push({
      id,
      tenantId: 't',
      departmentId: id,
      openDepartmentId: `od-${id}`,
      name: { zh_cn: `部门${id}`, en_us: `Department ${id}` },
      parentId,
      leaderId: null,
      createdAt: 0,
      updatedAt: 0,
    });
    for (let i = 0; i < (fanOut[depth] ?? 0); i++) department(id, depth + 1);
  };
  department(null, 0);

  const employees: Employee[] = [];
  const members = new Map<string, Employee[]>();
  for (let i = 0; i < size; i++) {
    // Every department gets someone; the rest are spread at random, more in the leaves.
    const dept =
      i < departments.length ? departments[i] : departments[Math.floor(rand() * departments.length)];
    if (!dept) throw new Error('no department');
    const employee: Employee = {
      id: `e${i}`,
      tenantId: 't',
      userId: `u${i}`,
      unionId: `on_${i}`,
      name: { zh_cn: `员工${i}`, en_us: `Employee ${i}` },
      email: `u${i}@example.com`,
      departmentId: dept.id,
      managerId: null,
      employmentStatus: rand() < 0.02 ? 'terminated' : 'active',
      createdAt: 0,
      updatedAt: 0,
    };
    employees.push(employee);
    const list = members.get(dept.id);
    if (list) list.push(employee);
    else members.set(dept.id, [employee]);
  }
  const byId = new Map(departments.map((d) => [d.id, d]));
  departments.forEach((d, i) => {
    if (i > 0 && rand() < 0.1) return; // one in ten has no leader (the root always has one)
    d.leaderId = members.get(d.id)?.[0]?.id ?? null;
  });
  for (const e of employees) {
    let dept = byId.get(e.departmentId ?? '');
    if (dept && dept.leaderId === e.id) dept = byId.get(dept.parentId ?? '');
    // No leader in the department: the manager field was never filled in.
    e.managerId = dept?.leaderId ?? null;
  }
  const hrbps = departments
    .filter((d) => d.parentId === 'd0')
    .slice(1)
    .map((d, i) => ({ employeeId: employees[employees.length - 1 - i]?.id ?? '', departmentIds: [d.id] }));
  const roles: Role[] = [
    {
      id: 'r1',
      tenantId: 't',
      roleKey: 'hrbp',
      name: { zh_cn: 'HRBP', en_us: 'HRBP' },
      members: hrbps,
      createdAt: 0,
      updatedAt: 0,
    },
  ];
  return {
    employees: new Map(employees.map((e) => [e.id, e])),
    departments: byId,
    roles: new Map(roles.map((r) => [r.roleKey, r])),
  };
}

const t = (zh: string, en: string) => ({ zh_cn: zh, en_us: en });

/** A long chain: three manager levels, two leader levels (above a threshold), the HRBP copied. */
const LONG_CHAIN: DefinitionDocument = {
  name: t('长链', 'Long chain'),
  biz_type: 'custom:long_chain',
  process_admins: ['admin'],
  form: [{ api_name: 'amount', label: t('金额', 'Amount'), type: 'number', required: true }],
  nodes: [
    { type: 'start', id: 'start', next: 'm1' },
    {
      type: 'approval',
      id: 'm1',
      name: t('经理', 'Manager'),
      approvers: [{ type: 'manager', level: 1 }],
      next: 'm2',
    },
    {
      type: 'approval',
      id: 'm2',
      name: t('经理2', 'Manager 2'),
      approvers: [{ type: 'manager', level: 2 }],
      next: 'm3',
    },
    {
      type: 'approval',
      id: 'm3',
      name: t('经理3', 'Manager 3'),
      approvers: [{ type: 'manager', level: 3 }],
      next: 'gw',
    },
    {
      type: 'exclusive',
      id: 'gw',
      branches: [{ condition: 'form.amount > 10000 && size(initiator.department_ids) > 2', next: 'l1' }],
      default_next: 'cc',
    },
    {
      type: 'approval',
      id: 'l1',
      name: t('部门负责人', 'Leader'),
      approvers: [{ type: 'department_leader', level: 1 }],
      next: 'l2',
    },
    {
      type: 'approval',
      id: 'l2',
      name: t('上级部门负责人', 'Leader above'),
      approvers: [{ type: 'department_leader', level: 2 }],
      empty_fallback: 'auto_pass',
      next: 'cc',
    },
    {
      type: 'cc',
      id: 'cc',
      name: t('HRBP', 'HRBP'),
      recipients: [{ type: 'role', role_key: 'hrbp' }],
      next: 'end',
    },
    { type: 'end', id: 'end' },
  ],
};

function definitionOf(doc: DefinitionDocument, directory: DirectorySnapshot): FlowDefinition {
  const admin = directory.employees.keys().next().value ?? 'e0';
  const { definition } = fromDocument(doc, {
    idOf: (userId) => (userId === 'admin' || userId === 'process_admin' ? admin : userId),
    userIdOf: (id) => id,
  });
  return { ...definition, id: '1', version: 1 };
}

const f = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const setupStart = performance.now();
const directory = generateDirectory(EMPLOYEES);
const setupMs = performance.now() - setupStart;
const cases: { name: string; definition: FlowDefinition; formValues: FormValues }[] = [
  {
    name: 'demo leave (manager; days > 3: leader; HRBP cc), 5 days',
    definition: definitionOf(DEMO_FLOWS.leave as DefinitionDocument, directory),
    formValues: { leave_type: 'annual', start_date: '2026-12-01', end_date: '2026-12-05', days: '5' },
  },
  {
    name: 'long chain (3 manager levels, 2 leader levels, HRBP cc), amount 20,000',
    definition: definitionOf(LONG_CHAIN, directory),
    formValues: { amount: '20000' },
  },
];

console.log('## Organisation simulation (`npm run bench:simulation`)');
console.log();
console.log(`- date: ${new Date().toISOString()}`);
console.log(
  `- machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${f(totalmem() / 2 ** 30, 1)} GiB, Node ${process.version}, load average ${f(loadavg()[0] ?? 0, 1)}`,
);
console.log(
  `- directory: ${f(directory.employees.size)} employees, ${f(directory.departments.size)} departments six levels deep (generated in ${f(setupMs)} ms)`,
);
console.log();
console.log(
  '| flow | employees simulated | median ms | µs per employee | with fallback | self-approvals | longest chain |',
);
console.log('|---|---|---|---|---|---|---|');
for (const c of cases) {
  const initiatorIds = employeesInScope(directory);
  simulateOrganisation(c.definition, directory, { initiatorIds, formValues: c.formValues }); // warm-up
  const times: number[] = [];
  let last: ReturnType<typeof simulateOrganisation> | undefined;
  for (let i = 0; i < RUNS; i++) {
    const startAt = performance.now();
    last = simulateOrganisation(c.definition, directory, { initiatorIds, formValues: c.formValues });
    times.push(performance.now() - startAt);
  }
  const middle = median(times) || 0;
  const s = last?.summary;
  console.log(
    `| ${c.name} | ${f(initiatorIds.length)} | ${f(middle)} | ${f((middle * 1000) / initiatorIds.length, 1)} | ${f(s?.withFallback ?? 0)} | ${f(s?.withSelfApproval ?? 0)} | ${s?.longestChain ?? 0} |`,
  );
}
