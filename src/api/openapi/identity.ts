import type { DirectorySnapshot } from '../../engine/approver-resolution.js';
import type { Department, Employee, I18nText } from '../../engine/directory.js';
import type { Principal } from '../../services/auth.service.js';
import type { DepartmentIdType, UserIdType } from '../../services/id-mapping.service.js';
import type { Services } from '../../services/index.js';
import type { StoredFileMeta } from '../../services/ports.js';

interface PeopleIndexes {
  byUserId: Map<string, Employee>;
  byUnionId: Map<string, Employee>;
}

/** Built once per directory snapshot (snapshots are immutable), not once per request. */
const indexes = new WeakMap<DirectorySnapshot, PeopleIndexes>();
function indexesOf(directory: DirectorySnapshot): PeopleIndexes {
  let found = indexes.get(directory);
  if (!found) {
    const employees = [...directory.employees.values()];
    found = {
      byUserId: new Map(employees.map((e) => [e.userId, e])),
      byUnionId: new Map(employees.map((e) => [e.unionId, e])),
    };
    indexes.set(directory, found);
  }
  return found;
}

/**
 * People and departments in the id types a request asked for (docs/open-api.md), both ways. One per
 * request: it holds the tenant's directory snapshot and the calling app's open_ids it has looked up.
 */
export class Identity {
  private readonly byUserId: Map<string, Employee>;
  private readonly byUnionId: Map<string, Employee>;
  private openIds = new Map<string, string>();
  private files = new Map<string, StoredFileMeta>();

  private constructor(
    private readonly services: Services,
    private readonly principal: Principal,
    readonly directory: DirectorySnapshot,
    readonly userIdType: UserIdType,
    readonly departmentIdType: DepartmentIdType,
  ) {
    ({ byUserId: this.byUserId, byUnionId: this.byUnionId } = indexesOf(directory));
  }

  static async of(
    services: Services,
    principal: Principal,
    userIdType?: UserIdType,
    departmentIdType?: DepartmentIdType,
  ): Promise<Identity> {
    const directory = await services.processes.directory(principal.tenant.id);
    return Identity.over(services, principal, directory, userIdType, departmentIdType);
  }

  /** Over a directory snapshot the request has already loaded. */
  static over(
    services: Services,
    principal: Principal,
    directory: DirectorySnapshot,
    userIdType: UserIdType = 'open_id',
    departmentIdType: DepartmentIdType = 'open_department_id',
  ): Identity {
    return new Identity(services, principal, directory, userIdType, departmentIdType);
  }

  /** The person an id of the request's type names, in this tenant (and this app, for open_id). */
  async person(id: string): Promise<Employee | undefined> {
    switch (this.userIdType) {
      case 'user_id':
        return this.byUserId.get(id);
      case 'union_id':
        return this.byUnionId.get(id);
      case 'people_corehr_id':
        return this.directory.employees.get(id);
      case 'open_id': {
        const found = await this.services.ids.resolveUser(
          this.principal.tenant.id,
          'open_id',
          id,
          this.principal.app,
        );
        return found && this.directory.employees.get(found.id);
      }
    }
  }

  department(id: string): Department | undefined {
    for (const d of this.directory.departments.values()) {
      const key =
        this.departmentIdType === 'department_id'
          ? d.departmentId
          : this.departmentIdType === 'open_department_id'
            ? d.openDepartmentId
            : d.id;
      if (key === id) return d;
    }
    return undefined;
  }

  /** Loads the open_ids of these people at once, before rendering many of them. */
  async prepare(employeeIds: Iterable<string>): Promise<void> {
    if (this.userIdType !== 'open_id') return;
    const missing = [...new Set(employeeIds)].filter((id) => !this.openIds.has(id));
    if (missing.length === 0) return;
    for (const [id, openId] of await this.services.ids.openIdsOf(this.principal.app, missing))
      this.openIds.set(id, openId);
  }

  /** Loads the stored files among these ids at once, so file values carry their metadata. */
  async prepareFiles(fileIds: Iterable<string>): Promise<void> {
    const missing = [...new Set(fileIds)].filter((id) => !this.files.has(id));
    if (missing.length === 0) return;
    for (const [id, meta] of await this.services.files.describe(this.principal.tenant.id, missing))
      this.files.set(id, meta);
  }

  /** A stored file of the tenant (after prepareFiles), or undefined for ids this server never stored. */
  file(fileId: string): StoredFileMeta | undefined {
    return this.files.get(fileId);
  }

  /** A person's id in the request's type; call prepare() first for open_id. */
  userId(employeeId: string): string {
    const e = this.directory.employees.get(employeeId);
    switch (this.userIdType) {
      case 'user_id':
        return e?.userId ?? '';
      case 'union_id':
        return e?.unionId ?? '';
      case 'people_corehr_id':
        return employeeId;
      case 'open_id':
        return this.openIds.get(employeeId) ?? '';
    }
  }

  name(employeeId: string): I18nText {
    return this.directory.employees.get(employeeId)?.name ?? { zh_cn: '', en_us: '' };
  }

  departmentId(departmentId: string): string {
    const d = this.directory.departments.get(departmentId);
    if (!d) return '';
    return this.departmentIdType === 'department_id'
      ? d.departmentId
      : this.departmentIdType === 'open_department_id'
        ? d.openDepartmentId
        : d.id;
  }
}
