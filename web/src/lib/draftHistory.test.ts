import { describe, expect, it } from 'vitest';
import { applyChange, historyShortcut, isTextEntry, redo, startHistory, undo } from './draftHistory';

describe('draft history', () => {
  it('undoes and redoes changes one step at a time; a new change drops the redo steps', () => {
    let h = startHistory('a');
    h = applyChange(h, 'b', { now: 0 });
    h = applyChange(h, 'c', { now: 5000 });
    expect(h.present).toBe('c');
    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect(h.present).toBe('a');
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe('b');
    h = applyChange(h, 'd', { now: 9000 });
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
  });

  it('is bounded: the oldest steps fall off', () => {
    let h = startHistory(0);
    for (let i = 1; i <= 10; i++) h = applyChange(h, i, { now: i * 5000, limit: 3 });
    expect(h.past).toEqual([7, 8, 9]);
  });

  it('merges quick changes of the same thing into one step', () => {
    let h = startHistory('');
    h = applyChange(h, 'T', { coalesce: 'name', now: 0 });
    h = applyChange(h, 'Tr', { coalesce: 'name', now: 300 });
    h = applyChange(h, 'Tra', { coalesce: 'name', now: 600 });
    expect(h.past).toEqual(['']);
    h = applyChange(h, 'Trav', { coalesce: 'name', now: 3000 });
    expect(h.past).toEqual(['', 'Tra']);
    h = applyChange(h, 'x', { coalesce: 'other', now: 3100 });
    expect(h.past).toEqual(['', 'Tra', 'Trav']);
  });

  it('knows the shortcuts, and leaves text fields their own undo', () => {
    const key = (
      k: string,
      extra: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean }> = {},
    ) => ({
      key: k,
      ctrlKey: false,
      metaKey: false,
      shiftKey: false,
      altKey: false,
      ...extra,
    });
    expect(historyShortcut(key('z', { ctrlKey: true }))).toBe('undo');
    expect(historyShortcut(key('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(historyShortcut(key('y', { metaKey: true }))).toBe('redo');
    expect(historyShortcut(key('z'))).toBeNull();
    expect(isTextEntry({ tagName: 'INPUT', type: 'text' } as unknown as EventTarget)).toBe(true);
    expect(isTextEntry({ tagName: 'INPUT', type: 'checkbox' } as unknown as EventTarget)).toBe(false);
    expect(isTextEntry({ tagName: 'TEXTAREA' } as unknown as EventTarget)).toBe(true);
    expect(isTextEntry({ tagName: 'BUTTON' } as unknown as EventTarget)).toBe(false);
    expect(isTextEntry(null)).toBe(false);
  });
});
