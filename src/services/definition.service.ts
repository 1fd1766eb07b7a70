import { validateDefinition, type FlowDefinition } from '../engine/definition.js';
import type { DirectorySnapshot } from '../engine/approver-resolution.js';
import { previewPath, type PreviewStep } from '../engine/preview.js';
import { checkCondition } from '../engine/conditions.js';
import type { ProcessState } from '../engine/process.js';
import { checkRuleExpression, prepareStartValues, type RuleKind } from '../engine/form-rules.js';
import type { DefinitionRecord, VersionEntry } from '../store/definition.repository.js';
import type { Page, PageRequest } from '../store/executor.js';
import { inTransaction, repositories, type Repositories, type ServiceContext } from './context.js';
import {
  fromDocument,
  toDocument,
  type DefinitionDocument,
  type PeopleIndex,
} from './definition-document.js';
import type { DirectorySnapshots } from './directory-snapshot.js';
import { PublishedDefinitions } from './published-definitions.js';
import { plainToEngineValues } from './form-values.js';
import { fail, invalidFields, notFound, ok, type FieldViolation, type Result } from './result.js';
import { loadTenant } from './tenant.service.js';
import { literalTargetProblem, type WebhookTargetCheck } from './webhook-target.js';

export interface DefinitionView {
  id: string;
  enabled: boolean;
  latestVersion: number;
  draft: DefinitionDocument | null;
  published: DefinitionDocument | null;
  createdAt: number;
  updatedAt: number;
}

export interface PreviewInput {
  initiator_user_id: string;
  form_values?: Record<string, unknown> | undefined;
  selected_approvers?: Record<string, string[]> | undefined;
}

const publishedNeverDeleted = (id: string): Result<never> =>
  fail(
    'in_use',
    `flow definition ${id} has been published and cannot be deleted: processes keep the version they ` +
      `started on. Disable it instead (POST …/flow_definitions/${id}/disable); only a draft that was ` +
      'never published can be deleted',
  );

export function peopleIndex(directory: DirectorySnapshot): PeopleIndex {
  const byUserId = new Map([...directory.employees.values()].map((e) => [e.userId, e.id]));
  return {
    idOf: (userId) => byUserId.get(userId),
    userIdOf: (id) => directory.employees.get(id)?.userId ?? id,
  };
}

/** Flow definitions: drafts, validation, versioned publishing, enable/disable, export/import, preview. */
export class DefinitionService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly snapshots: DirectorySnapshots,
    /** Where an HTTP action may POST: the webhooks' SSRF guard. */
    private readonly targets: WebhookTargetCheck,
    readonly published: PublishedDefinitions = new PublishedDefinitions(),
  ) {}

  /**
   * A new definition holding `doc` as its draft. The admin API refuses unknown people; the console
   * (`by`: the person creating it) keeps the draft and reports them as problems instead.
   */
  create(
    tenantKey: string,
    doc: DefinitionDocument,
    options: { by?: string; refuseUnknownPeople?: boolean } = {},
  ): Promise<Result<DefinitionView>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      if (options.refuseUnknownPeople ?? true) {
        const checked = await this.checkReferences(repos, tenant.value.id, doc);
        if (!checked.ok) return checked;
      }
      const now = this.ctx.clock.now();
      const record: DefinitionRecord = {
        id: this.ctx.ids.next(),
        tenantId: tenant.value.id,
        enabled: true,
        latestVersion: 0,
        draft: doc,
        createdAt: now,
        updatedAt: now,
        draftRevision: 1,
        draftUpdatedBy: options.by ?? null,
        draftUpdatedAt: now,
      };
      await repos.definitions.insert(record);
      return ok(await this.view(repos, record));
    });
  }

  updateDraft(tenantKey: string, id: string, doc: DefinitionDocument): Promise<Result<DefinitionView>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const found = await this.load(repos, tenantKey, id);
      if (!found.ok) return found;
      const checked = await this.checkReferences(repos, found.value.tenantId, doc);
      if (!checked.ok) return checked;
      const now = this.ctx.clock.now();
      const record = {
        ...found.value,
        draft: doc,
        updatedAt: now,
        draftRevision: found.value.draftRevision + 1,
        draftUpdatedBy: null,
        draftUpdatedAt: now,
      };
      await repos.definitions.update(record);
      return ok(await this.view(repos, record));
    });
  }

  /**
   * The console's save: stores `doc` as the draft when the stored revision is still
   * `expectedRevision` (then one higher), else refuses with `edit_conflict` naming who saved since.
   * Problems the document has (unknown people, what publish would refuse) do not stop the save.
   */
  saveDraft(
    tenantKey: string,
    id: string,
    doc: DefinitionDocument,
    options: { expectedRevision: number; by: string },
  ): Promise<Result<DefinitionRecord>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const found = await this.load(repos, tenantKey, id);
      if (!found.ok) return found;
      if (found.value.draftRevision !== options.expectedRevision)
        return this.conflict(repos, found.value, options.expectedRevision);
      const now = this.ctx.clock.now();
      const record: DefinitionRecord = {
        ...found.value,
        draft: doc,
        updatedAt: now,
        draftRevision: found.value.draftRevision + 1,
        draftUpdatedBy: options.by,
        draftUpdatedAt: now,
      };
      if (!(await repos.definitions.updateIfRevision(record, options.expectedRevision))) {
        const now = await repos.definitions.find(found.value.tenantId, id);
        return now ? this.conflict(repos, now, options.expectedRevision) : notFound(`flow definition ${id}`);
      }
      return ok(record);
    });
  }

  /** The raw record (draft revision and its author included), for the console. */
  async record(tenantKey: string, id: string): Promise<Result<DefinitionRecord>> {
    return this.load(repositories(this.ctx.db), tenantKey, id);
  }

  /** The refusal of a save or publish made against an older draft revision: who saved since, and when. */
  private async conflict(
    repos: Repositories,
    record: DefinitionRecord,
    expected: number,
  ): Promise<Result<never>> {
    let who = 'someone else';
    if (record.draftUpdatedBy !== null) {
      const employee = (await this.snapshots.load(repos, record.tenantId)).employees.get(
        record.draftUpdatedBy,
      );
      if (employee) who = `${employee.name.en_us} (${employee.userId})`;
    } else if (record.draftRevision > 0) who = 'the admin API or a publish';
    const when = record.draftUpdatedAt !== null ? ` at ${new Date(record.draftUpdatedAt).toISOString()}` : '';
    return fail(
      'edit_conflict',
      `the draft changed since revision ${expected}: ${who} saved revision ${record.draftRevision}${when}. ` +
        'Nothing was saved; reload the draft (or keep a copy of yours) and edit again',
      [
        {
          field: 'revision',
          description: `is ${expected}; the draft is at revision ${record.draftRevision}, saved by ${who}`,
        },
      ],
    );
  }

  /** The problems publishing the draft would report (empty when it would publish). */
  async validate(tenantKey: string, id: string): Promise<Result<FieldViolation[]>> {
    const repos = repositories(this.ctx.db);
    const found = await this.load(repos, tenantKey, id);
    if (!found.ok) return found;
    if (found.value.draft === null) return ok([]);
    const converted = await this.convert(
      repos,
      found.value.tenantId,
      found.value.draft as DefinitionDocument,
    );
    return ok([...converted.violations, ...validateDefinition({ ...converted.definition, id, version: 0 })]);
  }

  /**
   * Publishes the draft as the next version; processes already running keep the version they started
   * on. The console names the draft revision it publishes (`expectedRevision`, else `edit_conflict`)
   * and who publishes (`by`).
   */
  publish(
    tenantKey: string,
    id: string,
    options: { expectedRevision?: number; by?: string } = {},
  ): Promise<Result<DefinitionView>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const found = await this.load(repos, tenantKey, id);
      if (!found.ok) return found;
      const record = found.value;
      if (options.expectedRevision !== undefined && record.draftRevision !== options.expectedRevision)
        return this.conflict(repos, record, options.expectedRevision);
      if (record.draft === null)
        return fail('invalid_field', 'nothing to publish: the definition has no draft', [
          { field: 'draft', description: 'is empty' },
        ]);
      const converted = await this.convert(repos, record.tenantId, record.draft as DefinitionDocument);
      const definition: FlowDefinition = { ...converted.definition, id, version: record.latestVersion + 1 };
      const problems = [...converted.violations, ...validateDefinition(definition)];
      if (problems.length > 0) return invalidFields(problems);
      const now = this.ctx.clock.now();
      await repos.definitions.insertVersion(definition, now, options.by ?? null);
      // The revision goes up too: an editor still holding the published draft must reload.
      const next: DefinitionRecord = {
        ...record,
        latestVersion: definition.version,
        draft: null,
        updatedAt: now,
        draftRevision: record.draftRevision + 1,
        draftUpdatedBy: options.by ?? null,
        draftUpdatedAt: now,
      };
      if (!(await repos.definitions.updateIfRevision(next, record.draftRevision)))
        return fail('edit_conflict', 'the draft changed while publishing; nothing was published');
      return ok(await this.view(repos, next));
    });
  }

  /** Creates and publishes in one step: flows as code. */
  async import(tenantKey: string, doc: DefinitionDocument): Promise<Result<DefinitionView>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      const converted = await this.convert(repos, tenant.value.id, doc);
      const now = this.ctx.clock.now();
      const definition: FlowDefinition = { ...converted.definition, id: this.ctx.ids.next(), version: 1 };
      const problems = [...converted.violations, ...validateDefinition(definition)];
      if (problems.length > 0) return invalidFields(problems);
      const record: DefinitionRecord = {
        id: definition.id,
        tenantId: tenant.value.id,
        enabled: true,
        latestVersion: 1,
        draft: null,
        createdAt: now,
        updatedAt: now,
        draftRevision: 0,
        draftUpdatedBy: null,
        draftUpdatedAt: null,
      };
      await repos.definitions.insert(record);
      await repos.definitions.insertVersion(definition, now);
      return ok(await this.view(repos, record));
    });
  }

  async get(tenantKey: string, id: string): Promise<Result<DefinitionView>> {
    const repos = repositories(this.ctx.db);
    const found = await this.load(repos, tenantKey, id);
    return found.ok ? ok(await this.view(repos, found.value)) : found;
  }

  async list(tenantKey: string, page: PageRequest): Promise<Result<Page<DefinitionView>>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const result = await repos.definitions.list(tenant.value.id, page);
    const items: DefinitionView[] = [];
    for (const record of result.items) items.push(await this.view(repos, record));
    return ok({ ...result, items });
  }

  async versions(tenantKey: string, id: string): Promise<Result<VersionEntry[]>> {
    const repos = repositories(this.ctx.db);
    const found = await this.load(repos, tenantKey, id);
    return found.ok ? ok(await repos.definitions.versions(id)) : found;
  }

  /** One published version as a document; `latest` for export. */
  async document(
    tenantKey: string,
    id: string,
    version: number | 'latest',
  ): Promise<Result<DefinitionDocument>> {
    const repos = repositories(this.ctx.db);
    const found = await this.load(repos, tenantKey, id);
    if (!found.ok) return found;
    const wanted = version === 'latest' ? found.value.latestVersion : version;
    const published = wanted > 0 ? await repos.definitions.version(id, wanted) : undefined;
    if (!published) return notFound(`version ${String(version)} of flow definition ${id}`);
    const directory = await this.snapshots.load(repos, found.value.tenantId);
    return ok(toDocument(published.definition, peopleIndex(directory)));
  }

  setEnabled(tenantKey: string, id: string, enabled: boolean): Promise<Result<DefinitionView>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const found = await this.load(repos, tenantKey, id);
      if (!found.ok) return found;
      const record = { ...found.value, enabled, updatedAt: this.ctx.clock.now() };
      await repos.definitions.update(record);
      return ok(await this.view(repos, record));
    });
  }

  /**
   * Deletes a draft definition: one never published. A published definition is never deleted: its
   * versions belong to the processes that started on them (and to the audit trail); it is disabled.
   */
  delete(tenantKey: string, id: string): Promise<Result<null>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const found = await this.load(repos, tenantKey, id);
      if (!found.ok) return found;
      const record = found.value;
      if (record.latestVersion > 0 || !(await repos.definitions.deleteUnpublished(record.tenantId, id)))
        return publishedNeverDeleted(id);
      return ok(null);
    });
  }

  /** Published versions are never deleted (see delete); 404 for a version that does not exist. */
  async deleteVersion(tenantKey: string, id: string, version: number): Promise<Result<null>> {
    const repos = repositories(this.ctx.db);
    const found = await this.load(repos, tenantKey, id);
    if (!found.ok) return found;
    if (!(await repos.definitions.version(id, version)))
      return notFound(`version ${version} of flow definition ${id}`);
    return publishedNeverDeleted(id);
  }

  /** The path a request would take, from the latest published version, without starting anything. */
  async preview(
    tenantKey: string,
    id: string,
    input: PreviewInput,
  ): Promise<Result<{ steps: PreviewStep[]; directory: DirectorySnapshot }>> {
    const repos = repositories(this.ctx.db);
    const found = await this.load(repos, tenantKey, id);
    if (!found.ok) return found;
    const published = await this.startable(repos, found.value.tenantId, id);
    if (!published.ok) return published;
    const definition = published.value;
    const directory = await this.snapshots.load(repos, found.value.tenantId);
    const people = peopleIndex(directory);
    const initiatorId = people.idOf(input.initiator_user_id);
    if (initiatorId === undefined)
      return fail('invalid_field', 'unknown initiator', [
        { field: 'initiator_user_id', description: 'unknown user' },
      ]);
    const values = plainToEngineValues(definition.form, input.form_values ?? {}, directory, 'form_values.');
    const refs = {
      employeeExists: (x: string) => directory.employees.has(x),
      departmentExists: (x: string) => directory.departments.has(x),
    };
    const started = prepareStartValues(definition.form, definition.formRules, values.values, refs);
    const problems = [
      ...values.violations,
      ...started.violations.map((v) => ({
        ...v,
        field: `form_values.${v.field}`,
      })),
    ];
    if (problems.length > 0) return fail('form_invalid', 'form values invalid', problems);
    const selected: Record<string, string[]> = {};
    for (const [node, userIds] of Object.entries(input.selected_approvers ?? {}))
      selected[node] = userIds.map((u) => people.idOf(u) ?? u);
    const state = {
      initiatorId,
      formValues: started.values,
      selectedApprovers: selected,
    } as unknown as ProcessState;
    return ok({
      steps: previewPath(definition, state, {
        now: this.ctx.clock.now(),
        newId: () => this.ctx.ids.next(),
        directory,
      }),
      directory,
    });
  }

  /**
   * The latest published version of every definition of the tenant (enabled or not), at most
   * `limit`: what the people API lists to start from and checks process-admin rights against.
   */
  async latestPublished(
    tenantId: string,
    limit = 1000,
  ): Promise<{ definition: FlowDefinition; enabled: boolean }[]> {
    const repos = repositories(this.ctx.db);
    const out: { definition: FlowDefinition; enabled: boolean }[] = [];
    let afterId: string | undefined;
    while (out.length < limit) {
      const page = await repos.definitions.list(tenantId, { pageSize: 100, afterId });
      for (const record of page.items) {
        if (record.latestVersion === 0) continue;
        const definition = await this.published.get(repos, record.id, record.latestVersion);
        if (definition) out.push({ definition, enabled: record.enabled });
      }
      if (page.nextAfterId === undefined) break;
      afterId = page.nextAfterId;
    }
    return out.slice(0, limit);
  }

  /**
   * The flows a person administers: named in the latest published version's process admins, or (for a
   * flow being drafted) in the draft's. At most `limit` definitions are looked at.
   */
  async administeredBy(
    tenantId: string,
    person: { id: string; userId: string },
    limit = 1000,
  ): Promise<string[]> {
    const repos = repositories(this.ctx.db);
    const out = new Set<string>();
    let afterId: string | undefined;
    let seen = 0;
    while (seen < limit) {
      const page = await repos.definitions.list(tenantId, { pageSize: 100, afterId });
      for (const record of page.items) {
        seen++;
        const draftAdmins = (record.draft as { process_admins?: unknown } | null)?.process_admins;
        if (Array.isArray(draftAdmins) && draftAdmins.includes(person.userId)) out.add(record.id);
        if (record.latestVersion === 0) continue;
        const definition = await this.published.get(repos, record.id, record.latestVersion);
        if (definition?.processAdminIds.includes(person.id)) out.add(record.id);
      }
      if (page.nextAfterId === undefined) break;
      afterId = page.nextAfterId;
    }
    return [...out].sort();
  }

  /** Whether the person administers the processes of at least one flow. */
  async isProcessAdminAnywhere(tenantId: string, employeeId: string): Promise<boolean> {
    const all = await this.latestPublished(tenantId);
    return all.some(({ definition }) => definition.processAdminIds.includes(employeeId));
  }

  /** `startable` for callers outside a transaction (the Open API needs the form before starting). */
  startableFor(tenantId: string, id: string): Promise<Result<FlowDefinition>> {
    return this.startable(repositories(this.ctx.db), tenantId, id);
  }

  /**
   * Checks one expression against a form as the designers have it (unsaved): a branch condition or a
   * form rule's validation / visibility (`kind`, must be true/false), or a calculation of `field` (must
   * give a value of that field's type). Answers the result type, or the problem in the author's terms.
   */
  checkExpression(
    form: DefinitionDocument['form'],
    expression: string,
    kind: 'condition' | RuleKind,
    field?: string,
  ): { type: string } | { problem: string } {
    const acceptEveryone: PeopleIndex = { idOf: (userId) => userId, userIdOf: (id) => id };
    const { definition } = fromDocument(
      { name: { zh_cn: '-', en_us: '-' }, biz_type: 'custom:check', process_admins: [], form, nodes: [] },
      acceptEveryone,
    );
    if (kind !== 'condition') return checkRuleExpression(definition.form, expression, kind, field);
    const problem = checkCondition(expression, definition.form);
    return problem === undefined ? { type: 'bool' } : { problem };
  }

  /** The latest published version, if the definition is enabled; for starting processes. */
  async startable(repos: Repositories, tenantId: string, id: string): Promise<Result<FlowDefinition>> {
    const record = await repos.definitions.startState(tenantId, id);
    if (!record) return fail('definition_not_found', `flow definition ${id} not found`);
    if (!record.enabled) return fail('definition_not_startable', `flow definition ${id} is disabled`);
    const published =
      record.latestVersion > 0 ? await this.published.get(repos, id, record.latestVersion) : undefined;
    if (!published) return fail('definition_not_startable', `flow definition ${id} has no published version`);
    return ok(published);
  }

  private async convert(repos: Repositories, tenantId: string, doc: DefinitionDocument) {
    const directory = await this.snapshots.load(repos, tenantId);
    const converted = fromDocument(doc, peopleIndex(directory));
    if (doc.http_action)
      converted.violations.push(...(await this.httpActionProblems(repos, tenantId, doc.http_action)));
    return converted;
  }

  /**
   * An HTTP action must go where webhooks may (the SSRF guard: public addresses unless the operator
   * allows the host; a name is checked again when posting) and be signed with the encrypt key of one
   * of this tenant's apps. No DNS lookup here: this runs inside transactions.
   */
  async httpActionProblems(
    repos: Repositories,
    tenantId: string,
    action: NonNullable<DefinitionDocument['http_action']>,
  ): Promise<FieldViolation[]> {
    const problems: FieldViolation[] = [];
    const urlProblem = action.url === '' ? 'is required' : literalTargetProblem(action.url, this.targets);
    if (urlProblem) problems.push({ field: 'http_action.url', description: urlProblem });
    const app = action.app_id === '' ? undefined : await repos.apps.findByAppId(action.app_id);
    if (action.app_id === '') problems.push({ field: 'http_action.app_id', description: 'is required' });
    else if (!app || app.tenantId !== tenantId)
      problems.push({ field: 'http_action.app_id', description: 'no app with this app_id in this tenant' });
    else if (app.eventEncryptKeySealed === null)
      problems.push({
        field: 'http_action.app_id',
        description: 'the app has no encrypt key to sign with; set one in its event settings',
      });
    return problems;
  }

  private async checkReferences(
    repos: Repositories,
    tenantId: string,
    doc: DefinitionDocument,
  ): Promise<Result<null>> {
    const { violations } = await this.convert(repos, tenantId, doc);
    return violations.length > 0 ? invalidFields(violations) : ok(null);
  }

  private async load(repos: Repositories, tenantKey: string, id: string): Promise<Result<DefinitionRecord>> {
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const record = await repos.definitions.find(tenant.value.id, id);
    return record ? ok(record) : notFound(`flow definition ${id}`);
  }

  private async view(repos: Repositories, record: DefinitionRecord): Promise<DefinitionView> {
    const published =
      record.latestVersion > 0 ? await repos.definitions.version(record.id, record.latestVersion) : undefined;
    const directory = await this.snapshots.load(repos, record.tenantId);
    return {
      id: record.id,
      enabled: record.enabled,
      latestVersion: record.latestVersion,
      draft: record.draft as DefinitionDocument | null,
      published: published ? toDocument(published.definition, peopleIndex(directory)) : null,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    };
  }
}
