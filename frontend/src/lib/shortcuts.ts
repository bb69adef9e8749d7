import { useEffect, useRef } from 'preact/hooks';

/** Every shortcut the app has, as the `?` overlay lists them. */
export const SHORTCUT_HELP: readonly { keys: string[]; description: string; where: string }[] = [
  { keys: ['?'], description: 'Show this list of shortcuts', where: 'Anywhere' },
  { keys: ['/'], description: 'Search tickets', where: 'Anywhere' },
  { keys: ['g', 'i'], description: 'Go to my open tickets (inbox)', where: 'Anywhere' },
  { keys: ['g', 'u'], description: 'Go to unassigned tickets', where: 'Anywhere' },
  { keys: ['g', 'a'], description: 'Go to all open tickets', where: 'Anywhere' },
  { keys: ['j'], description: 'Next ticket', where: 'Ticket list' },
  { keys: ['k'], description: 'Previous ticket', where: 'Ticket list' },
  { keys: ['Enter'], description: 'Open the selected ticket', where: 'Ticket list' },
  {
    keys: ['x'],
    description: 'Select the focused ticket for a bulk change (shift-click selects a range)',
    where: 'Ticket list',
  },
  { keys: ['r'], description: 'Write a public reply', where: 'Ticket page' },
  { keys: ['n'], description: 'Write an internal note', where: 'Ticket page' },
  { keys: ['u'], description: 'Back to the ticket list', where: 'Ticket page' },
  { keys: ['Ctrl+K'], description: 'Apply a macro (command palette; ⌘K on a Mac)', where: 'Ticket page' },
  { keys: ['m'], description: 'Apply a macro (command palette)', where: 'Ticket page' },
  { keys: ['t'], description: 'Take an unassigned ticket', where: 'Ticket page' },
  { keys: ['Esc'], description: 'Close a dialog or leave a text field', where: 'Anywhere' },
];

type Handler = (event: KeyboardEvent) => void;

const handlers = new Map<string, Handler[]>();
let pendingPrefix: string | null = null;
let prefixTimer: ReturnType<typeof setTimeout> | undefined;
let installed = false;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function isPrefix(key: string): boolean {
  return [...handlers.keys()].some((sequence) => sequence.startsWith(`${key} `));
}

export function handleShortcutKey(event: KeyboardEvent): void {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === 'Escape' && isTyping(event.target)) {
    (event.target as HTMLElement).blur();
    return;
  }
  if (isTyping(event.target)) return;
  const sequence = pendingPrefix ? `${pendingPrefix} ${event.key}` : event.key;
  pendingPrefix = null;
  clearTimeout(prefixTimer);
  const stack = handlers.get(sequence);
  if (stack?.length) {
    event.preventDefault();
    stack[stack.length - 1](event); // the most recently mounted owner wins
    return;
  }
  if (isPrefix(event.key)) {
    pendingPrefix = event.key;
    prefixTimer = setTimeout(() => (pendingPrefix = null), 1500);
  }
}

/** Binds a key ("j", "Enter", "?") or a two-key sequence ("g i") while the component is mounted. */
export function useShortcut(sequence: string, handler: Handler, enabled = true): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!enabled) return;
    if (!installed && typeof document !== 'undefined') {
      document.addEventListener('keydown', handleShortcutKey);
      installed = true;
    }
    const bound: Handler = (event) => latest.current(event);
    handlers.set(sequence, [...(handlers.get(sequence) ?? []), bound]);
    return () =>
      handlers.set(
        sequence,
        (handlers.get(sequence) ?? []).filter((h) => h !== bound),
      );
  }, [sequence, enabled]);
}
