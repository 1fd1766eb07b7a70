import type { I18nText } from '../engine/directory.js';
import type { DeliveryMode } from '../store/app.repository.js';
import { EVENT_TYPES, SCOPES } from './app.service.js';
import type { Services } from './index.js';
import type { Result } from './result.js';
import { DEMO_FLOWS } from './demo-flows.js';
import { DEMO_CALENDAR, DEMO_LEAVE_TYPES } from './demo-time-off.js';

/** The manifest written to `<data dir>/demo.json`: everything a newcomer needs to call the demo. */
export interface DemoManifest {
  base_url: string;
  admin_token?: string;
  tenant_key: string;
  /** `event_delivery_mode`: how the demo app receives events (long_connection unless changed since). */
  app: { app_id: string; app_secret: string; event_delivery_mode: DeliveryMode };
  users: Record<
    string,
    { user_id: string; open_id: string; union_id: string; people_corehr_id: string; name: string }
  >;
  departments: Record<
    string,
    { department_id: string; open_department_id: string; people_corehr_department_id: string }
  >;
  flow_definitions: Record<string, string>;
}

export const DEMO_TENANT_KEY = 'demo';

/** Who the demo sign-in page offers, with what each one is for in the demo flows (user_id = key). */
export const DEMO_SIGN_IN_PEOPLE: { userId: string; title: I18nText }[] = [
  { userId: 'employee', title: { zh_cn: '员工（发起申请）', en_us: 'Employee (starts requests)' } },
  { userId: 'manager', title: { zh_cn: '直属上级', en_us: 'Direct manager' } },
  { userId: 'dept_leader', title: { zh_cn: '部门负责人', en_us: 'Department leader' } },
  { userId: 'hrbp', title: { zh_cn: 'HRBP（研发）', en_us: 'HRBP (Engineering)' } },
  { userId: 'process_admin', title: { zh_cn: '流程管理员', en_us: 'Process admin' } },
  { userId: 'hr_head', title: { zh_cn: '人力资源负责人', en_us: 'Head of People' } },
  { userId: 'cto', title: { zh_cn: '技术负责人', en_us: 'CTO' } },
  { userId: 'backend_dev', title: { zh_cn: '同组同事', en_us: 'Teammate' } },
  { userId: 'it_admin', title: { zh_cn: 'IT 负责人', en_us: 'Head of IT' } },
  { userId: 'outsider', title: { zh_cn: '销售（其他部门）', en_us: 'Sales (another department)' } },
];

interface DemoDepartment {
  key: string;
  name: I18nText;
  parent: string | null;
  leader: string;
}
interface DemoUser {
  key: string;
  name: I18nText;
  department: string;
  manager: string | null;
}

// A 3-level tree. `employee` sits in backend; `manager` is their direct manager; `dept_leader` leads
// backend and is not the manager; `hrbp` serves engineering (so backend too); `outsider` is in sales.
const DEPARTMENTS: DemoDepartment[] = [
  { key: 'company', name: { zh_cn: '示例科技', en_us: 'Demo Co.' }, parent: null, leader: 'ceo' },
  { key: 'engineering', name: { zh_cn: '研发部', en_us: 'Engineering' }, parent: 'company', leader: 'cto' },
  {
    key: 'backend',
    name: { zh_cn: '后端组', en_us: 'Backend' },
    parent: 'engineering',
    leader: 'dept_leader',
  },
  { key: 'frontend', name: { zh_cn: '前端组', en_us: 'Frontend' }, parent: 'engineering', leader: 'fe_lead' },
  { key: 'people', name: { zh_cn: '人力资源部', en_us: 'People' }, parent: 'company', leader: 'hr_head' },
  { key: 'it', name: { zh_cn: 'IT 部', en_us: 'IT' }, parent: 'company', leader: 'it_admin' },
  { key: 'sales', name: { zh_cn: '销售部', en_us: 'Sales' }, parent: 'company', leader: 'sales_head' },
  {
    key: 'sales_east',
    name: { zh_cn: '华东销售', en_us: 'Sales East' },
    parent: 'sales',
    leader: 'sales_east_lead',
  },
];

const USERS: DemoUser[] = [
  { key: 'ceo', name: { zh_cn: '陈静', en_us: 'Chen Jing' }, department: 'company', manager: null },
  { key: 'cto', name: { zh_cn: '刘洋', en_us: 'Liu Yang' }, department: 'engineering', manager: 'ceo' },
  { key: 'dept_leader', name: { zh_cn: '李伟', en_us: 'Li Wei' }, department: 'backend', manager: 'cto' },
  {
    key: 'manager',
    name: { zh_cn: '王芳', en_us: 'Wang Fang' },
    department: 'backend',
    manager: 'dept_leader',
  },
  { key: 'employee', name: { zh_cn: '张三', en_us: 'Zhang San' }, department: 'backend', manager: 'manager' },
  {
    key: 'backend_dev',
    name: { zh_cn: '赵敏', en_us: 'Zhao Min' },
    department: 'backend',
    manager: 'manager',
  },
  { key: 'qa_engineer', name: { zh_cn: '孙丽', en_us: 'Sun Li' }, department: 'backend', manager: 'manager' },
  { key: 'fe_lead', name: { zh_cn: '周杰', en_us: 'Zhou Jie' }, department: 'frontend', manager: 'cto' },
  { key: 'fe_dev', name: { zh_cn: '吴昊', en_us: 'Wu Hao' }, department: 'frontend', manager: 'fe_lead' },
  { key: 'hr_head', name: { zh_cn: '郑红', en_us: 'Zheng Hong' }, department: 'people', manager: 'ceo' },
  { key: 'hrbp', name: { zh_cn: '何佳', en_us: 'He Jia' }, department: 'people', manager: 'hr_head' },
  { key: 'hrbp_sales', name: { zh_cn: '冯雪', en_us: 'Feng Xue' }, department: 'people', manager: 'hr_head' },
  {
    key: 'process_admin',
    name: { zh_cn: '许静', en_us: 'Xu Jing' },
    department: 'people',
    manager: 'hr_head',
  },
  { key: 'recruiter', name: { zh_cn: '高远', en_us: 'Gao Yuan' }, department: 'people', manager: 'hr_head' },
  { key: 'it_admin', name: { zh_cn: '马强', en_us: 'Ma Qiang' }, department: 'it', manager: 'ceo' },
  { key: 'it_support', name: { zh_cn: '罗斌', en_us: 'Luo Bin' }, department: 'it', manager: 'it_admin' },
  { key: 'sales_head', name: { zh_cn: '林峰', en_us: 'Lin Feng' }, department: 'sales', manager: 'ceo' },
  {
    key: 'sales_east_lead',
    name: { zh_cn: '黄磊', en_us: 'Huang Lei' },
    department: 'sales_east',
    manager: 'sales_head',
  },
  {
    key: 'outsider',
    name: { zh_cn: '钱多', en_us: 'Qian Duo' },
    department: 'sales_east',
    manager: 'sales_east_lead',
  },
  {
    key: 'sales_rep',
    name: { zh_cn: '邓超', en_us: 'Deng Chao' },
    department: 'sales_east',
    manager: 'sales_east_lead',
  },
];

const must = <T>(result: Result<T>, what: string): T => {
  if (!result.ok) throw new Error(`demo data: ${what}: ${result.error.message}`);
  return result.value;
};

/**
 * Seeds the demo tenant once. Later starts reuse the manifest already on disk; if the tenant exists
 * but the manifest was lost, the demo app's secret is rotated (secrets are stored hashed) and the
 * manifest is written anew.
 */
export class DemoService {
  constructor(private readonly services: Services) {}

  async ensure(
    existing: DemoManifest | undefined,
    baseUrl: string,
    generatedAdminToken: string | undefined,
  ): Promise<DemoManifest> {
    const tenant = await this.services.tenants.get(DEMO_TENANT_KEY);
    let manifest: DemoManifest | undefined;
    if (tenant.ok && existing?.tenant_key === DEMO_TENANT_KEY) {
      const app = await this.services.apps.get(DEMO_TENANT_KEY, existing.app.app_id);
      // The mode as it is now: an admin may have switched it since the manifest was written.
      if (app.ok)
        manifest = {
          ...existing,
          base_url: baseUrl,
          app: { ...existing.app, event_delivery_mode: app.value.app.eventDeliveryMode },
        };
    }
    if (!tenant.ok) await this.seed();
    manifest ??= await this.manifest(baseUrl, generatedAdminToken ?? existing?.admin_token);
    manifest.flow_definitions = await this.ensureFlows(manifest.flow_definitions);
    await this.ensureCalendar();
    await this.ensureLeaveTypes();
    return manifest;
  }

  /** The demo's working calendar, while the tenant still has the built-in one (an admin's stays). */
  private async ensureCalendar(): Promise<void> {
    const { calendars } = this.services;
    if (must(await calendars.get(DEMO_TENANT_KEY), 'calendar').isDefault)
      must(await calendars.put(DEMO_TENANT_KEY, DEMO_CALENDAR), 'calendar');
  }

  /**
   * Creates each demo leave type that is missing, with its allowances for the demo people still in the
   * directory, so older demo data catches up. An existing type is left as an admin may have changed
   * it; a seeded one is never seeded twice, since a type with ledger entries cannot be deleted (and the
   * allowances carry request keys besides).
   */
  private async ensureLeaveTypes(): Promise<void> {
    const { leave, employees } = this.services;
    const existing = new Set(must(await leave.types(DEMO_TENANT_KEY), 'leave types').map((t) => t.key));
    let inDirectory: Set<string> | undefined;
    for (const { type, allowances } of DEMO_LEAVE_TYPES) {
      if (existing.has(type.key)) continue;
      must(await leave.createType(DEMO_TENANT_KEY, type), `leave type ${type.key}`);
      if (!inDirectory) {
        inDirectory = new Set<string>();
        for (const u of USERS) if ((await employees.get(DEMO_TENANT_KEY, u.key)).ok) inDirectory.add(u.key);
      }
      for (const allowance of allowances) {
        const present = (allowance.user_ids ?? USERS.map((u) => u.key)).filter((id) => inDirectory?.has(id));
        if (present.length === 0) continue;
        must(
          await leave.record(DEMO_TENANT_KEY, null, {
            ...allowance,
            leave_type: type.key,
            user_ids: present,
          }),
          `leave ${allowance.kind} ${allowance.request_key}`,
        );
      }
    }
  }

  /** Imports each demo flow not yet present (found by its English name), so older demo data catches up. */
  private async ensureFlows(known: Record<string, string>): Promise<Record<string, string>> {
    const byName = new Map<string, string>();
    let pageToken: string | undefined;
    do {
      const page = must(
        await this.services.definitions.list(DEMO_TENANT_KEY, { pageSize: 100, afterId: pageToken }),
        'definitions',
      );
      for (const view of page.items) if (view.published) byName.set(view.published.name.en_us, view.id);
      pageToken = page.nextAfterId;
    } while (pageToken !== undefined);
    const flows: Record<string, string> = {};
    for (const [key, doc] of Object.entries(DEMO_FLOWS)) {
      const existing = known[key] ?? byName.get(doc.name.en_us);
      flows[key] =
        existing ?? must(await this.services.definitions.import(DEMO_TENANT_KEY, doc), `flow ${key}`).id;
    }
    return flows;
  }

  private async seed(): Promise<void> {
    const { tenants, departments, employees, roles, apps } = this.services;
    must(await tenants.create({ tenant_key: DEMO_TENANT_KEY, name: 'Demo Co.' }), 'tenant');
    for (const d of DEPARTMENTS) {
      must(
        await departments.create(DEMO_TENANT_KEY, {
          department_id: d.key,
          name: d.name,
          parent_department_id: d.parent,
        }),
        `department ${d.key}`,
      );
    }
    // Managers before their reports, so every reference exists when it is made.
    for (const u of USERS) {
      must(
        await employees.create(DEMO_TENANT_KEY, {
          user_id: u.key,
          name: u.name,
          email: `${u.key}@demo.peopleflow.local`,
          department_id: u.department,
          manager_user_id: u.manager,
        }),
        `employee ${u.key}`,
      );
    }
    for (const d of DEPARTMENTS) {
      must(
        await departments.update(DEMO_TENANT_KEY, d.key, { leader_user_id: d.leader }),
        `leader of ${d.key}`,
      );
    }
    must(
      await roles.create(DEMO_TENANT_KEY, {
        role_key: 'hrbp',
        name: { zh_cn: 'HRBP', en_us: 'HR business partner' },
        members: [
          { user_id: 'hrbp', department_ids: ['engineering', 'people', 'it'] },
          { user_id: 'hrbp_sales', department_ids: ['sales'] },
        ],
      }),
      'role hrbp',
    );
    must(
      await roles.create(DEMO_TENANT_KEY, {
        role_key: 'it_admin',
        name: { zh_cn: 'IT 管理员', en_us: 'IT administrator' },
        members: [{ user_id: 'it_admin' }],
      }),
      'role it_admin',
    );
    // The Head of People administers the whole tenant in the console.
    must(await this.services.consoleAccess.grant(DEMO_TENANT_KEY, 'hr_head'), 'tenant admin hr_head');
    must(
      await apps.create(DEMO_TENANT_KEY, {
        name: 'PeopleFlow demo app',
        scopes: [...SCOPES],
        event: { event_types: [...EVENT_TYPES], delivery_mode: 'long_connection' },
      }),
      'demo app',
    );
  }

  private async manifest(baseUrl: string, adminToken: string | undefined): Promise<DemoManifest> {
    const { apps, departments, ids } = this.services;
    const appList = must(await apps.list(DEMO_TENANT_KEY, { pageSize: 1 }), 'demo app');
    const firstApp = appList.items[0];
    if (!firstApp) throw new Error('demo data: the demo app is missing');
    // The secret is stored hashed: the only way to put one in the manifest is to make a new one.
    const rotated = must(await apps.rotateSecret(DEMO_TENANT_KEY, firstApp.app.appId), 'demo app secret');
    const manifest: DemoManifest = {
      base_url: baseUrl,
      ...(adminToken !== undefined ? { admin_token: adminToken } : {}),
      tenant_key: DEMO_TENANT_KEY,
      app: {
        app_id: rotated.app.appId,
        app_secret: rotated.appSecret ?? '',
        event_delivery_mode: rotated.app.eventDeliveryMode,
      },
      users: {},
      departments: {},
      flow_definitions: {},
    };
    for (const u of USERS) {
      const all = must(
        await ids.employeeIds(DEMO_TENANT_KEY, 'user_id', u.key, rotated.app.appId),
        `ids of ${u.key}`,
      );
      manifest.users[u.key] = {
        user_id: all.user_id,
        open_id: all.open_id ?? '',
        union_id: all.union_id,
        people_corehr_id: all.people_corehr_id,
        name: u.name.en_us,
      };
    }
    for (const d of DEPARTMENTS) {
      const view = must(await departments.get(DEMO_TENANT_KEY, d.key), `department ${d.key}`);
      manifest.departments[d.key] = {
        department_id: view.department.departmentId,
        open_department_id: view.department.openDepartmentId,
        people_corehr_department_id: view.department.id,
      };
    }
    return manifest;
  }
}
