import { describe, expect, test } from 'vitest';
import { isTypingTarget, moveIndex, SHORTCUT_HELP, shortcutFor } from './shortcuts';

const element = (tagName: string, attributes: Record<string, string> = {}, editable = false) => ({
  tagName,
  isContentEditable: editable,
  getAttribute: (name: string) => attributes[name] ?? null,
});

describe('shortcutFor', () => {
  test('j/k/a/r/? anywhere but in a field', () => {
    const body = element('BODY');
    expect(shortcutFor({ key: 'j', target: body })).toBe('next');
    expect(shortcutFor({ key: 'k', target: body })).toBe('prev');
    expect(shortcutFor({ key: 'a', target: body })).toBe('approve');
    expect(shortcutFor({ key: 'r', target: body })).toBe('reject');
    expect(shortcutFor({ key: '?', target: body })).toBe('help');
    expect(shortcutFor({ key: 'x', target: body })).toBeNull();
    // A focused row link: j/k still move on from it.
    expect(shortcutFor({ key: 'j', target: element('A') })).toBe('next');
  });

  test('typing in a field is text, never a shortcut', () => {
    for (const target of [
      element('INPUT'),
      element('textarea'),
      element('SELECT'),
      element('DIV', {}, true),
      element('DIV', { role: 'combobox' }),
      element('SPAN', { role: 'textbox' }),
    ]) {
      expect(isTypingTarget(target)).toBe(true);
      expect(shortcutFor({ key: 'a', target })).toBeNull();
      expect(shortcutFor({ key: '?', target })).toBeNull();
    }
  });

  test('with Ctrl, Cmd or Alt the browser keeps its own keys', () => {
    expect(shortcutFor({ key: 'r', ctrlKey: true })).toBeNull();
    expect(shortcutFor({ key: 'a', metaKey: true })).toBeNull();
    expect(shortcutFor({ key: 'j', altKey: true })).toBeNull();
  });

  test('Enter opens the selected row, except on a link or button (they act themselves)', () => {
    expect(shortcutFor({ key: 'Enter', target: element('BODY') })).toBe('open');
    expect(shortcutFor({ key: 'Enter', target: element('LI') })).toBe('open');
    expect(shortcutFor({ key: 'Enter', target: element('A') })).toBeNull();
    expect(shortcutFor({ key: 'Enter', target: element('BUTTON') })).toBeNull();
    expect(shortcutFor({ key: 'Enter', target: null })).toBe('open');
  });
});

describe('moveIndex', () => {
  test('from nothing selected, either key picks the first row', () => {
    expect(moveIndex(-1, 5, 'next')).toBe(0);
    expect(moveIndex(-1, 5, 'prev')).toBe(0);
  });
  test('stops at both ends', () => {
    expect(moveIndex(0, 3, 'prev')).toBe(0);
    expect(moveIndex(2, 3, 'next')).toBe(2);
    expect(moveIndex(1, 3, 'next')).toBe(2);
    expect(moveIndex(1, 3, 'prev')).toBe(0);
  });
  test('an empty list selects nothing; a shrunk list restarts at the top', () => {
    expect(moveIndex(0, 0, 'next')).toBe(-1);
    expect(moveIndex(7, 3, 'next')).toBe(0);
  });
  test('the help overlay lists every key', () => {
    expect(SHORTCUT_HELP.flatMap((entry) => entry.keys).sort()).toEqual(['?', 'Enter', 'a', 'j', 'k', 'r']);
  });
});
