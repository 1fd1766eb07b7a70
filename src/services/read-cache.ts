import type { DirectorySnapshot } from '../engine/approver-resolution.js';
import type { Clock } from '../platform/clock.js';
import type { ProcessChange } from './live.service.js';

/** Each directory snapshot's number: a rendered read names the snapshot it was rendered from. */
const snapshotIds = new WeakMap<DirectorySnapshot, number>();
let nextSnapshotId = 1;
function snapshotId(snapshot: DirectorySnapshot): number {
  let id = snapshotIds.get(snapshot);
  if (id === undefined) {
    id = nextSnapshotId++;
    snapshotIds.set(snapshot, id);
  }
  return id;
}

interface Rendered {
  /** What the body was rendered from: the directory snapshot, and the process's or person's version. */
  snapshot: number;
  version: number;
  /** Past this instant (server clock) the body is stale even if nothing changed (e.g. "overdue" flags). */
  until: number;
  /**
   * The JSON as UTF-8 bytes: sent as they are, where a string is measured (Content-Length) and encoded
   * again on every send — most of a hit's CPU for a page of to-dos (BENCHMARKS.md). Half the memory of
   * the string, too, which V8 keeps as UTF-16 once it holds one Chinese character.
   */
  body: Buffer;
}

/**
 * Rendered responses of the hottest reads (a process's detail, a person's to-do lists), kept while
 * nothing they were rendered from has changed, so a repeated read costs a map look-up instead of
 * queries, JSON parsing and rendering (BENCHMARKS.md "Reads").
 *
 * Correctness rests on hearing every change: every process change passes ProcessService's one
 * commit hook, which calls `changed` here, and directory changes replace the directory snapshot a
 * body names. With several servers on PostgreSQL the other servers' changes arrive by LISTEN/NOTIFY
 * (the live bus); while that feed is down `trusted()` is false and nothing is served from here.
 */
export class ReadCache {
  /** Per tenant + process: the rendered variants (app, id type, base URL …) of its detail. */
  private readonly processes = new Map<string, Map<string, Rendered>>();
  /** Per tenant + person: the rendered variants (list, filters, page) of what they see. */
  private readonly personal = new Map<string, Map<string, Rendered>>();
  /** Bumped by every change: a person's lists rendered before it are stale. */
  private readonly personVersions = new Map<string, number>();
  private readonly tenantEpochs = new Map<string, number>();
  private epoch = 0;

  constructor(
    private readonly clock: Clock,
    private readonly trusted: () => boolean = () => true,
    /** Processes and people remembered at most (least recently used out first); variants per key are bounded too. */
    private readonly limit = 5_000,
    private readonly variantsPerKey = 16,
  ) {}

  /** A committed change to a process: its detail and the lists of everyone it concerns are stale. */
  changed(change: ProcessChange): void {
    const version = ++this.epoch;
    this.processes.delete(`${change.tenantId}\0${change.processId}`);
    if (change.people === null) {
      // Too many people to name: every list of the tenant is stale.
      this.tenantEpochs.set(change.tenantId, version);
      return;
    }
    for (const person of change.people) {
      const key = `${change.tenantId}\0${person}`;
      this.personVersions.delete(key);
      this.personVersions.set(key, version);
      this.personal.delete(key);
      // Bounded: the oldest versions are dropped with their lists (a missing version is "changed now").
      if (this.personVersions.size > this.limit * 4) this.dropOldestVersions();
    }
  }

  /** Everything is forgotten (the change feed was interrupted: changes may have been missed). */
  clear(): void {
    this.processes.clear();
    this.personal.clear();
    this.personVersions.clear();
    this.tenantEpochs.clear();
    this.epoch++;
  }

  processDetail(
    tenantId: string,
    processId: string,
    variant: string,
    snapshot: DirectorySnapshot,
  ): Buffer | undefined {
    if (!this.trusted()) return undefined;
    return this.hit(this.processes, `${tenantId}\0${processId}`, variant, snapshot, 0);
  }

  rememberProcessDetail(
    tenantId: string,
    processId: string,
    variant: string,
    snapshot: DirectorySnapshot,
    body: string,
    /** The epoch read before the process was loaded: a change since then leaves the body unremembered. */
    since: number,
  ): void {
    if (!this.trusted() || this.epoch !== since) return;
    this.remember(this.processes, `${tenantId}\0${processId}`, variant, {
      snapshot: snapshotId(snapshot),
      version: 0,
      until: Infinity,
      body: Buffer.from(body),
    });
  }

  personalRead(
    tenantId: string,
    personId: string,
    variant: string,
    snapshot: DirectorySnapshot,
  ): Buffer | undefined {
    if (!this.trusted()) return undefined;
    return this.hit(
      this.personal,
      `${tenantId}\0${personId}`,
      variant,
      snapshot,
      this.versionOf(tenantId, personId),
    );
  }

  rememberPersonalRead(
    tenantId: string,
    personId: string,
    variant: string,
    snapshot: DirectorySnapshot,
    body: string,
    since: number,
    until = Infinity,
  ): void {
    if (!this.trusted() || this.epoch !== since) return;
    this.remember(this.personal, `${tenantId}\0${personId}`, variant, {
      snapshot: snapshotId(snapshot),
      version: this.versionOf(tenantId, personId),
      until,
      body: Buffer.from(body),
    });
  }

  /**
   * Read before loading what a body is rendered from, and handed back when remembering it: a change
   * committed in between (any change: the counter is global) leaves that body unremembered.
   */
  currentEpoch(): number {
    return this.epoch;
  }

  private versionOf(tenantId: string, personId: string): number {
    return Math.max(
      this.personVersions.get(`${tenantId}\0${personId}`) ?? 0,
      this.tenantEpochs.get(tenantId) ?? 0,
    );
  }

  private hit(
    store: Map<string, Map<string, Rendered>>,
    key: string,
    variant: string,
    snapshot: DirectorySnapshot,
    version: number,
  ): Buffer | undefined {
    const variants = store.get(key);
    const entry = variants?.get(variant);
    if (!variants || !entry) return undefined;
    if (
      entry.snapshot !== snapshotId(snapshot) ||
      entry.version !== version ||
      this.clock.now() >= entry.until
    ) {
      variants.delete(variant);
      return undefined;
    }
    // Least recently used first out: a hit moves the key to the back.
    store.delete(key);
    store.set(key, variants);
    return entry.body;
  }

  private remember(
    store: Map<string, Map<string, Rendered>>,
    key: string,
    variant: string,
    entry: Rendered,
  ): void {
    let variants = store.get(key);
    if (!variants) {
      if (store.size >= this.limit) {
        const oldest = store.keys().next().value;
        if (oldest !== undefined) store.delete(oldest);
      }
      variants = new Map();
      store.set(key, variants);
    }
    if (variants.size >= this.variantsPerKey && !variants.has(variant)) {
      const oldest = variants.keys().next().value;
      if (oldest !== undefined) variants.delete(oldest);
    }
    variants.set(variant, entry);
  }

  private dropOldestVersions(): void {
    // A person without a recorded version reads as the tenant's epoch, which could match lists
    // rendered before the drop: those lists go with their version.
    for (const key of [...this.personVersions.keys()].slice(0, this.limit)) {
      this.personVersions.delete(key);
      this.personal.delete(key);
    }
  }
}
