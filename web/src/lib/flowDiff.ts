import type { FlowDocument, FlowFormField, FlowNode } from '@contract';

export type DiffStatus = 'added' | 'removed' | 'changed' | 'same';

/** One form field, node or setting compared across two documents. */
export interface DiffRow<T> {
  /** The api name, node id or setting name it is matched by. */
  key: string;
  status: DiffStatus;
  left?: T | undefined;
  right?: T | undefined;
  /** The properties that differ (`label`, `required`, `approvers`, `next` …); empty unless changed. */
  changed: string[];
}

export interface FlowDiff {
  /** name, biz_type, process_admins, settings. */
  general: DiffRow<unknown>[];
  form: DiffRow<FlowFormField>[];
  nodes: DiffRow<FlowNode>[];
  /** Counts over form and nodes (and the general rows): what a summary line says. */
  counts: Record<Exclude<DiffStatus, 'same'>, number>;
}

const json = (value: unknown): string => JSON.stringify(value ?? null);

/** Property names whose values differ between two objects (an absent one differs from a present one). */
function changedKeys(left: object, right: object): string[] {
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  const l = left as Record<string, unknown>;
  const r = right as Record<string, unknown>;
  return [...keys].filter((k) => json(l[k]) !== json(r[k])).sort();
}

/**
 * Matches items by key and keeps the reading order of the newer document: an item only in the older
 * one is shown where it used to be (after the item that preceded it there).
 */
function diffList<T extends object>(
  left: readonly T[],
  right: readonly T[],
  keyOf: (item: T) => string,
): DiffRow<T>[] {
  const leftByKey = new Map(left.map((item) => [keyOf(item), item]));
  const rightKeys = new Set(right.map(keyOf));
  const rows: DiffRow<T>[] = [];
  const emitted = new Set<string>();
  const emitRemovedBefore = (key: string | undefined) => {
    // Removed items that preceded `key` in the older document (all of them when key is undefined).
    for (const item of left) {
      const k = keyOf(item);
      if (k === key) break;
      if (!rightKeys.has(k) && !emitted.has(k)) {
        emitted.add(k);
        rows.push({ key: k, status: 'removed', left: item, changed: [] });
      }
    }
  };
  for (const item of right) {
    const key = keyOf(item);
    if (emitted.has(key)) continue;
    emitted.add(key);
    const before = leftByKey.get(key);
    if (before !== undefined) emitRemovedBefore(key);
    if (before === undefined) rows.push({ key, status: 'added', right: item, changed: [] });
    else {
      const changed = changedKeys(before, item);
      rows.push({ key, status: changed.length > 0 ? 'changed' : 'same', left: before, right: item, changed });
    }
  }
  emitRemovedBefore(undefined);
  return rows;
}

/** The differences between two flow documents, older (`left`) to newer (`right`): form fields by api name, nodes by id. */
export function diffFlows(left: FlowDocument, right: FlowDocument): FlowDiff {
  const general: DiffRow<unknown>[] = (['name', 'biz_type', 'process_admins', 'settings'] as const).map(
    (key) => {
      const same = json(left[key]) === json(right[key]);
      return {
        key,
        status: same ? 'same' : 'changed',
        left: left[key],
        right: right[key],
        changed: same ? [] : [key],
      };
    },
  );
  const form = diffList(left.form, right.form, (f) => f.api_name);
  const nodes = diffList(left.nodes, right.nodes, (n) => n.id);
  const counts = { added: 0, removed: 0, changed: 0 };
  for (const row of [...general, ...form, ...nodes]) if (row.status !== 'same') counts[row.status] += 1;
  return { general, form, nodes, counts };
}
