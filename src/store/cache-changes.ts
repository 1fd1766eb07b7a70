import { PostgresAdapter, sql, type KyselyPlugin, type PluginTransformQueryArgs } from 'kysely';
import type { PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { Executor } from './executor.js';

/**
 * A committed write that makes cached data stale (docs/scaling.md): the repositories that write
 * apps, tenants, the directory and calendars announce it, so no caller can forget to.
 */
export type CacheChange =
  /** Secret, scopes, events or deletion: cached principals of the app are wrong. */
  | { kind: 'app'; appId: string }
  /** Renamed or deleted: its principals, directory and calendar are wrong. */
  | { kind: 'tenant'; tenantId: string }
  /** The tenant's directory_version is now `version` (employees, departments, roles, delegations). */
  | { kind: 'directory'; tenantId: string; version: number }
  | { kind: 'calendar'; tenantId: string }
  /** One or every session of the employee ended (sign-out, password change): cached sessions are wrong. */
  | { kind: 'sessions'; employeeId: string };

/** The channel every server LISTENs on for cache changes (PostgreSQL). */
export const CACHE_CHANNEL = 'peopleflow_cache';

/** Wire form: short keys, well under NOTIFY's 8000 bytes. */
export function encodeChange(change: CacheChange): string {
  switch (change.kind) {
    case 'app':
      return JSON.stringify({ k: 'a', a: change.appId });
    case 'tenant':
      return JSON.stringify({ k: 't', t: change.tenantId });
    case 'directory':
      return JSON.stringify({ k: 'd', t: change.tenantId, v: change.version });
    case 'calendar':
      return JSON.stringify({ k: 'c', t: change.tenantId });
    case 'sessions':
      return JSON.stringify({ k: 's', e: change.employeeId });
  }
}

export function decodeChange(payload: string): CacheChange | undefined {
  try {
    const w = JSON.parse(payload) as { k?: unknown; a?: unknown; t?: unknown; v?: unknown; e?: unknown };
    if (w.k === 'a' && typeof w.a === 'string') return { kind: 'app', appId: w.a };
    if (w.k === 's' && typeof w.e === 'string') return { kind: 'sessions', employeeId: w.e };
    if (typeof w.t !== 'string') return undefined;
    if (w.k === 't') return { kind: 'tenant', tenantId: w.t };
    if (w.k === 'c') return { kind: 'calendar', tenantId: w.t };
    if (w.k === 'd' && typeof w.v === 'number') return { kind: 'directory', tenantId: w.t, version: w.v };
    return undefined;
  } catch {
    return undefined;
  }
}

/**
 * Carries this server's caches to every executor made from its database handle, transactions
 * included (Kysely hands plugins down), so a repository can tell them of a change without the
 * caller's help. It leaves queries untouched.
 */
export class CacheHooks implements KyselyPlugin {
  /** Set once the server's caches exist; absent in tools, where nothing is cached. */
  observer: ((change: CacheChange) => void) | undefined;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/**
 * Announces a change from inside the writing transaction. On PostgreSQL it is a NOTIFY in that
 * transaction: every server (this one too) hears it exactly when, and only if, the write commits.
 * This server's caches are told at once as well, so its own next read cannot use the old data
 * (they only stop trusting it here: they reload from the database, which decides).
 */
export async function announceChange(db: Executor, change: CacheChange): Promise<void> {
  const executor = db.getExecutor();
  if (executor.adapter instanceof PostgresAdapter)
    await sql`select pg_notify(${CACHE_CHANNEL}, ${encodeChange(change)})`.execute(db);
  for (const plugin of executor.plugins) if (plugin instanceof CacheHooks) plugin.observer?.(change);
}
