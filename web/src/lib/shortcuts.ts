/** The to-do list's keys (GitHub-style): j/k move, a approve, r reject, Enter open, ? help. */
export type ShortcutAction = 'next' | 'prev' | 'approve' | 'reject' | 'open' | 'help';

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** What has the focus (the event's target). */
  target?: {
    tagName?: string;
    isContentEditable?: boolean;
    getAttribute?: (name: string) => string | null;
  } | null;
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);
const TYPING_ROLES = new Set(['textbox', 'combobox', 'searchbox', 'spinbutton', 'listbox', 'option']);
const ACTIVATING_TAGS = new Set(['A', 'BUTTON', 'SUMMARY']);

/** Keys typed into a field are text, never shortcuts. */
export function isTypingTarget(target: KeyInput['target']): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  if (target.tagName && TYPING_TAGS.has(target.tagName.toUpperCase())) return true;
  const role = target.getAttribute?.('role');
  return role ? TYPING_ROLES.has(role) : false;
}

export function shortcutFor(input: KeyInput): ShortcutAction | null {
  if (input.ctrlKey || input.metaKey || input.altKey) return null;
  if (isTypingTarget(input.target)) return null;
  switch (input.key) {
    case 'j':
    case 'J':
      return 'next';
    case 'k':
    case 'K':
      return 'prev';
    case 'a':
    case 'A':
      return 'approve';
    case 'r':
    case 'R':
      return 'reject';
    case '?':
      return 'help';
    case 'Enter': {
      // On a link or button Enter already does its own thing.
      const tag = input.target?.tagName?.toUpperCase();
      return tag && ACTIVATING_TAGS.has(tag) ? null : 'open';
    }
    default:
      return null;
  }
}

/** The row after a j/k press: from nothing selected, either key picks the first row. */
export function moveIndex(current: number, count: number, action: 'next' | 'prev'): number {
  if (count <= 0) return -1;
  if (current < 0 || current >= count) return 0;
  return action === 'next' ? Math.min(count - 1, current + 1) : Math.max(0, current - 1);
}

/** The shortcut list the help overlay shows (keys and their catalogue keys). */
export const SHORTCUT_HELP: readonly { keys: string[]; label: string }[] = [
  { keys: ['j'], label: 'shortcuts.next' },
  { keys: ['k'], label: 'shortcuts.prev' },
  { keys: ['Enter'], label: 'shortcuts.open' },
  { keys: ['a'], label: 'shortcuts.approve' },
  { keys: ['r'], label: 'shortcuts.reject' },
  { keys: ['?'], label: 'shortcuts.help' },
];
