import type { FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import { Type } from 'typebox';
import type { DirectorySnapshot } from '../../../engine/approver-resolution.js';
import type { FlowDefinition } from '../../../engine/definition.js';
import type { PathStep, SimulationRow as EngineRow } from '../../../engine/simulation.js';
import { DefinitionDocumentSchema } from '../../../services/definition-document.js';
import type { Services } from '../../../services/index.js';
import type { Impact, Simulation } from '../../../services/simulation.service.js';
import { IMPACT_MAX } from '../../../services/simulation.service.js';
import type { HttpApp } from '../../http-app.js';
import type {
  DepartmentRef,
  I18n,
  ImpactStep,
  PublishImpact,
  SimulationCause,
  SimulationResult,
  SimulationRow,
} from '../contract.js';
import { personOf } from '../index.js';
import { decodePeopleCursor, encodePeopleCursor, PageTokenQuery } from '../paging.js';
import { iso, personRef } from '../render.js';
import { requestLanguage } from '../language.js';
import { sendPeopleFailure } from '../reply.js';
import { requireFlowAdmin } from './index.js';

const FlowParams = Type.Object(
  { flow_id: Type.String({ pattern: '^\\d{1,19}$' }) },
  { additionalProperties: false },
);
const FormValues = Type.Record(Type.String({ minLength: 1, maxLength: 64 }), Type.Unknown(), {
  maxProperties: 200,
});
const SimulationBody = Type.Object(
  {
    department_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    form_values: Type.Optional(FormValues),
    document: Type.Optional(DefinitionDocumentSchema),
    only_problems: Type.Optional(Type.Boolean()),
    page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    page_token: Type.Optional(PageTokenQuery),
  },
  { additionalProperties: false },
);
const SimulationQuery = Type.Object(
  {
    format: Type.Optional(Type.Enum(['json', 'csv'])),
    /** The CSV's language (headers, names, flags); default from Accept-Language. */
    lang: Type.Optional(Type.Enum(['zh-CN', 'en'])),
  },
  { additionalProperties: false },
);
const ImpactBody = Type.Object(
  {
    last: Type.Optional(Type.Integer({ minimum: 1, maximum: IMPACT_MAX })),
    document: Type.Optional(DefinitionDocumentSchema),
  },
  { additionalProperties: false },
);

const tags = ['console'];
const DEPARTMENTS_MAX = 500;
const LONGEST = 10;

/** Console: organisation simulation and publish impact (owner: h-sim). */
export function registerConsoleSimulationRoutes(admin: HttpApp, services: Services): void {
  admin.post(
    '/flows/:flow_id/simulation',
    {
      schema: {
        params: FlowParams,
        querystring: SimulationQuery,
        body: SimulationBody,
        tags,
        summary: "Every employee's path through the flow: fallbacks, self-approvals, chains (JSON or CSV)",
      },
    },
    async (request, reply) => {
      const flowId = request.params.flow_id;
      if (!requireFlowAdmin(request, reply, flowId)) return reply;
      const body = request.body;
      const csv = request.query.format === 'csv' || wantsCsv(request);
      const binding = JSON.stringify([
        'simulation',
        flowId,
        body.department_id ?? null,
        body.form_values ?? null,
        body.only_problems ?? false,
        body.document ?? null,
      ]);
      const after = csv ? undefined : decodePeopleCursor(reply, body.page_token, binding);
      if (after === null) return reply;

      const result = await services.simulation.simulate(personOf(request).tenant.id, flowId, {
        departmentId: body.department_id,
        formValues: body.form_values,
        document: body.document,
      });
      if (!result.ok) return sendPeopleFailure(reply, result.error);
      const simulation = result.value;
      const rows = body.only_problems
        ? simulation.result.rows.filter((r) => r.problem)
        : simulation.result.rows;

      if (csv) {
        const language = requestLanguage(request);
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="simulation-${flowId}.csv"`)
          .send(simulationCsv(simulation, rows, language));
      }

      // Rows are in employee id order: a page starts after the last id of the one before.
      const pageSize = body.page_size ?? 50;
      const start = after === undefined ? 0 : rows.findIndex((r) => r.employeeId > after);
      const page = start < 0 ? [] : rows.slice(start, start + pageSize);
      const more = start >= 0 && start + pageSize < rows.length;
      const last = page.at(-1);
      return renderSimulation(
        simulation,
        page,
        rows.length,
        more && last ? encodePeopleCursor(last.employeeId, binding) : undefined,
      );
    },
  );

  admin.post(
    '/flows/:flow_id/impact',
    {
      schema: {
        params: FlowParams,
        body: ImpactBody,
        tags,
        summary: 'The last processes of the flow replayed through the draft: those whose path would change',
      },
    },
    async (request, reply) => {
      const flowId = request.params.flow_id;
      if (!requireFlowAdmin(request, reply, flowId)) return reply;
      const result = await services.simulation.impact(personOf(request).tenant.id, flowId, {
        last: request.body.last ?? 100,
        document: request.body.document,
      });
      if (!result.ok) return sendPeopleFailure(reply, result.error);
      return renderImpact(result.value);
    },
  );
}

function wantsCsv(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? '';
  return /(^|,)\s*text\/csv/i.test(accept);
}

const same = (text: string): I18n => ({ zh_cn: text, en_us: text });

function departmentRef(directory: DirectorySnapshot, id: string | null): DepartmentRef | null {
  const department = id === null ? undefined : directory.departments.get(id);
  if (!department) return null;
  const parent = department.parentId ? directory.departments.get(department.parentId) : undefined;
  return {
    department_id: department.departmentId,
    name: department.name,
    ...(parent ? { parent_department_id: parent.departmentId } : {}),
  };
}

function rowJson(row: EngineRow, directory: DirectorySnapshot): SimulationRow {
  const userId = (id: string) => directory.employees.get(id)?.userId ?? id;
  return {
    initiator: personRef(directory, row.employeeId),
    chain_length: row.chainLength,
    fallbacks: row.fallbacks,
    self_approvals: row.selfApprovals,
    refused: row.refused,
    problem: row.problem,
    nodes: row.nodes.map((n) => ({
      node_id: n.nodeId,
      kind: n.kind,
      assignees: n.assignees.map((id) => personRef(directory, id)),
      skipped: n.skipped.map(userId),
      ...(n.fallback ? { fallback: n.fallback } : {}),
      ...(n.refused ? { refused: true } : {}),
      causes: n.causes,
      self_approval: n.selfApproval,
    })),
  };
}

function renderSimulation(
  simulation: Simulation,
  page: EngineRow[],
  rowsTotal: number,
  pageToken: string | undefined,
): SimulationResult {
  const { result, definition, directory, source } = simulation;
  const nodeName = new Map(definition.nodes.map((n) => [n.id, n.name]));
  const departments = [...result.departments].sort(
    (a, b) => b.employeesWithProblems - a.employeesWithProblems || b.employees - a.employees,
  );
  const s = result.summary;
  return {
    summary: {
      source: source.kind,
      ...(source.kind === 'version' ? { version: source.version } : {}),
      employees: s.employees,
      employees_with_problems: s.employeesWithProblems,
      with_fallback: s.withFallback,
      with_self_approval: s.withSelfApproval,
      refused: s.refused,
      longest_chain: s.longestChain,
      average_chain: Math.round(s.averageChain * 100) / 100,
      nodes: s.nodes.map((n) => ({
        node_id: n.nodeId,
        kind: n.kind,
        name: nodeName.get(n.nodeId) ?? same(n.nodeId),
        reached: n.reached,
        fallbacks: n.fallbacks,
        self_approvals: n.selfApprovals,
        refused: n.refused,
        causes: n.causes,
      })),
      duration_ms: Math.round(simulation.durationMs),
    },
    departments: departments.slice(0, DEPARTMENTS_MAX).map((d) => ({
      department: departmentRef(directory, d.departmentId),
      employees: d.employees,
      employees_with_problems: d.employeesWithProblems,
      fallbacks_by_node: d.fallbacksByNode,
      self_approvals: d.selfApprovals,
      refused: d.refused,
      longest_chain: d.longestChain,
    })),
    departments_total: departments.length,
    longest: result.longest.slice(0, LONGEST).map((r) => rowJson(r, directory)),
    rows: page.map((r) => rowJson(r, directory)),
    rows_total: rowsTotal,
    ...(pageToken ? { page_token: pageToken } : {}),
  };
}

function impactSteps(
  path: PathStep[],
  definition: FlowDefinition,
  directory: DirectorySnapshot,
): ImpactStep[] {
  const nodeName = new Map(definition.nodes.map((n) => [n.id, n.name]));
  return path.map((step) => ({
    node_id: step.nodeId,
    kind: step.kind === 'cc' || step.kind === 'form_fill' ? step.kind : 'approval',
    name: nodeName.get(step.nodeId) ?? same(step.nodeId),
    assignees: step.assignees.map((id) => personRef(directory, id)),
    ...(step.fallback ? { fallback: step.fallback } : {}),
    ...(step.refused ? { refused: true } : {}),
  }));
}

function renderImpact(impact: Impact): PublishImpact {
  return {
    compared: impact.compared,
    changed: impact.changed.map(({ process, before, comparison }) => ({
      process_id: process.id,
      initiator: personRef(impact.directory, process.initiatorId),
      started_at: iso(process.createdAt),
      status: process.status,
      version: process.definitionVersion,
      before: impactSteps(comparison.before, before, impact.directory),
      after: impactSteps(comparison.after, impact.after, impact.directory),
    })),
  };
}

// --- CSV ---

const CAUSE_TEXT: Record<SimulationCause, I18n> = {
  no_manager: { zh_cn: '无上级', en_us: 'no manager' },
  manager_inactive: { zh_cn: '上级已离职', en_us: 'manager has left' },
  no_department: { zh_cn: '无对应部门', en_us: 'no such department' },
  no_department_leader: { zh_cn: '部门无负责人', en_us: 'no department leader' },
  leader_is_initiator: { zh_cn: '发起人即部门负责人', en_us: 'the initiator is the leader' },
  leader_inactive: { zh_cn: '部门负责人已离职', en_us: 'department leader has left' },
  unknown_role: { zh_cn: '角色不存在', en_us: 'unknown role' },
  empty_role: { zh_cn: '角色无成员', en_us: 'nobody in the role' },
  empty_form_field: { zh_cn: '表单字段为空', en_us: 'form field empty' },
  users_inactive: { zh_cn: '指定人员均已离职', en_us: 'listed people have left' },
  not_selected: { zh_cn: '发起人未选择', en_us: 'not chosen by the initiator' },
};

/** A spreadsheet would run a cell starting with = + - @ (or a tab / carriage return) as a formula. */
export function csvSafe(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function simulationCsv(simulation: Simulation, rows: EngineRow[], language: 'zh-CN' | 'en'): string {
  const { definition, directory } = simulation;
  const zh = language === 'zh-CN';
  const text = (i18n: I18n) => (zh ? i18n.zh_cn : i18n.en_us) || i18n.zh_cn || i18n.en_us;
  const name = (id: string) => {
    const e = directory.employees.get(id);
    return e ? text(e.name) : id;
  };
  const acting = definition.nodes.filter(
    (n) => n.kind === 'approval' || n.kind === 'form_fill' || n.kind === 'cc',
  );
  const header = [
    ...(zh
      ? ['工号', '姓名', '部门', '审批层级', '兜底次数', '本人审批', '无法发起']
      : ['user_id', 'name', 'department', 'chain length', 'fallbacks', 'self-approvals', 'cannot start']),
    ...acting.map((n) => text(n.name)),
  ];
  const yes = zh ? '是' : 'yes';
  const lines: string[][] = [header];
  for (const row of rows) {
    const employee = directory.employees.get(row.employeeId);
    const department = row.departmentId ? directory.departments.get(row.departmentId) : undefined;
    const byNode = new Map(row.nodes.map((n) => [n.nodeId, n]));
    lines.push([
      employee?.userId ?? row.employeeId,
      name(row.employeeId),
      department ? text(department.name) : '',
      String(row.chainLength),
      String(row.fallbacks),
      row.selfApprovals > 0 ? yes : '',
      row.refused ? yes : '',
      ...acting.map((node) => {
        const step = byNode.get(node.id);
        if (!step) return '—';
        const people = step.assignees.map(name).join(zh ? '、' : ', ');
        const flags: string[] = [];
        if (step.fallback || step.refused) {
          const why = step.causes.map((c) => text(CAUSE_TEXT[c])).join(zh ? '；' : '; ');
          const what = step.refused
            ? zh
              ? '无法发起'
              : 'cannot start'
            : step.fallback === 'to_admins'
              ? zh
                ? '兜底：流程管理员'
                : 'fallback: process admins'
              : zh
                ? '兜底：自动通过'
                : 'fallback: passed automatically';
          flags.push(`[${what}${why ? ` (${why})` : ''}]`);
        }
        if (step.selfApproval) flags.push(zh ? '[本人审批]' : '[self-approval]');
        return [people, ...flags].filter(Boolean).join(' ');
      }),
    ]);
  }
  // The BOM makes Excel read UTF-8 (Chinese names) instead of the system code page.
  return `\uFEFF${stringify(lines.map((line) => line.map(csvSafe)))}`;
}
