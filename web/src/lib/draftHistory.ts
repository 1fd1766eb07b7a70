/**
 * Undo/redo history of an edited document (the flow editor's draft): every change is one step, the
 * oldest steps fall off past `limit`. Changes given the same `coalesce` key within `coalesceMs` of the
 * previous one merge into a single step (typing a name is one undo, not one per letter).
 */
export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** The key and time of the last change, for coalescing. */
  last?: { key: string; at: number } | undefined;
}

export const HISTORY_LIMIT = 100;
export const COALESCE_MS = 1000;

export function startHistory<T>(present: T): History<T> {
  return { past: [], present, future: [] };
}

export function applyChange<T>(
  history: History<T>,
  next: T,
  options: { coalesce?: string | undefined; now?: number; limit?: number } = {},
): History<T> {
  if (Object.is(next, history.present)) return history;
  const now = options.now ?? Date.now();
  const limit = options.limit ?? HISTORY_LIMIT;
  const merge =
    options.coalesce !== undefined &&
    history.last?.key === options.coalesce &&
    now - history.last.at < COALESCE_MS;
  const past = merge ? history.past : [...history.past, history.present].slice(-limit);
  return {
    past,
    present: next,
    future: [],
    last: options.coalesce !== undefined ? { key: options.coalesce, at: now } : undefined,
  };
}

export function undo<T>(history: History<T>): History<T> {
  const previous = history.past.at(-1);
  if (previous === undefined) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

export function redo<T>(history: History<T>): History<T> {
  const [next, ...rest] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future: rest };
}

/** Whether a key press is an undo or redo shortcut (Ctrl/⌘+Z, Ctrl/⌘+Shift+Z, Ctrl/⌘+Y). */
export function historyShortcut(event: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}): 'undo' | 'redo' | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey) return null;
  const key = event.key.toLowerCase();
  if (key === 'z') return event.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && !event.shiftKey) return 'redo';
  return null;
}

/** Text fields keep their own undo: the editor's shortcut must not steal it. */
export function isTextEntry(target: EventTarget | null): boolean {
  if (!target || typeof target !== 'object' || !('tagName' in target)) return false;
  const element = target as { tagName: string; isContentEditable?: boolean; type?: string };
  const tag = element.tagName.toLowerCase();
  if (element.isContentEditable) return true;
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag !== 'input') return false;
  const type = (element.type ?? 'text').toLowerCase();
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}
