import type { FormValues } from '@contract';

/**
 * Drafts of new requests, kept in the browser (localStorage) per person and flow, so a half-typed
 * request survives a reload or a walk to another page. Cleared once the request is submitted.
 * Storage is passed in (tests give a Map-backed one); quota and parse errors never break the form.
 */

export interface Draft {
  form_values: FormValues;
  selected_approvers: Record<string, string[]>;
  /** ISO time of the last save, shown as "draft from …". */
  saved_at: string;
  /** The flow version the draft was typed against: a draft from another version may not fit. */
  flow_version: number;
}

export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const PREFIX = 'peopleflow.draft.v1';

export function draftKey(personKey: string, flowId: string): string {
  return `${PREFIX}.${personKey}.${flowId}`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function loadDraft(storage: DraftStorage, personKey: string, flowId: string): Draft | null {
  let raw: string | null;
  try {
    raw = storage.getItem(draftKey(personKey, flowId));
  } catch {
    return null;
  }
  if (raw === null) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (!isObject(parsed) || !isObject(parsed.form_values)) return null;
    const approvers: Record<string, string[]> = {};
    if (isObject(parsed.selected_approvers)) {
      for (const [node, ids] of Object.entries(parsed.selected_approvers)) {
        if (Array.isArray(ids)) approvers[node] = ids.filter((id): id is string => typeof id === 'string');
      }
    }
    return {
      form_values: parsed.form_values as FormValues,
      selected_approvers: approvers,
      saved_at: typeof parsed.saved_at === 'string' ? parsed.saved_at : new Date(0).toISOString(),
      flow_version: typeof parsed.flow_version === 'number' ? parsed.flow_version : 0,
    };
  } catch {
    return null;
  }
}

/** True when the draft holds anything worth keeping. */
export function draftHasContent(draft: Pick<Draft, 'form_values' | 'selected_approvers'>): boolean {
  const values = Object.values(draft.form_values).some((v) => v !== false);
  const approvers = Object.values(draft.selected_approvers).some((ids) => ids.length > 0);
  return values || approvers;
}

/** Saves (or, when there is nothing in it, removes) the draft; false when the browser refused. */
export function saveDraft(storage: DraftStorage, personKey: string, flowId: string, draft: Draft): boolean {
  try {
    if (!draftHasContent(draft)) storage.removeItem(draftKey(personKey, flowId));
    else storage.setItem(draftKey(personKey, flowId), JSON.stringify(draft));
    return true;
  } catch {
    return false;
  }
}

export function clearDraft(storage: DraftStorage, personKey: string, flowId: string): void {
  try {
    storage.removeItem(draftKey(personKey, flowId));
  } catch {
    // Nothing to do: a draft that cannot be removed is overwritten by the next save.
  }
}
