import type { DirectorySnapshot } from '../engine/approver-resolution.js';
import { validateDefinition } from '../engine/definition.js';
import type { DefinitionRecord, VersionEntry } from '../store/definition.repository.js';
import { repositories, type Repositories, type ServiceContext } from './context.js';
import { fromDocument, toDocument, type DefinitionDocument } from './definition-document.js';
import { peopleIndex, type DefinitionService } from './definition.service.js';
import type { DirectorySnapshots } from './directory-snapshot.js';
import { pinProblems, type PinnedProblem } from './flow-problems.js';
import { bizTypeNames, FLOW_TEMPLATES, templateFor, type FlowTemplate } from './flow-templates.js';
import { fail, invalidField, notFound, ok, type Failure, type Result } from './result.js';
import { loadTenant } from './tenant.service.js';

/** The signed-in person acting in the console. */
export interface ConsolePerson {
  id: string;
  userId: string;
}

/** One flow as the console shows it. */
export interface ConsoleFlowView {
  record: DefinitionRecord;
  /** The draft, when there is one. */
  draft: DefinitionDocument | null;
  /** The latest published version as a document, when there is one. */
  published: DefinitionDocument | null;
  /** In-progress processes (any version). */
  running: number;
  /** For rendering people (process admins, who saved, who published). */
  directory: DirectorySnapshot;
}

export interface DraftSaved {
  record: DefinitionRecord;
  problems: PinnedProblem[];
  directory: DirectorySnapshot;
}

/** A refusal with what the console shows beside it: publish's pinned problems. */
export type ConsoleFlowFailure = Failure & { problems?: PinnedProblem[] };
export type ConsoleFlowResult<T> = { ok: true; value: T } | { ok: false; error: ConsoleFlowFailure };

/** How a new flow starts: empty, a copy of another flow, or a business type's template. */
export type NewFlowSource =
  | { kind: 'blank'; name: { zh_cn: string; en_us: string }; bizType: string }
  | { kind: 'clone'; flowId: string; name?: { zh_cn: string; en_us: string } | undefined }
  | { kind: 'template'; bizType: string; name?: { zh_cn: string; en_us: string } | undefined };

/** The most definitions one list request walks through looking for matches (lists stay bounded). */
const SCAN_LIMIT = 2000;

/**
 * The admin console's flow definitions: lists limited to what a person administers, drafts saved
 * against a revision (a stale save is refused, nothing lost), problems pinned on their node or field,
 * templates. Lifecycle (publish, enable, delete, versions) is DefinitionService's.
 */
export class ConsoleFlowService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly definitions: DefinitionService,
    private readonly snapshots: DirectorySnapshots,
  ) {}

  templates(): readonly FlowTemplate[] {
    return FLOW_TEMPLATES;
  }

  /**
   * Flows in `scope` whose name (either language), business type or id contains `query`, by id; one
   * page after `after`.
   */
  async list(
    tenantKey: string,
    scope: 'all' | string[],
    query: string | undefined,
    pageSize: number,
    after: string | undefined,
  ): Promise<Result<{ items: ConsoleFlowView[]; next?: string }>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const needle = query?.trim().toLowerCase() ?? '';
    const matched: DefinitionRecord[] = [];
    let afterId = after;
    let scanned = 0;
    let exhausted = false;
    while (matched.length <= pageSize && scanned < SCAN_LIMIT) {
      const page = await repos.definitions.list(tenant.value.id, { pageSize: 100, afterId });
      for (const record of page.items) {
        scanned++;
        if (scope !== 'all' && !scope.includes(record.id)) continue;
        if (needle !== '' && !(await this.matches(repos, record, needle))) continue;
        matched.push(record);
        if (matched.length > pageSize) break;
      }
      if (page.nextAfterId === undefined) {
        exhausted = true;
        break;
      }
      afterId = page.nextAfterId;
    }
    const items = matched.slice(0, pageSize);
    const views = await this.views(repos, tenant.value.id, items);
    // More may follow: matches beyond this page, or the scan stopped at its limit before the end.
    const more = matched.length > pageSize || (!exhausted && scanned >= SCAN_LIMIT);
    const next = more ? (matched.length > pageSize ? items.at(-1)?.id : afterId) : undefined;
    return ok({ items: views, ...(next !== undefined ? { next } : {}) });
  }

  async detail(tenantKey: string, id: string): Promise<Result<ConsoleFlowView>> {
    const found = await this.definitions.record(tenantKey, id);
    if (!found.ok) return found;
    const repos = repositories(this.ctx.db);
    const [view] = await this.views(repos, found.value.tenantId, [found.value]);
    return view ? ok(view) : notFound(`flow definition ${id}`);
  }

  /** A new flow holding its document as the draft (tenant admins; the route checks). */
  async create(
    tenantKey: string,
    person: ConsolePerson,
    source: NewFlowSource,
  ): Promise<Result<{ view: ConsoleFlowView; problems: PinnedProblem[] }>> {
    let document: DefinitionDocument;
    switch (source.kind) {
      case 'blank':
        document = {
          name: source.name,
          biz_type: source.bizType,
          process_admins: [],
          settings: { skip_duplicate_approvers: false, revoke_needs_approval: false },
          form: [],
          nodes: [
            { type: 'start', id: 'start', name: { zh_cn: '发起', en_us: 'Start' }, next: 'end' },
            { type: 'end', id: 'end', name: { zh_cn: '结束', en_us: 'End' } },
          ],
        };
        break;
      case 'clone': {
        const from = await this.detail(tenantKey, source.flowId);
        if (!from.ok)
          return from.error.kind === 'not_found'
            ? invalidField('clone_from', `flow ${source.flowId} not found`)
            : from;
        const original = from.value.draft ?? from.value.published;
        if (!original) return invalidField('clone_from', 'that flow has neither a draft nor a version');
        document = {
          ...structuredClone(original),
          name: source.name ?? {
            zh_cn: `${original.name.zh_cn}（副本）`.slice(0, 200),
            en_us: `${original.name.en_us} (copy)`.slice(0, 200),
          },
        };
        break;
      }
      case 'template': {
        const template = templateFor(source.bizType);
        if (!template) return invalidField('template', `no template for business type "${source.bizType}"`);
        document = { ...structuredClone(template.document), ...(source.name ? { name: source.name } : {}) };
        break;
      }
    }
    return this.createWith(tenantKey, person, document);
  }

  /** Import: a new flow with the document as its draft; problems are reported, not refused. */
  import(
    tenantKey: string,
    person: ConsolePerson,
    document: DefinitionDocument,
  ): Promise<Result<{ view: ConsoleFlowView; problems: PinnedProblem[] }>> {
    return this.createWith(tenantKey, person, document);
  }

  private async createWith(
    tenantKey: string,
    person: ConsolePerson,
    document: DefinitionDocument,
  ): Promise<Result<{ view: ConsoleFlowView; problems: PinnedProblem[] }>> {
    // A flow needs a process admin to publish; the person creating it is the natural first one.
    const doc =
      document.process_admins.length > 0 ? document : { ...document, process_admins: [person.userId] };
    const created = await this.definitions.create(tenantKey, doc, {
      by: person.id,
      refuseUnknownPeople: false,
    });
    if (!created.ok) return created;
    const view = await this.detail(tenantKey, created.value.id);
    if (!view.ok) return view;
    return ok({
      view: view.value,
      problems: await this.problems(view.value.record.tenantId, created.value.id, doc, view.value.directory),
    });
  }

  /** Saves the draft against `revision`: 409 `edit_conflict` when someone saved since. */
  async saveDraft(
    tenantKey: string,
    person: ConsolePerson,
    id: string,
    document: DefinitionDocument,
    revision: number,
  ): Promise<Result<DraftSaved>> {
    const saved = await this.definitions.saveDraft(tenantKey, id, document, {
      expectedRevision: revision,
      by: person.id,
    });
    if (!saved.ok) return saved;
    const repos = repositories(this.ctx.db);
    const directory = await this.snapshots.load(repos, saved.value.tenantId);
    return ok({
      record: saved.value,
      problems: await this.problems(saved.value.tenantId, id, document, directory),
      directory,
    });
  }

  /** What publishing would refuse: of `document` (unsaved) if given, else the draft, else the latest version. */
  async validate(
    tenantKey: string,
    id: string,
    document: DefinitionDocument | undefined,
  ): Promise<Result<PinnedProblem[]>> {
    const view = await this.detail(tenantKey, id);
    if (!view.ok) return view;
    const doc = document ?? view.value.draft ?? view.value.published;
    return ok(doc ? await this.problems(view.value.record.tenantId, id, doc, view.value.directory) : []);
  }

  /**
   * Publishes the draft at `revision`; refused (400, every problem pinned) while problems remain, and
   * 409 `edit_conflict` when the draft moved on.
   */
  async publish(
    tenantKey: string,
    person: ConsolePerson,
    id: string,
    revision: number,
  ): Promise<ConsoleFlowResult<ConsoleFlowView>> {
    const view = await this.detail(tenantKey, id);
    if (!view.ok) return view;
    const { record, draft, directory } = view.value;
    if (record.draftRevision !== revision || draft === null) {
      // A stale revision is a conflict (DefinitionService names who saved); no draft: nothing to publish.
      if (record.draftRevision === revision)
        return fail('invalid_field', 'nothing to publish: the flow has no draft', [
          { field: 'revision', description: 'the flow has no draft to publish' },
        ]);
    } else {
      const problems = await this.problems(record.tenantId, id, draft, directory);
      if (problems.length > 0) {
        const refused = fail(
          'invalid_field',
          `the draft has ${problems.length} problem(s) to fix before publishing`,
          problems.map((p) => ({ field: p.field, description: p.description })),
        );
        return refused.ok ? refused : { ok: false, error: { ...refused.error, problems } };
      }
    }
    const published = await this.definitions.publish(tenantKey, id, {
      expectedRevision: revision,
      by: person.id,
    });
    if (!published.ok) return published;
    return this.detail(tenantKey, id);
  }

  async setEnabled(tenantKey: string, id: string, enabled: boolean): Promise<Result<ConsoleFlowView>> {
    const changed = await this.definitions.setEnabled(tenantKey, id, enabled);
    return changed.ok ? this.detail(tenantKey, id) : changed;
  }

  delete(tenantKey: string, id: string): Promise<Result<null>> {
    return this.definitions.delete(tenantKey, id);
  }

  async versions(
    tenantKey: string,
    id: string,
  ): Promise<Result<{ versions: VersionEntry[]; directory: DirectorySnapshot }>> {
    const found = await this.definitions.record(tenantKey, id);
    if (!found.ok) return found;
    const versions = await this.definitions.versions(tenantKey, id);
    if (!versions.ok) return versions;
    const directory = await this.snapshots.load(repositories(this.ctx.db), found.value.tenantId);
    return ok({ versions: versions.value, directory });
  }

  versionDocument(tenantKey: string, id: string, version: number): Promise<Result<DefinitionDocument>> {
    return this.definitions.document(tenantKey, id, version);
  }

  /**
   * The document to export: the given version, else the latest published one, else the draft (a flow
   * never published exports what is being written).
   */
  async exportDocument(
    tenantKey: string,
    id: string,
    version: number | undefined,
  ): Promise<Result<{ document: DefinitionDocument; label: string }>> {
    if (version !== undefined) {
      const doc = await this.definitions.document(tenantKey, id, version);
      return doc.ok ? ok({ document: doc.value, label: `v${version}` }) : doc;
    }
    const view = await this.detail(tenantKey, id);
    if (!view.ok) return view;
    const { published, draft, record } = view.value;
    if (published) return ok({ document: published, label: `v${record.latestVersion}` });
    if (draft) return ok({ document: draft, label: 'draft' });
    return notFound(`a document of flow ${id}`);
  }

  private async problems(
    tenantId: string,
    id: string,
    doc: DefinitionDocument,
    directory: DirectorySnapshot,
  ): Promise<PinnedProblem[]> {
    const converted = fromDocument(doc, peopleIndex(directory));
    const engine = validateDefinition({ ...converted.definition, id, version: 0 });
    const http = doc.http_action
      ? await this.definitions.httpActionProblems(repositories(this.ctx.db), tenantId, doc.http_action)
      : [];
    return pinProblems(doc, [...converted.violations, ...http], engine);
  }

  private async matches(repos: Repositories, record: DefinitionRecord, needle: string): Promise<boolean> {
    const doc = await this.documentOf(repos, record);
    const haystack = [
      record.id,
      doc?.name.zh_cn,
      doc?.name.en_us,
      doc?.biz_type,
      ...(doc ? Object.values(bizTypeNames(doc.biz_type, doc.name)) : []),
    ];
    return haystack.some((text) => text?.toLowerCase().includes(needle));
  }

  /** The draft if any, else the latest version's name and type (enough for matching). */
  private async documentOf(
    repos: Repositories,
    record: DefinitionRecord,
  ): Promise<Pick<DefinitionDocument, 'name' | 'biz_type'> | null> {
    const draft = record.draft as DefinitionDocument | null;
    if (draft) return draft;
    if (record.latestVersion === 0) return null;
    const definition = await this.definitions.published.get(repos, record.id, record.latestVersion);
    return definition ? { name: definition.name, biz_type: definition.bizType } : null;
  }

  private async views(
    repos: Repositories,
    tenantId: string,
    records: DefinitionRecord[],
  ): Promise<ConsoleFlowView[]> {
    const directory = await this.snapshots.load(repos, tenantId);
    const people = peopleIndex(directory);
    const running = await repos.definitions.runningCounts(
      tenantId,
      records.map((r) => r.id),
    );
    const out: ConsoleFlowView[] = [];
    for (const record of records) {
      const definition =
        record.latestVersion > 0
          ? await this.definitions.published.get(repos, record.id, record.latestVersion)
          : undefined;
      out.push({
        record,
        draft: record.draft as DefinitionDocument | null,
        published: definition ? toDocument(definition, people) : null,
        running: running.get(record.id) ?? 0,
        directory,
      });
    }
    return out;
  }
}
